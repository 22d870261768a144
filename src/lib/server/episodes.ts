import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { Db } from './db';
import { episodes, type Patient } from './db/schema';
import { openEpisode, osloDate } from './appointments';
import { m } from '$lib/paraglide/messages';
import type { SessionUser } from './auth/session';
import { recordAudit } from './audit';
import { doer, type Doer, type RequestContext } from './context';

/** Sets who holds the episode and the planned days between sessions; audited with the new values. */
export function updateEpisodePlan(db: Db, user: Doer, target: { episodeId: number; patientId: number }, values: { responsibleId: number | null; sessionIntervalDays: number }, now: Date): void {
	db.transaction((tx) => {
		tx.update(episodes).set(values).where(eq(episodes.id, target.episodeId)).run();
		recordAudit(
			tx,
			{
				userId: user.id,
				action: 'changed_record',
				patientId: target.patientId,
				detail: `episode ${target.episodeId}: responsible ${values.responsibleId ?? 'none'}, every ${values.sessionIntervalDays} days`,
				address: user.address ?? null
			},
			now
		);
	});
}

/**
 * For a form action on a patient the guard already let through: the patient's open episode, with
 * the ids every write and audit line needs and today's Oslo date. No open episode answers 409.
 */
export function withOpenEpisode(guarded: { user: SessionUser; patient: Patient }, ctx: Pick<RequestContext, 'db' | 'now' | 'address'>) {
	const { db, now } = ctx;
	const episode = openEpisode(db, guarded.patient.id);
	if (episode === null) error(409, m.episode_no_open());
	return { db, now, ...guarded, user: doer(ctx, guarded.user), episode, ids: { episodeId: episode.id, patientId: guarded.patient.id }, today: osloDate(now) };
}
