import { error } from '@sveltejs/kit';
import { and, asc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from './db';
import {
	appointments,
	checklistAnswers,
	episodeReopenings,
	episodes,
	episodeTransitions,
	flags,
	patients,
	teamMemberships,
	teams,
	users,
	type Episode,
	type EpisodeTransition,
	type Patient
} from './db/schema';
import type { SessionUser } from './auth/session';
import { recordAudit } from './audit';
import { isMemberOf } from './registration';
import { openOutreachTask, closeOpenOutreach } from './outreach';
import { osloDate } from './appointments';
import { canReopen, earlierDropout, endingProblem, type EndingProblem, type EndReason } from '$lib/domain/episode-course';
import type { Checklist } from '$lib/domain/checklist';
import type { Setting } from '$lib/domain/milestones';
import { forgetStatistics } from './statistics/summaries';

/** The checklist factor an earlier drop-out fills in (docs/clinical/dropout-and-milestones.md, item 10). */
export const EARLIER_DROPOUT_FACTOR = 'earlier-dropout';

/**
 * Whether a team takes new episodes. Teams cannot be archived on this branch yet: once
 * `teams.archivedAt` (or the like) exists, this is the one place that reads it.
 */
export function teamTakesNewEpisodes(db: Db, teamId: number): boolean {
	return db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).get() !== undefined;
}

/** The active members of a team: who can hold an episode or own an outreach task. */
export function activeMembers(db: Db, teamId: number): { id: number; name: string }[] {
	return db
		.select({ id: users.id, name: users.displayName })
		.from(teamMemberships)
		.innerJoin(users, eq(users.id, teamMemberships.userId))
		.where(and(eq(teamMemberships.teamId, teamId), isNull(users.disabledAt)))
		.orderBy(asc(users.displayName))
		.all();
}

/** The team an episode belongs to now (its own, or the patient's for an episode from before). */
export function teamOfEpisode(episode: Pick<Episode, 'teamId'>, patient: Pick<Patient, 'teamId'>): number {
	return episode.teamId ?? patient.teamId;
}

export interface NewEpisode {
	teamId: number;
	setting: Setting;
	responsibleId: number | null;
	startDate: string;
	sessionIntervalDays: number | null;
	plannedEnd: string | null;
	referralReason: string;
}

export type StartResult =
	| { ok: true; episode: Episode; earlierDropout: { episodeId: number; endedOn: string } | null }
	| { ok: false; field: 'teamId'; reason: 'not-your-team' | 'team-archived' }
	| { ok: false; field: 'responsibleId'; reason: 'not-in-team' }
	| { ok: false; field: 'teamId'; reason: 'already-open'; episodeId: number }
	| { ok: false; field: 'plannedEnd'; reason: 'in-past' | 'before-start' };

/** The audit line of an opened episode. */
export function episodeOpenedDetail(episodeId: number, input: Pick<NewEpisode, 'teamId' | 'setting' | 'startDate' | 'plannedEnd'>, dropped: { id: number; actualEnd: string } | null): string {
	return `episode ${episodeId}: team ${input.teamId}, ${input.setting}, from ${input.startDate}${input.plannedEnd === null ? '' : ` to ${input.plannedEnd}`}${dropped === null ? '' : `; earlier drop-out ${dropped.actualEnd} (episode ${dropped.id})`}`;
}

/**
 * Opens an episode for a patient in one of the user's teams: one open episode per patient and
 * team. When the patient dropped out of an earlier episode, the checklist's "earlier drop-out"
 * factor is filled in as yes with that episode's end date (the clinician can change it); an open
 * outreach task of the patient ends as re-engaged. One transaction, audited.
 */
export function startEpisode(db: Db, user: SessionUser, patient: Patient, input: NewEpisode, checklist: Checklist, now: Date, address: string | null = null): StartResult {
	const today = osloDate(now);
	if (!isMemberOf(db, user, input.teamId)) return { ok: false, field: 'teamId', reason: 'not-your-team' };
	if (!teamTakesNewEpisodes(db, input.teamId)) return { ok: false, field: 'teamId', reason: 'team-archived' };
	if (input.responsibleId !== null && !activeMembers(db, input.teamId).some((m) => m.id === input.responsibleId)) return { ok: false, field: 'responsibleId', reason: 'not-in-team' };
	if (input.plannedEnd !== null && input.plannedEnd < today) return { ok: false, field: 'plannedEnd', reason: 'in-past' };
	if (input.plannedEnd !== null && input.plannedEnd <= input.startDate) return { ok: false, field: 'plannedEnd', reason: 'before-start' };
	return db.transaction((tx): StartResult => {
		const past = db.select().from(episodes).where(eq(episodes.patientId, patient.id)).all();
		const open = past.find((e) => e.actualEnd === null && teamOfEpisode(e, patient) === input.teamId);
		if (open !== undefined) return { ok: false, field: 'teamId', reason: 'already-open', episodeId: open.id };
		const episode = tx
			.insert(episodes)
			.values({
				patientId: patient.id,
				teamId: input.teamId,
				setting: input.setting,
				responsibleId: input.responsibleId,
				startDate: input.startDate,
				sessionIntervalDays: input.sessionIntervalDays,
				plannedEnd: input.plannedEnd,
				referralReason: input.referralReason
			})
			.returning()
			.get();
		// A drop-out that was reopened still counts: the patient stopped coming once.
		const reopened = db
			.select({ id: episodeReopenings.episodeId, startDate: episodes.startDate, actualEnd: episodeReopenings.endedOn, endReason: episodeReopenings.endReason })
			.from(episodeReopenings)
			.innerJoin(episodes, eq(episodes.id, episodeReopenings.episodeId))
			.where(eq(episodes.patientId, patient.id))
			.all();
		const dropped = earlierDropout([...past, ...reopened]);
		const hasFactor = checklist.factors.some((f) => f.key === EARLIER_DROPOUT_FACTOR);
		if (dropped !== null && hasFactor) {
			tx.insert(checklistAnswers)
				.values({
					episodeId: episode.id,
					checklistId: checklist.id,
					checklistVersion: checklist.version,
					factorKey: EARLIER_DROPOUT_FACTOR,
					answer: 'yes',
					note: '',
					factorDate: dropped.actualEnd,
					assessedById: user.id,
					assessedAt: now
				})
				.run();
		}
		closeOpenOutreach(db, user, patient.id, 're-engaged', episode.id, now, address);
		recordAudit(
			tx,
			{
				userId: user.id,
				action: 'episode_opened',
				patientId: patient.id,
				detail: episodeOpenedDetail(episode.id, input, dropped),
				address
			},
			now
		);
		return { ok: true, episode, earlierDropout: dropped === null || !hasFactor ? null : { episodeId: dropped.id, endedOn: dropped.actualEnd } };
	});
}

/** An episode of a patient the guard let through, by id; null when it is not this patient's. */
export function episodeOfPatient(db: Db, patientId: number, episodeId: number): Episode | null {
	return (
		db
			.select()
			.from(episodes)
			.where(and(eq(episodes.id, episodeId), eq(episodes.patientId, patientId)))
			.get() ?? null
	);
}

export interface NewTransition {
	date: string;
	kind: EpisodeTransition['kind'];
	toTeamId: number;
	toSetting: Setting;
	place: string;
	note: string;
}

export type TransitionResult =
	| { ok: true; transition: EpisodeTransition; planned: boolean }
	| { ok: false; field: 'date'; reason: 'before-start' | 'episode-ended' }
	| { ok: false; field: 'toTeamId'; reason: 'unknown-team' | 'team-archived' }
	| { ok: false; field: 'kind'; reason: 'nothing-moves' }
	| { ok: false; field: 'place'; reason: 'required' };

/** Kinds that take the patient somewhere outside the clinic's teams: where is required. */
const NEEDS_PLACE: readonly EpisodeTransition['kind'][] = ['private-institution', 'prison', 'temporary-transfer'];

/**
 * Records a transition of an open episode. Dated today or earlier it moves the episode now (team
 * and setting); dated later it is planned, and moves the episode when its day comes
 * (applyDueTransitions). The course stays one episode; the receiving team sees all of it.
 */
export function recordTransition(db: Db, user: SessionUser, patient: Patient, episode: Episode, input: NewTransition, now: Date, address: string | null = null): TransitionResult {
	const today = osloDate(now);
	if (episode.actualEnd !== null) return { ok: false, field: 'date', reason: 'episode-ended' };
	if (input.date < episode.startDate) return { ok: false, field: 'date', reason: 'before-start' };
	const toTeam = db.select({ id: teams.id, organisationId: teams.organisationId }).from(teams).where(eq(teams.id, input.toTeamId)).get();
	if (toTeam === undefined || toTeam.organisationId !== patient.organisationId) return { ok: false, field: 'toTeamId', reason: 'unknown-team' };
	const fromTeamId = teamOfEpisode(episode, patient);
	if (toTeam.id !== fromTeamId && !teamTakesNewEpisodes(db, toTeam.id)) return { ok: false, field: 'toTeamId', reason: 'team-archived' };
	if (NEEDS_PLACE.includes(input.kind) && input.place.trim() === '') return { ok: false, field: 'place', reason: 'required' };
	if (!NEEDS_PLACE.includes(input.kind) && toTeam.id === fromTeamId && input.toSetting === episode.setting) return { ok: false, field: 'kind', reason: 'nothing-moves' };
	const planned = input.date > today;
	return db.transaction((tx): TransitionResult => {
		const transition = tx
			.insert(episodeTransitions)
			.values({
				episodeId: episode.id,
				date: input.date,
				kind: input.kind,
				fromTeamId,
				toTeamId: toTeam.id,
				fromSetting: episode.setting,
				toSetting: input.toSetting,
				place: input.place,
				note: input.note,
				recordedById: user.id,
				recordedAt: now
			})
			.returning()
			.get();
		recordAudit(
			tx,
			{
				userId: user.id,
				action: 'episode_transition',
				patientId: patient.id,
				detail: `episode ${episode.id}: ${input.kind} on ${input.date}${planned ? ' (planned)' : ''}, team ${fromTeamId} → ${toTeam.id}, ${episode.setting} → ${input.toSetting}${input.place === '' ? '' : `, ${input.place}`}`,
				address
			},
			now
		);
		if (!planned) applyTransition(db, transition, now);
		return { ok: true, transition: planned ? transition : { ...transition, appliedAt: now }, planned };
	});
}

/** Moves the episode as the transition says; the patient's team follows when nothing else holds them there. */
function applyTransition(db: Db, transition: EpisodeTransition, now: Date): void {
	db.update(episodes).set({ teamId: transition.toTeamId, setting: transition.toSetting }).where(eq(episodes.id, transition.episodeId)).run();
	db.update(episodeTransitions).set({ appliedAt: now }).where(eq(episodeTransitions.id, transition.id)).run();
	if (transition.toTeamId === transition.fromTeamId) return;
	const episode = db.select({ patientId: episodes.patientId }).from(episodes).where(eq(episodes.id, transition.episodeId)).get()!;
	const patient = db.select().from(patients).where(eq(patients.id, episode.patientId)).get()!;
	if (patient.teamId !== transition.fromTeamId) return;
	// The patient stays the sending team's while it has another open episode of them.
	const stillThere = db
		.select({ id: episodes.id })
		.from(episodes)
		.where(and(eq(episodes.patientId, patient.id), isNull(episodes.actualEnd), eq(episodes.teamId, transition.fromTeamId)))
		.get();
	if (stillThere === undefined) db.update(patients).set({ teamId: transition.toTeamId }).where(eq(patients.id, patient.id)).run();
}

/** Carries out planned transitions whose day has come (run with the background sweep). */
export function applyDueTransitions(db: Db, now: Date): number {
	const today = osloDate(now);
	const due = db
		.select({ transition: episodeTransitions })
		.from(episodeTransitions)
		.innerJoin(episodes, eq(episodes.id, episodeTransitions.episodeId))
		.where(and(isNull(episodeTransitions.appliedAt), lte(episodeTransitions.date, today), isNull(episodes.actualEnd)))
		.orderBy(asc(episodeTransitions.date), asc(episodeTransitions.id))
		.all();
	db.transaction(() => {
		for (const { transition } of due) applyTransition(db, transition, now);
	});
	return due.length;
}

/** The transitions of an episode, in date order, with team names and who recorded them. */
export function episodeTransitionList(db: Db, episodeId: number) {
	return db
		.select({ transition: episodeTransitions, toTeam: teams.name, recordedBy: users.displayName })
		.from(episodeTransitions)
		.innerJoin(teams, eq(teams.id, episodeTransitions.toTeamId))
		.innerJoin(users, eq(users.id, episodeTransitions.recordedById))
		.where(eq(episodeTransitions.episodeId, episodeId))
		.orderBy(asc(episodeTransitions.date), asc(episodeTransitions.id))
		.all();
}

/** Recorded transition dates by episode, for the risk rule. */
export function transitionDates(db: Db, episodeIds: readonly number[]): Map<number, string[]> {
	const out = new Map<number, string[]>();
	if (episodeIds.length === 0) return out;
	for (const r of db
		.select({ episodeId: episodeTransitions.episodeId, date: episodeTransitions.date })
		.from(episodeTransitions)
		.where(inArray(episodeTransitions.episodeId, [...episodeIds]))
		.all()) {
		const list = out.get(r.episodeId);
		if (list === undefined) out.set(r.episodeId, [r.date]);
		else list.push(r.date);
	}
	return out;
}

export interface Ending {
	reason: EndReason;
	endDate: string;
	lastAttendedDate: string | null;
	note: string;
	/** The user confirmed ending without a discharge plan. */
	withoutDischargePlan: boolean;
}

export type EndResult =
	| { ok: true; outreachTaskId: number | null; flagsClosed: number; cancelled: number }
	| { ok: false; field: 'reason'; reason: 'episode-ended' }
	| { ok: false; field: 'withoutDischargePlan'; reason: 'discharge-plan-missing' }
	| { ok: false; field: 'endDate' | 'lastAttendedDate'; reason: EndingProblem };

/**
 * Ends an open episode with its reason, in one transaction: its open flags close as "episode
 * ended", appointments still booked after the end are cancelled by the clinic, and a drop-out
 * opens an outreach task for the responsible clinician (or the user). Audited.
 */
export function endEpisode(db: Db, user: SessionUser, patient: Patient, episode: Episode, ending: Ending, hasDischargePlan: boolean, now: Date, address: string | null = null): EndResult {
	const today = osloDate(now);
	if (episode.actualEnd !== null) return { ok: false, field: 'reason', reason: 'episode-ended' };
	const problem = endingProblem(episode, ending, today);
	if (problem !== null) return { ok: false, field: problem.startsWith('lastAttended') ? 'lastAttendedDate' : 'endDate', reason: problem };
	if (!hasDischargePlan && !ending.withoutDischargePlan) return { ok: false, field: 'withoutDischargePlan', reason: 'discharge-plan-missing' };
	return db.transaction((tx): EndResult => {
		tx.update(episodes)
			.set({ actualEnd: ending.endDate, endReason: ending.reason, lastAttendedDate: ending.reason === 'dropout' ? ending.lastAttendedDate : null, endNote: ending.note, endedById: user.id })
			.where(eq(episodes.id, episode.id))
			.run();
		const open = tx
			.select({ id: flags.id, key: flags.key })
			.from(flags)
			.where(and(eq(flags.episodeId, episode.id), isNull(flags.resolvedAt)))
			.all();
		for (const f of open) {
			tx.update(flags).set({ resolvedAt: now, resolution: 'episode-ended' }).where(eq(flags.id, f.id)).run();
			recordAudit(tx, { userId: user.id, action: 'flag_resolved', patientId: patient.id, detail: `flag ${f.id} ${f.key}: episode-ended`, address }, now);
		}
		const endOfDay = new Date(`${ending.endDate}T23:59:59.999Z`);
		const cancelled = tx
			.update(appointments)
			.set({ status: 'cancelled' })
			.where(and(eq(appointments.episodeId, episode.id), eq(appointments.status, 'scheduled'), gt(appointments.scheduledAt, endOfDay)))
			.returning({ id: appointments.id })
			.all().length;
		forgetStatistics(tx, { episodeId: episode.id });
		let outreachTaskId: number | null = null;
		if (ending.reason === 'dropout') {
			outreachTaskId = openOutreachTask(db, { episodeId: episode.id, patientId: patient.id, reason: 'dropout', ownerId: episode.responsibleId ?? user.id, openedById: user.id }, now, address);
		}
		recordAudit(
			tx,
			{
				userId: user.id,
				action: 'episode_ended',
				patientId: patient.id,
				detail: `episode ${episode.id}: ${ending.reason} on ${ending.endDate}${ending.lastAttendedDate === null || ending.reason !== 'dropout' ? '' : `, last attended ${ending.lastAttendedDate}`}; ${open.length} flags closed, ${cancelled} appointments cancelled`,
				address
			},
			now
		);
		return { ok: true, outreachTaskId, flagsClosed: open.length, cancelled };
	});
}

export type ReopenResult = { ok: true } | { ok: false; field: 'episode'; reason: 'not-ended' | 'too-late' } | { ok: false; field: 'episode'; reason: 'already-open'; episodeId: number };

/**
 * Reopens an episode that ended less than REOPEN_WINDOW_DAYS ago, with the reason, keeping what
 * the ending was in the episode's history; an open outreach task of it ends as re-engaged.
 */
export function reopenEpisode(db: Db, user: SessionUser, patient: Patient, episode: Episode, reason: string, now: Date, address: string | null = null): ReopenResult {
	const today = osloDate(now);
	if (episode.actualEnd === null || episode.endReason === null) return { ok: false, field: 'episode', reason: 'not-ended' };
	if (!canReopen(episode.actualEnd, today)) return { ok: false, field: 'episode', reason: 'too-late' };
	const team = teamOfEpisode(episode, patient);
	const other = db
		.select()
		.from(episodes)
		.where(and(eq(episodes.patientId, patient.id), isNull(episodes.actualEnd)))
		.all()
		.find((e) => teamOfEpisode(e, patient) === team);
	if (other !== undefined) return { ok: false, field: 'episode', reason: 'already-open', episodeId: other.id };
	const endedOn = episode.actualEnd;
	const endReason = episode.endReason;
	db.transaction((tx) => {
		tx.insert(episodeReopenings).values({ episodeId: episode.id, endedOn, endReason, reason, reopenedById: user.id, reopenedAt: now }).run();
		tx.update(episodes).set({ actualEnd: null, endReason: null, lastAttendedDate: null, endNote: '', endedById: null }).where(eq(episodes.id, episode.id)).run();
		closeOpenOutreach(db, user, patient.id, 're-engaged', episode.id, now, address);
		recordAudit(tx, { userId: user.id, action: 'episode_reopened', patientId: patient.id, detail: `episode ${episode.id}: ended ${endedOn} (${endReason}), reopened: ${reason}`, address }, now);
	});
	return { ok: true };
}

/** The reopenings of an episode, oldest first, with who did it. */
export function episodeReopeningList(db: Db, episodeId: number) {
	return db
		.select({ reopening: episodeReopenings, by: users.displayName })
		.from(episodeReopenings)
		.innerJoin(users, eq(users.id, episodeReopenings.reopenedById))
		.where(eq(episodeReopenings.episodeId, episodeId))
		.orderBy(asc(episodeReopenings.id))
		.all();
}

/**
 * The episode an address names, after the patient's guard: it must be that patient's, or the
 * answer is 404, as for another team's patient.
 */
export function episodeFromParam(db: Db, patientId: number, raw: string): Episode {
	const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : null;
	const episode = id === null ? null : episodeOfPatient(db, patientId, id);
	if (episode === null) error(404, 'Not found');
	return episode;
}
