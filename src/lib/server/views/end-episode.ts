import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { flags, type Episode, type Patient } from '../db/schema';
import { episodeRecords } from '../patients';
import { currentDischargePlan } from '../milestones/plan';
import { osloDate } from '../appointments';
import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { auditOpened } from './patient-forms';
import { FEEDBACK_REGULAR_MIN_SESSIONS, FEEDBACK_REGULAR_SHARE, feedbackUse } from '$lib/domain/episode-course';

/** What the ending page shows before the episode ends: the discharge plan, feedback use, open flags. */
export function endEpisodeView(ctx: RequestContext, user: SessionUser, patient: Patient, episode: Episode) {
	const { db, registry, now } = ctx;
	auditOpened(ctx, user, patient, `ending episode ${episode.id}`);
	const record = episodeRecords(db, registry, [episode])[0]!;
	const feedback = feedbackUse(record.appointments.map((a) => ({ status: a.status, kinds: a.ratings.filter((r) => r.rater === 'patient' || r.rater === 'group-member').map((r) => r.kind) })));
	const plan = currentDischargePlan(db, episode.id);
	const attended = record.appointments.filter((a) => a.status === 'attended');
	return {
		patient: { id: patient.id, code: patient.code, displayName: patient.displayName },
		episode: { id: episode.id, startDate: episode.startDate, plannedEnd: episode.plannedEnd, actualEnd: episode.actualEnd },
		feedback,
		regularShare: FEEDBACK_REGULAR_SHARE,
		regularMin: FEEDBACK_REGULAR_MIN_SESSIONS,
		dischargePlan: plan === null ? null : { recordedAt: plan.recordedAt.toISOString(), recordedBy: plan.recordedBy },
		openFlags: db
			.select({ id: flags.id })
			.from(flags)
			.where(and(eq(flags.episodeId, episode.id), isNull(flags.resolvedAt)))
			.all().length,
		lastAttended: attended.length === 0 ? null : osloDate(attended[attended.length - 1]!.scheduledAt),
		today: osloDate(now)
	};
}

export function hasDischargePlan(db: Db, episodeId: number): boolean {
	return currentDischargePlan(db, episodeId) !== null;
}
