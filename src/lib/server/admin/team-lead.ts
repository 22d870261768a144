import { and, asc, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import type { Db } from '../db';
import { episodes, milestoneMeetings, patients, rolesWithoutTeams, teamMemberships, teams, users } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { addMembership, removeMembership } from './users';

/**
 * The team lead of a team is a user with the team-lead role who is on that team. They manage the
 * team's membership, its caseload assignment (who is responsible for each episode) and the
 * milestone presenter rota; a clinician on the same team does not.
 */
export function isTeamLeadOf(db: Pick<Db, 'select'>, user: Pick<SessionUser, 'id' | 'role'>, teamId: number): boolean {
	if (user.role !== 'team_lead') return false;
	return (
		db
			.select({ teamId: teamMemberships.teamId })
			.from(teamMemberships)
			.where(and(eq(teamMemberships.userId, user.id), eq(teamMemberships.teamId, teamId)))
			.get() !== undefined
	);
}

/** The teams the user leads, by name. */
export function ledTeams(db: Db, user: Pick<SessionUser, 'id' | 'role'>): { id: number; name: string }[] {
	if (user.role !== 'team_lead') return [];
	return db
		.select({ id: teams.id, name: teams.name })
		.from(teamMemberships)
		.innerJoin(teams, eq(teams.id, teamMemberships.teamId))
		.where(eq(teamMemberships.userId, user.id))
		.orderBy(asc(teams.name))
		.all();
}

/**
 * The people who may be picked for the team's work — responsible clinician, action owner,
 * presenter: active members only (a deactivated user is in no picker).
 */
export function activeTeamMembers(db: Pick<Db, 'select'>, teamId: number): { id: number; name: string }[] {
	return db
		.select({ id: users.id, name: users.displayName })
		.from(teamMemberships)
		.innerJoin(users, eq(users.id, teamMemberships.userId))
		.where(and(eq(teamMemberships.teamId, teamId), isNull(users.disabledAt)))
		.orderBy(asc(users.displayName))
		.all();
}

export interface TeamLeadView {
	team: { id: number; name: string; archived: boolean };
	members: { id: number; name: string; role: string }[];
	/** Active staff of the organisation not on the team, who could join it (admins treat no one). */
	candidates: { id: number; name: string }[];
	episodes: { id: number; patientId: number; patientCode: string; patientName: string; responsibleId: number | null; responsibleActive: boolean }[];
	meetings: { id: number; patientId: number; patientCode: string; scheduledDate: string; presenterId: number | null; responsibleId: number | null }[];
}

/** Everything the team page shows; the caller has checked isTeamLeadOf and audits the list it shows. */
export function teamLeadView(db: Db, lead: SessionUser, teamId: number): TeamLeadView | null {
	const team = db
		.select()
		.from(teams)
		.where(and(eq(teams.id, teamId), eq(teams.organisationId, lead.organisationId)))
		.get();
	if (team === undefined) return null;
	const members = db
		.select({ id: users.id, name: users.displayName, role: users.role })
		.from(teamMemberships)
		.innerJoin(users, eq(users.id, teamMemberships.userId))
		.where(and(eq(teamMemberships.teamId, teamId), isNull(users.disabledAt)))
		.orderBy(asc(users.displayName))
		.all();
	const memberIds = members.map((m) => m.id);
	const candidates = db
		.select({ id: users.id, name: users.displayName })
		.from(users)
		.where(
			and(eq(users.organisationId, lead.organisationId), isNull(users.disabledAt), notInArray(users.role, [...rolesWithoutTeams]), memberIds.length > 0 ? notInArray(users.id, memberIds) : undefined)
		)
		.orderBy(asc(users.displayName))
		.all();
	const open = db
		.select({ id: episodes.id, patientId: patients.id, patientCode: patients.code, patientName: patients.displayName, responsibleId: episodes.responsibleId, responsibleDisabled: users.disabledAt })
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.leftJoin(users, eq(users.id, episodes.responsibleId))
		.where(and(eq(patients.teamId, teamId), isNull(episodes.actualEnd), isNull(patients.erasedAt)))
		.orderBy(asc(patients.code))
		.all();
	const episodeIds = open.map((e) => e.id);
	const meetings =
		episodeIds.length === 0
			? []
			: db
					.select({ id: milestoneMeetings.id, episodeId: milestoneMeetings.episodeId, scheduledDate: milestoneMeetings.scheduledDate, presenterId: milestoneMeetings.presenterId })
					.from(milestoneMeetings)
					.where(and(inArray(milestoneMeetings.episodeId, episodeIds), isNull(milestoneMeetings.heldAt)))
					.orderBy(asc(milestoneMeetings.scheduledDate))
					.all();
	const byEpisode = new Map(open.map((e) => [e.id, e]));
	return {
		team: { id: team.id, name: team.name, archived: team.archivedAt !== null },
		members,
		candidates,
		episodes: open.map(({ responsibleDisabled, ...e }) => ({ ...e, responsibleActive: e.responsibleId !== null && responsibleDisabled === null })),
		meetings: meetings.map((mt) => {
			const e = byEpisode.get(mt.episodeId)!;
			return { id: mt.id, patientId: e.patientId, patientCode: e.patientCode, scheduledDate: mt.scheduledDate, presenterId: mt.presenterId, responsibleId: e.responsibleId };
		})
	};
}

export type LeadResult = { ok: true } | { ok: false; reason: 'not_found' | 'not_member' | 'not_allowed' | 'self' };

/** Adds an active, non-admin user of the organisation to the lead's team (audited as joining the team). */
export function leadAddMember(db: Db, lead: SessionUser, teamId: number, userId: number, address: string | null, now: Date): LeadResult {
	return db.transaction((tx): LeadResult => {
		const user = tx
			.select({ id: users.id, role: users.role, disabledAt: users.disabledAt })
			.from(users)
			.where(and(eq(users.id, userId), eq(users.organisationId, lead.organisationId)))
			.get();
		if (user === undefined || user.disabledAt !== null) return { ok: false, reason: 'not_found' };
		if (rolesWithoutTeams.includes(user.role)) return { ok: false, reason: 'not_allowed' };
		addMembership(tx, lead.id, userId, teamId, address, now);
		return { ok: true };
	});
}

/** Takes a member off the lead's team. A lead does not remove themself (the team could be left without a lead). */
export function leadRemoveMember(db: Db, lead: SessionUser, teamId: number, userId: number, address: string | null, now: Date): LeadResult {
	if (userId === lead.id) return { ok: false, reason: 'self' };
	return db.transaction((tx): LeadResult => {
		const member = tx
			.select({ userId: teamMemberships.userId })
			.from(teamMemberships)
			.where(and(eq(teamMemberships.teamId, teamId), eq(teamMemberships.userId, userId)))
			.get();
		if (member === undefined) return { ok: false, reason: 'not_member' };
		removeMembership(tx, lead.id, userId, teamId, address, now);
		return { ok: true };
	});
}

function activeMember(db: Pick<Db, 'select'>, teamId: number, userId: number): boolean {
	return activeTeamMembers(db, teamId).some((m) => m.id === userId);
}

/** Sets the responsible clinician of an open episode of the team (null: nobody yet). */
export function assignResponsible(db: Db, lead: SessionUser, teamId: number, episodeId: number, responsibleId: number | null, address: string | null, now: Date): LeadResult {
	return db.transaction((tx): LeadResult => {
		const episode = tx
			.select({ id: episodes.id, patientId: episodes.patientId })
			.from(episodes)
			.innerJoin(patients, eq(patients.id, episodes.patientId))
			.where(and(eq(episodes.id, episodeId), eq(patients.teamId, teamId), isNull(episodes.actualEnd)))
			.get();
		if (episode === undefined) return { ok: false, reason: 'not_found' };
		if (responsibleId !== null && !activeMember(tx, teamId, responsibleId)) return { ok: false, reason: 'not_member' };
		tx.update(episodes).set({ responsibleId }).where(eq(episodes.id, episodeId)).run();
		recordAudit(tx, { userId: lead.id, action: 'responsible_assigned', patientId: episode.patientId, detail: `episode ${episodeId}: responsible ${responsibleId ?? 'none'}`, address }, now);
		return { ok: true };
	});
}

/** Sets who presents at a planned (not yet held) milestone meeting of the team: someone other than the responsible clinician. */
export function assignPresenter(db: Db, lead: SessionUser, teamId: number, meetingId: number, presenterId: number | null, address: string | null, now: Date): LeadResult {
	return db.transaction((tx): LeadResult => {
		const meeting = tx
			.select({ id: milestoneMeetings.id, patientId: episodes.patientId, responsibleId: episodes.responsibleId })
			.from(milestoneMeetings)
			.innerJoin(episodes, eq(episodes.id, milestoneMeetings.episodeId))
			.innerJoin(patients, eq(patients.id, episodes.patientId))
			.where(and(eq(milestoneMeetings.id, meetingId), eq(patients.teamId, teamId), isNull(milestoneMeetings.heldAt), isNull(episodes.actualEnd)))
			.get();
		if (meeting === undefined) return { ok: false, reason: 'not_found' };
		if (presenterId !== null && (!activeMember(tx, teamId, presenterId) || presenterId === meeting.responsibleId)) return { ok: false, reason: 'not_member' };
		tx.update(milestoneMeetings).set({ presenterId }).where(eq(milestoneMeetings.id, meetingId)).run();
		recordAudit(tx, { userId: lead.id, action: 'presenter_assigned', patientId: meeting.patientId, detail: `meeting ${meetingId}: presenter ${presenterId ?? 'none'}`, address }, now);
		return { ok: true };
	});
}

/** The presenter of the episode's planned meeting, to tell a clinician's unchanged choice from a change. */
export function plannedPresenter(db: Pick<Db, 'select'>, episodeId: number): number | null {
	return (
		db
			.select({ presenterId: milestoneMeetings.presenterId })
			.from(milestoneMeetings)
			.where(and(eq(milestoneMeetings.episodeId, episodeId), isNull(milestoneMeetings.heldAt)))
			.orderBy(asc(milestoneMeetings.scheduledDate))
			.get()?.presenterId ?? null
	);
}

/**
 * The team page of a team lead: the view of one of their teams (the first when none is asked for),
 * audited as a list of the team's patients; null when they lead no such team.
 */
export function openTeamPage(db: Db, lead: SessionUser, teamId: number | null, address: string | null, now: Date): { teams: { id: number; name: string }[]; view: TeamLeadView } | null {
	const teamsLed = ledTeams(db, lead);
	const chosen = teamId === null ? teamsLed[0] : teamsLed.find((t) => t.id === teamId);
	if (chosen === undefined) return null;
	const view = teamLeadView(db, lead, chosen.id);
	if (view === null) return null;
	recordAudit(db, { userId: lead.id, action: 'viewed_patient_list', detail: `team page ${chosen.id}: ${view.episodes.length} episodes`, address }, now);
	return { teams: teamsLed, view };
}
