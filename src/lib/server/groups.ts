import { and, asc, eq, gte, inArray, isNull, notExists, sql } from 'drizzle-orm';
import type { Db } from './db';
import { appointments, episodes, groupMembers, groupSessions, patientGroups, patients, ratings, teams, users, type PatientGroup } from './db/schema';
import type { SessionUser } from './auth/session';
import { episodeTeam, visibleTeamIds } from './access';
import { recordAudit } from './audit';
import { bookableClinicians } from './booking';
import type { RequestContext } from './context';
import { clinicInstant, clinicWallClock, DEFAULT_DURATION_MINUTES, MAX_SERIES_SESSIONS, seriesDates, type Repeat, type SeriesEnd } from '$lib/domain/booking';

export interface GroupMemberView {
	id: number;
	episodeId: number;
	patientId: number;
	code: string;
	displayName: string;
	fromDate: string;
	untilDate: string | null;
}

export interface GroupView {
	group: PatientGroup & { teamName: string; clinician: string };
	members: GroupMemberView[];
	sessions: { id: number; at: Date; clinician: string; booked: number }[];
}

/** The named groups of the user's teams, with how many are members now. */
export function listGroups(db: Db, user: SessionUser, today: string): { id: number; name: string; teamName: string; clinician: string; members: number }[] {
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return [];
	return db
		.select({
			id: patientGroups.id,
			name: patientGroups.name,
			teamName: teams.name,
			clinician: users.displayName,
			members: sql<number>`(select count(*) from ${groupMembers} gm where gm.group_id = ${patientGroups.id} and gm.from_date <= ${today} and (gm.until_date is null or gm.until_date > ${today}))`
		})
		.from(patientGroups)
		.innerJoin(teams, eq(teams.id, patientGroups.teamId))
		.innerJoin(users, eq(users.id, patientGroups.clinicianId))
		.where(inArray(patientGroups.teamId, teamIds))
		.orderBy(asc(patientGroups.name))
		.all();
}

/** The user's teams, each with who can lead a group in it. */
export function groupTeams(db: Db, user: SessionUser): { id: number; name: string; people: { id: number; name: string }[] }[] {
	const ids = visibleTeamIds(db, user);
	if (ids.length === 0) return [];
	return db
		.select({ id: teams.id, name: teams.name })
		.from(teams)
		.where(inArray(teams.id, ids))
		.orderBy(asc(teams.name))
		.all()
		.map((t) => ({ ...t, people: bookableClinicians(db, t.id) }));
}

export type CreateGroupResult = { ok: true; id: number } | { ok: false; reason: 'name_taken' };

/** A new named group of a team the user belongs to (the route checks the team and clinician). */
export function createGroup(db: Db, user: SessionUser, input: { teamId: number; name: string; clinicianId: number }, now: Date, address: string | null = null): CreateGroupResult {
	const taken = db
		.select({ id: patientGroups.id })
		.from(patientGroups)
		.where(and(eq(patientGroups.teamId, input.teamId), eq(patientGroups.name, input.name)))
		.get();
	if (taken !== undefined) return { ok: false, reason: 'name_taken' };
	return db.transaction((tx) => {
		const id = tx.insert(patientGroups).values(input).returning({ id: patientGroups.id }).get().id;
		recordAudit(tx, { userId: user.id, action: 'changed_record', detail: `group ${id} created in team ${input.teamId}`, address }, now);
		return { ok: true, id };
	});
}

/** A group of one of the user's teams, with its members and its sessions from today on; null otherwise. */
export function findGroupForUser(db: Db, user: SessionUser, groupId: number, now: Date): GroupView | null {
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return null;
	const group = db
		.select({ g: patientGroups, teamName: teams.name, clinician: users.displayName })
		.from(patientGroups)
		.innerJoin(teams, eq(teams.id, patientGroups.teamId))
		.innerJoin(users, eq(users.id, patientGroups.clinicianId))
		.where(and(eq(patientGroups.id, groupId), inArray(patientGroups.teamId, teamIds)))
		.get();
	if (group === undefined) return null;
	const members = db
		.select({
			id: groupMembers.id,
			episodeId: groupMembers.episodeId,
			patientId: patients.id,
			code: patients.code,
			displayName: patients.displayName,
			fromDate: groupMembers.fromDate,
			untilDate: groupMembers.untilDate
		})
		.from(groupMembers)
		.innerJoin(episodes, eq(episodes.id, groupMembers.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(eq(groupMembers.groupId, groupId))
		.orderBy(asc(patients.code), asc(groupMembers.fromDate))
		.all();
	const from = clinicInstant(clinicWallClock(now).date, '00:00');
	const sessions = db
		.select({
			id: groupSessions.id,
			at: groupSessions.scheduledAt,
			clinician: users.displayName,
			booked: sql<number>`(select count(*) from ${appointments} a where a.group_session_id = ${groupSessions.id} and a.status = 'scheduled')`
		})
		.from(groupSessions)
		.innerJoin(users, eq(users.id, groupSessions.clinicianId))
		.where(and(eq(groupSessions.groupId, groupId), gte(groupSessions.scheduledAt, from)))
		.orderBy(asc(groupSessions.scheduledAt))
		.all();
	return { group: { ...group.g, teamName: group.teamName, clinician: group.clinician }, members, sessions };
}

/** The open episodes of a team's patients, by code: who can join a group. */
export function joinableEpisodes(db: Db, teamId: number): { episodeId: number; patientId: number; code: string; displayName: string }[] {
	return db
		.select({ episodeId: episodes.id, patientId: patients.id, code: patients.code, displayName: patients.displayName })
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(and(eq(episodeTeam, teamId), isNull(episodes.actualEnd), isNull(patients.erasedAt)))
		.orderBy(asc(patients.code))
		.all();
}

const activeOn = (m: Pick<GroupMemberView, 'fromDate' | 'untilDate'>, date: string): boolean => m.fromDate <= date && (m.untilDate === null || date < m.untilDate);

export interface GroupBookingInput {
	date: string;
	time: string;
	durationMinutes: number;
	clinicianId: number;
	repeat: Repeat;
	end: SeriesEnd | null;
}

export type GroupBookingResult =
	| { ok: true; sessions: number; appointments: number }
	| { ok: false; reason: 'too_many'; max: number }
	| { ok: false; reason: 'end_before_start' | 'in_past' }
	| { ok: false; reason: 'beyond_horizon'; last: string };

/**
 * The group's own series: one group session per date, and an appointment in it for each member
 * on that date. One transaction; one audit line per member's patient.
 */
export function bookGroupSeries(db: Db, user: SessionUser, view: GroupView, input: GroupBookingInput, now: Date, address: string | null = null): GroupBookingResult {
	const today = clinicWallClock(now).date;
	if (input.date < today) return { ok: false, reason: 'in_past' };
	const series = seriesDates(input.date, input.repeat, input.end, today);
	if (!series.ok) return series;
	return db.transaction((tx) => {
		let count = 0;
		const perPatient = new Map<number, number>();
		for (const date of series.dates) {
			const at = clinicInstant(date, input.time);
			const session = tx
				.insert(groupSessions)
				.values({ teamId: view.group.teamId, clinicianId: input.clinicianId, title: view.group.name, scheduledAt: at, groupId: view.group.id })
				.returning({ id: groupSessions.id })
				.get();
			const members = view.members.filter((m) => activeOn(m, date));
			if (members.length === 0) continue;
			tx.insert(appointments)
				.values(members.map((m) => ({ episodeId: m.episodeId, clinicianId: input.clinicianId, scheduledAt: at, durationMinutes: input.durationMinutes, isGroup: true, groupSessionId: session.id })))
				.run();
			count += members.length;
			for (const m of members) perPatient.set(m.patientId, (perPatient.get(m.patientId) ?? 0) + 1);
		}
		recordAudit(tx, { userId: user.id, action: 'changed_record', detail: `group ${view.group.id}: ${series.dates.length} sessions booked from ${input.date} ${input.time}`, address }, now);
		for (const [patientId, n] of perPatient) recordAudit(tx, { userId: user.id, action: 'changed_record', patientId, detail: `group ${view.group.id}: ${n} appointments booked`, address }, now);
		return { ok: true, sessions: series.dates.length, appointments: count };
	});
}

export type JoinResult = { ok: true; booked: number } | { ok: false; reason: 'already_member' | 'in_past' };

/** A patient joins the group from a date: booked into the group's sessions from that day on. */
export function joinGroup(db: Db, user: SessionUser, view: GroupView, member: { episodeId: number; patientId: number }, fromDate: string, now: Date, address: string | null = null): JoinResult {
	const today = clinicWallClock(now).date;
	if (fromDate < today) return { ok: false, reason: 'in_past' };
	if (view.members.some((m) => m.episodeId === member.episodeId && (m.untilDate === null || m.untilDate > fromDate))) return { ok: false, reason: 'already_member' };
	const from = clinicInstant(fromDate, '00:00');
	return db.transaction((tx) => {
		tx.insert(groupMembers).values({ groupId: view.group.id, episodeId: member.episodeId, fromDate }).run();
		const sessions = tx
			.select({ id: groupSessions.id, at: groupSessions.scheduledAt, clinicianId: groupSessions.clinicianId })
			.from(groupSessions)
			.where(and(eq(groupSessions.groupId, view.group.id), gte(groupSessions.scheduledAt, from)))
			.all();
		const durations = new Map(
			tx
				.select({ id: appointments.groupSessionId, d: appointments.durationMinutes })
				.from(appointments)
				.where(inArray(appointments.groupSessionId, sessions.length === 0 ? [0] : sessions.map((s) => s.id)))
				.all()
				.map((r) => [r.id, r.d])
		);
		if (sessions.length > 0) {
			tx.insert(appointments)
				.values(sessions.map((s) => ({ episodeId: member.episodeId, clinicianId: s.clinicianId, scheduledAt: s.at, durationMinutes: durations.get(s.id) ?? 90, isGroup: true, groupSessionId: s.id })))
				.run();
		}
		recordAudit(
			tx,
			{ userId: user.id, action: 'changed_record', patientId: member.patientId, detail: `group ${view.group.id}: joined from ${fromDate}, ${sessions.length} appointments booked`, address },
			now
		);
		return { ok: true, booked: sessions.length };
	});
}

export type LeaveResult = { ok: true; removed: number } | { ok: false; reason: 'not_member' | 'in_past' };

/**
 * A member leaves from a date: the membership ends the day before, and their appointments in the
 * group's sessions from that day that are still only planned (nothing rated) are taken off.
 */
export function leaveGroup(db: Db, user: SessionUser, view: GroupView, memberId: number, untilDate: string, now: Date, address: string | null = null): LeaveResult {
	const member = view.members.find((m) => m.id === memberId && m.untilDate === null);
	if (member === undefined) return { ok: false, reason: 'not_member' };
	if (untilDate < clinicWallClock(now).date || untilDate < member.fromDate) return { ok: false, reason: 'in_past' };
	const from = clinicInstant(untilDate, '00:00');
	return db.transaction((tx) => {
		tx.update(groupMembers).set({ untilDate }).where(eq(groupMembers.id, memberId)).run();
		const sessionIds = tx
			.select({ id: groupSessions.id })
			.from(groupSessions)
			.where(and(eq(groupSessions.groupId, view.group.id), gte(groupSessions.scheduledAt, from)));
		const removed = tx
			.delete(appointments)
			.where(
				and(
					eq(appointments.episodeId, member.episodeId),
					eq(appointments.status, 'scheduled'),
					inArray(appointments.groupSessionId, sessionIds),
					notExists(
						tx
							.select({ x: sql`1` })
							.from(ratings)
							.where(eq(ratings.appointmentId, appointments.id))
					)
				)
			)
			.returning({ id: appointments.id })
			.all().length;
		recordAudit(
			tx,
			{ userId: user.id, action: 'changed_record', patientId: member.patientId, detail: `group ${view.group.id}: left from ${untilDate}, ${removed} planned appointments taken off`, address },
			now
		);
		return { ok: true, removed };
	});
}

/** The groups page: the user's groups and teams (for a new group). Names no patient: nothing to audit. */
export function loadGroupsPage(ctx: RequestContext, user: SessionUser) {
	return { groups: listGroups(ctx.db, user, clinicWallClock(ctx.now).date), teams: groupTeams(ctx.db, user), me: user.id };
}

/** A group's page: members, who can join, the sessions. Opening it reads each member's record, audited so. */
export function loadGroupPage(ctx: RequestContext, user: SessionUser, view: GroupView) {
	const { db, now } = ctx;
	const page = {
		view,
		joinable: joinableEpisodes(db, view.group.teamId),
		clinicians: bookableClinicians(db, view.group.teamId),
		today: clinicWallClock(now).date,
		defaults: { duration: DEFAULT_DURATION_MINUTES * 2, maxSessions: MAX_SERIES_SESSIONS }
	};
	for (const patientId of new Set(view.members.map((x) => x.patientId)))
		recordAudit(db, { userId: user.id, action: 'viewed_patient', patientId, detail: `group ${view.group.id}`, address: ctx.address }, now);
	return page;
}
