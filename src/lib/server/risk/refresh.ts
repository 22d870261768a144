import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { appointments } from '../db/schema';
import type { Registry } from '$lib/domain/registry';
import type { RiskConfig } from './config';
import { refreshEpisodeFlags } from './flags';

const pending = new Set<number>();
const pendingAppointments = new Set<number>();
let scheduled = false;

/**
 * Re-evaluates an episode's flags just after the current request has been answered — a tablet's
 * rating is acknowledged without waiting for it. Several ratings of one episode in the same tick
 * are evaluated once. A failure is logged; the periodic sweep catches up.
 */
export function refreshFlagsSoon(db: Db, risk: { registry: Registry; config: RiskConfig }, of: { episodeId: number } | { appointmentId: number }, log: (line: string) => void = console.error): void {
	if ('episodeId' in of) pending.add(of.episodeId);
	else pendingAppointments.add(of.appointmentId);
	if (scheduled) return;
	scheduled = true;
	setImmediate(() => {
		scheduled = false;
		for (const appointmentId of pendingAppointments) {
			const row = db.select({ episodeId: appointments.episodeId }).from(appointments).where(eq(appointments.id, appointmentId)).get();
			if (row !== undefined) pending.add(row.episodeId);
		}
		pendingAppointments.clear();
		const ids = [...pending];
		pending.clear();
		for (const id of ids) {
			try {
				refreshEpisodeFlags(db, risk.registry, risk.config, id, new Date());
			} catch (e) {
				log(`Stemme: drop-out flags of episode ${id} not updated: ${(e as Error).message}`);
			}
		}
	});
}
