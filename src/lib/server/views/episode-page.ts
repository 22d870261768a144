import { asc, desc, eq } from 'drizzle-orm';
import type { RequestContext } from '../context';
import { auditOpened } from './patient-forms';
import { outreachTasks, teams, users, type Episode, type Patient } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { episodeReopeningList, episodeTransitionList, teamOfEpisode, EARLIER_DROPOUT_FACTOR } from '../episode-course';
import { answersInForce } from '../risk/checklist';
import { sessionIntervalDays } from '../risk/config';
import { osloDate } from '../appointments';
import { canReopen, REOPEN_WINDOW_DAYS } from '$lib/domain/episode-course';
import { maskNationalId } from '$lib/domain/national-id';

/** Everything the episode page shows: the facts, its transitions and reopenings, and what can be done now. */
export function episodePageView(ctx: RequestContext, user: SessionUser, patient: Patient, episode: Episode) {
	const { db, now } = ctx;
	auditOpened(ctx, user, patient, `episode ${episode.id}`);
	const today = osloDate(now);
	const teamId = teamOfEpisode(episode, patient);
	const team = db.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId)).get()?.name ?? '';
	const responsible = episode.responsibleId === null ? null : (db.select({ name: users.displayName }).from(users).where(eq(users.id, episode.responsibleId)).get()?.name ?? null);
	const earlier = answersInForce(db, [episode.id]).get(episode.id)?.get(EARLIER_DROPOUT_FACTOR);
	return {
		patient: { id: patient.id, code: patient.code, displayName: patient.displayName, nationalId: patient.nationalId === null ? null : maskNationalId(patient.nationalId) },
		episode: {
			id: episode.id,
			team,
			teamId,
			setting: episode.setting,
			responsible,
			startDate: episode.startDate,
			plannedEnd: episode.plannedEnd,
			sessionIntervalDays: sessionIntervalDays(episode),
			intervalIsDefault: episode.sessionIntervalDays === null,
			referralReason: episode.referralReason,
			actualEnd: episode.actualEnd,
			endReason: episode.endReason,
			lastAttendedDate: episode.lastAttendedDate,
			endNote: episode.endNote
		},
		transitions: episodeTransitionList(db, episode.id).map((t) => ({
			...t.transition,
			recordedAt: t.transition.recordedAt.toISOString(),
			appliedAt: t.transition.appliedAt?.toISOString() ?? null,
			toTeam: t.toTeam,
			recordedBy: t.recordedBy
		})),
		reopenings: episodeReopeningList(db, episode.id).map((r) => ({ ...r.reopening, reopenedAt: r.reopening.reopenedAt.toISOString(), by: r.by })),
		outreach: db
			.select({ id: outreachTasks.id, outcome: outreachTasks.outcome, closedAt: outreachTasks.closedAt })
			.from(outreachTasks)
			.where(eq(outreachTasks.episodeId, episode.id))
			.orderBy(desc(outreachTasks.id))
			.all()
			.map((t) => ({ ...t, closedAt: t.closedAt?.toISOString() ?? null })),
		earlierDropout: earlier !== undefined && earlier.answer === 'yes' && earlier.factorDate !== null ? earlier.factorDate : null,
		organisationTeams: db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.organisationId, patient.organisationId)).orderBy(asc(teams.name)).all(),
		canReopen: canReopen(episode.actualEnd, today),
		reopenWindowDays: REOPEN_WINDOW_DAYS,
		today,
		userId: user.id
	};
}
