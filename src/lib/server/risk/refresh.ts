import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { appointments } from '../db/schema';
import type { Registry } from '$lib/domain/registry';
import type { RiskConfig } from './config';
import { refreshEpisodesFlags } from './flags';
import { perDatabase } from '../db/prepared';
import { awaitingFirstFit } from '../expected-models';
import { pauseAfterSlice } from '../background';

/**
 * How long a rated episode waits before its flags are evaluated. Every rating of the episode in
 * that time is evaluated once: a group session or a tablet sending what it kept offline brings
 * several at once, and each evaluation reads the whole episode.
 */
const REFRESH_DELAY_MS = 5000;
/** Evaluation work done before other requests get their turn on the event loop. */
const SLICE_MS = 10;
/** Episodes evaluated together (read in one go, one commit); a few ms of work for ordinary episodes. */
const BATCH = 5;

const pending = new Set<number>();
const pendingAppointments = new Set<number>();
let timer: NodeJS.Timeout | null = null;
let running = false;

const episodeOfAppointment = perDatabase((db: Db) =>
	db
		.select({ episodeId: appointments.episodeId })
		.from(appointments)
		.where(eq(appointments.id, sql.placeholder('id')))
		.prepare()
);

/**
 * Re-evaluates an episode's flags a little after the current request has been answered — a
 * tablet's rating is acknowledged without waiting for it — in slices, so that requests keep
 * being answered meanwhile, and not before the first model fit after a start has landed.
 * A failure is logged; the periodic sweep catches up.
 */
export function refreshFlagsSoon(db: Db, risk: { registry: Registry; config: RiskConfig }, of: { episodeId: number } | { appointmentId: number }, log: (line: string) => void = console.error): void {
	if ('episodeId' in of) pending.add(of.episodeId);
	else pendingAppointments.add(of.appointmentId);
	if (timer === null && !running) schedule(db, risk, log);
}

/** A batch that fails is rolled back whole; its episodes are then tried one by one, so one bad episode holds back only itself. */
function refreshBatch(db: Db, risk: { registry: Registry; config: RiskConfig }, batch: readonly number[], log: (line: string) => void): void {
	try {
		refreshEpisodesFlags(db, risk.registry, risk.config, batch, new Date());
		return;
	} catch (e) {
		if (batch.length === 1) {
			log(`Stemme: drop-out flags of episode ${batch[0]} not updated: ${(e as Error).message}`);
			return;
		}
	}
	for (const id of batch) refreshBatch(db, risk, [id], log);
}

function schedule(db: Db, risk: { registry: Registry; config: RiskConfig }, log: (line: string) => void): void {
	timer = setTimeout(() => {
		timer = null;
		if (awaitingFirstFit()) {
			schedule(db, risk, log);
			return;
		}
		running = true;
		for (const appointmentId of pendingAppointments) {
			const row = episodeOfAppointment(db).get({ id: appointmentId });
			if (row !== undefined) pending.add(row.episodeId);
		}
		pendingAppointments.clear();
		const ids = [...pending];
		pending.clear();
		const next = (from: number): void => {
			const started = performance.now();
			let i = from;
			for (; i < ids.length && performance.now() - started < SLICE_MS; i += BATCH) {
				refreshBatch(db, risk, ids.slice(i, i + BATCH), log);
			}
			if (i < ids.length) {
				void pauseAfterSlice(started).then(() => next(i));
				return;
			}
			running = false;
			if (pending.size > 0 || pendingAppointments.size > 0) schedule(db, risk, log);
		};
		next(0);
	}, REFRESH_DELAY_MS);
	// Pending evaluations never keep a process alive: the periodic sweep evaluates every open episode.
	timer.unref();
}
