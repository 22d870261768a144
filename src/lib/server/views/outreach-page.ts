import { eq } from 'drizzle-orm';
import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { auditOpened } from './patient-forms';
import { episodes, type OutreachTask, type Patient } from '../db/schema';
import { outreachTaskView } from '../outreach';
import { currentAbsencePlan } from '../risk/checklist';
import { osloDate } from '../appointments';
import { canReopen } from '$lib/domain/episode-course';

/** The outreach task page: the task, its attempts, the absence agreement, and the way back. */
export function outreachPageView(ctx: RequestContext, user: SessionUser, patient: Patient, task: OutreachTask) {
	const { db, now } = ctx;
	auditOpened(ctx, user, patient, `outreach ${task.id}`);
	const view = outreachTaskView(db, task);
	const episode = db.select().from(episodes).where(eq(episodes.id, task.episodeId)).get()!;
	const plan = currentAbsencePlan(db, task.episodeId);
	const today = osloDate(now);
	return {
		patient: { id: patient.id, code: patient.code, displayName: patient.displayName },
		task: {
			id: task.id,
			reason: task.reason,
			openedAt: task.openedAt.toISOString(),
			outcome: task.outcome,
			closedAt: task.closedAt?.toISOString() ?? null,
			owner: view.owner,
			closedBy: view.closedBy
		},
		attempts: view.attempts.map((a) => ({ id: a.id, date: a.date, channel: a.channel, result: a.result, note: a.note, by: a.by })),
		agreement: plan === null ? null : { text: plan.agreement, recordedBy: plan.recordedBy, recordedAt: plan.recordedAt.toISOString() },
		episode: { id: episode.id, actualEnd: episode.actualEnd, lastAttendedDate: episode.lastAttendedDate },
		canReopen: canReopen(episode.actualEnd, today),
		today
	};
}
