import { and, asc, eq, gt, gte, inArray, isNotNull, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from './db';
import { appointments, episodes, patients, ratings } from './db/schema';
import type { RecordAppointment } from './patients';
import { historyOf } from './history';
import type { Episode as DomainEpisode } from '$lib/domain/episode';
import { getExpectedTable, type Registry } from '$lib/domain/registry';
import { thresholdsAtRating } from '$lib/domain/thresholds-for';
import { fitTrajectoryModel, type FittedModel } from '$lib/domain/trajectory-model';
import type { ExpectedTable } from '$lib/domain/expected-table';
import type { InstrumentDefinition } from '$lib/domain/instrument-schema';
import { ageAt, ageFromBirthYear } from '$lib/domain/age';
import { pauseAfterSlice } from './background';
import { DEFAULT_MODEL_MIN_EPISODES } from './config';

export { DEFAULT_MODEL_MIN_EPISODES } from './config';

/** The models are fitted again this often, on the episodes closed since. */
const MODEL_REFIT_MS = 10 * 60_000;
/**
 * Closed episodes read per slice of a fit. Reading 20,000 closed episodes at once held the server
 * for seconds. A request waits for a slice at each of its awaits, so slices must be short: 50
 * episodes (about 800 appointments) take about 10 ms here (400 slices, 3.9 s in all, for 20,000).
 * Fitting the model on them all then takes one step (the mixed model's: 0.4–0.8 s for 20,000
 * episodes with between-episode spread, more when there is none and EM converges slowly; see
 * docs/performance.md).
 */
const EPISODES_PER_SLICE = 50;

/** Where the expected lines come from, for the chart's legend and its "why is this line here?". */
export type ExpectedSource = { kind: 'table'; model: ExpectedTable; source: string } | { kind: 'fitted'; model: FittedModel } | { kind: 'rules'; why: string; episodes: number; minEpisodes: number };

/** The last fit of each outcome instrument; a page reads it, never fits. */
const models = new Map<string, ExpectedSource>();
let fitsRunning = 0;
let fitsDone = 0;

/** Forget fitted models (tests; after a bulk import). */
export function resetFittedModels(): void {
	models.clear();
	fitsDone = 0;
	minimumOfLastFit = DEFAULT_MODEL_MIN_EPISODES;
}

/**
 * True while the first fit since the start is still running. Flags evaluated now would judge
 * progress by the rule checkpoints and be raised or resolved again once the model lands.
 */
export function awaitingFirstFit(): boolean {
	return fitsRunning > 0 && fitsDone === 0;
}

const keyOf = (instrument: InstrumentDefinition): string => `${instrument.id}@${instrument.version}`;
/** The installation's minimum (configuration), as the last fit was given it: the legend names it before a fit lands. */
let minimumOfLastFit = DEFAULT_MODEL_MIN_EPISODES;

/**
 * The expected trajectories for an outcome instrument: a licensed table from a pack when the
 * installation has one, else the model last fitted on this installation's closed episodes (see
 * fitExpectedModels), else none — and then the rule checkpoints decide, and the legend says so
 * (`why: 'not-fitted-yet'` until the first fit after a start has landed).
 */
export function expectedFor(registry: Registry, instrument: InstrumentDefinition): ExpectedSource {
	const table = getExpectedTable(registry, instrument.id, instrument.version);
	if (table !== null) return { kind: 'table', model: table, source: table.source };
	return models.get(keyOf(instrument)) ?? { kind: 'rules', why: 'not-fitted-yet', episodes: 0, minEpisodes: minimumOfLastFit };
}

/**
 * Fits the model of every outcome instrument without a table on every closed episode, reading
 * them in slices with the event loop free in between, and keeps the results for expectedFor.
 * Returns the number of closed episodes read.
 */
export async function fitExpectedModels(db: Db, registry: Registry, now: Date, minEpisodes: number = DEFAULT_MODEL_MIN_EPISODES): Promise<number> {
	minimumOfLastFit = minEpisodes;
	const instruments = registry.instruments.map((r) => r.definition).filter((def) => def.kind === 'outcome' && getExpectedTable(registry, def.id, def.version) === null);
	if (instruments.length === 0) return 0;
	fitsRunning++;
	try {
		return await fitInSlices(db, instruments, now, minEpisodes);
	} finally {
		fitsRunning--;
		fitsDone++;
	}
}

async function fitInSlices(db: Db, instruments: InstrumentDefinition[], now: Date, minEpisodes: number): Promise<number> {
	const closed = new Map(instruments.map((def) => [keyOf(def), [] as DomainEpisode[]]));
	const q = statements(db, [...new Set(instruments.map((def) => def.id))]);
	let after = 0;
	let read = 0;
	for (;;) {
		const started = performance.now();
		const eps = q.episodes.all({ after, limit: EPISODES_PER_SLICE });
		if (eps.length === 0) break;
		const range = { lo: eps[0]!.id, hi: eps[eps.length - 1]!.id };
		after = range.hi;
		read += eps.length;
		const appts = q.appointments.all(range);
		const rated = q.ratings.all(range);
		for (const def of instruments) closed.get(keyOf(def))!.push(...asDomainEpisodes(def, eps, appts, rated, now));
		await pauseAfterSlice(started);
	}
	for (const def of instruments) {
		const started = performance.now();
		// The mixed model draws the line: with OLS, episodes that end once the patient improves leave
		// the slow improvers at late sessions and the line runs low (docs/clinical/change.md,
		// "Fitting: why a mixed model"; `npm run bench` prints both methods against a known truth).
		const fit = fitTrajectoryModel(closed.get(keyOf(def))!, { now, minEpisodes, method: 'mixed' });
		models.set(keyOf(def), fit.ok ? { kind: 'fitted', model: fit.model } : { kind: 'rules', why: fit.reason, episodes: fit.episodes, minEpisodes });
		await pauseAfterSlice(started);
	}
	return read;
}

const corrections = alias(ratings, 'corrections');
const inRange = and(isNotNull(episodes.actualEnd), gte(appointments.episodeId, sql.placeholder('lo')), lte(appointments.episodeId, sql.placeholder('hi')));

// Prepared once per fit: a slice runs each with its own range.
function statements(db: Db, instrumentIds: string[]) {
	return {
		episodes: db
			.select({ id: episodes.id, endReason: episodes.endReason, birthYear: patients.birthYear })
			.from(episodes)
			.innerJoin(patients, eq(patients.id, episodes.patientId))
			.where(and(isNotNull(episodes.actualEnd), gt(episodes.id, sql.placeholder('after'))))
			.orderBy(asc(episodes.id))
			.limit(sql.placeholder('limit'))
			.prepare(),
		appointments: db
			.select({ id: appointments.id, episodeId: appointments.episodeId, scheduledAt: appointments.scheduledAt, status: appointments.status })
			.from(appointments)
			.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
			.where(inRange)
			.orderBy(appointments.episodeId, appointments.scheduledAt)
			.prepare(),
		// The totals only: the fit never reads the items.
		ratings: db
			.select({ appointmentId: ratings.appointmentId, instrumentId: ratings.instrumentId, instrumentVersion: ratings.instrumentVersion, total: ratings.total, source: ratings.source })
			.from(ratings)
			.innerJoin(appointments, eq(appointments.id, ratings.appointmentId))
			.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
			.where(
				and(
					inRange,
					inArray(ratings.instrumentId, instrumentIds),
					eq(ratings.rater, 'patient'),
					notExists(
						db
							.select({ x: sql`1` })
							.from(corrections)
							.where(eq(corrections.correctsRatingId, ratings.id))
					)
				)
			)
			.prepare()
	};
}

type Rows<K extends keyof ReturnType<typeof statements>> = ReturnType<ReturnType<typeof statements>[K]['all']>;

/** One slice of closed episodes as the model fitting sees them, with this instrument's ratings. */
function asDomainEpisodes(def: InstrumentDefinition, eps: Rows<'episodes'>, appts: Rows<'appointments'>, rated: Rows<'ratings'>, now: Date): DomainEpisode[] {
	const ratingByAppt = new Map(rated.filter((r) => r.instrumentId === def.id).map((r) => [r.appointmentId, r]));
	const apptsByEpisode = new Map<number, RecordAppointment[]>();
	for (const a of appts) {
		const r = ratingByAppt.get(a.id);
		const list = apptsByEpisode.get(a.episodeId) ?? [];
		list.push({ ...a, isGroup: false, session: null, ratings: r === undefined ? [] : [{ ...r, rater: 'patient', itemValues: {}, kind: 'outcome' }] });
		apptsByEpisode.set(a.episodeId, list);
	}
	const out: DomainEpisode[] = [];
	for (const e of eps) {
		const history = historyOf(apptsByEpisode.get(e.id) ?? []);
		// The band of the episode's last rating, at the patient's age then (docs/clinical/measures.md).
		const last = history.findLast((entry) => entry.outcome !== null);
		const t = thresholdsAtRating(def, last === undefined ? ageFromBirthYear(e.birthYear, now) : ageAt(e.birthYear, last.date));
		if (!t.ok || t.thresholds.rci === null) continue;
		out.push({ id: String(e.id), history, ending: e.endReason ?? 'other', thresholds: { cutoff: t.thresholds.cutoff, rci: t.thresholds.rci, strict: t.thresholds.rciStrict } });
	}
	return out;
}

/**
 * Fits the models again every ten minutes. The timer does not keep the process alive; a failed
 * fit is logged, the last good one stays in use, and the next one tries again.
 */
export function scheduleModelFits(db: Db, registry: Registry, minEpisodes: number, log: (line: string) => void): NodeJS.Timeout {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		fitExpectedModels(db, registry, new Date(), minEpisodes)
			.catch((e: unknown) => log(`Stemme: fitting the expected trajectories failed: ${(e as Error).message}`))
			.finally(() => (running = false));
	}, MODEL_REFIT_MS);
	timer.unref();
	return timer;
}
