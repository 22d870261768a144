import { eq } from 'drizzle-orm';
import type { Db } from './db';
import { episodes } from './db/schema';
import type { SessionUser } from './auth/session';
import { recordAudit } from './audit';

/** Sets who holds the episode and the planned days between sessions; audited with the new values. */
export function updateEpisodePlan(
	db: Db,
	user: SessionUser,
	target: { episodeId: number; patientId: number },
	values: { responsibleId: number | null; sessionIntervalDays: number },
	now: Date
): void {
	db.transaction((tx) => {
		tx.update(episodes).set(values).where(eq(episodes.id, target.episodeId)).run();
		recordAudit(tx, { userId: user.id, action: 'changed_record', patientId: target.patientId, detail: `episode ${target.episodeId}: responsible ${values.responsibleId ?? 'none'}, every ${values.sessionIntervalDays} days` }, now);
	});
}
