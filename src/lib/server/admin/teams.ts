import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { teams, type Team } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';

export const teamSettings = ['outpatient', 'inpatient', 'group'] as const;
export type TeamSetting = (typeof teamSettings)[number];

export interface TeamRow {
	id: number;
	name: string;
	defaultSetting: TeamSetting;
	archivedAt: Date | null;
	/** Active members (deactivated users are not counted). */
	members: number;
}

/** The organisation's teams, open ones first, then by name, with how many active people are on each. */
export function listTeams(db: Db, organisationId: number): TeamRow[] {
	return db
		.select({
			id: teams.id,
			name: teams.name,
			defaultSetting: teams.defaultSetting,
			archivedAt: teams.archivedAt,
			members: sql<number>`(select count(*) from team_memberships tm join users u on u.id = tm.user_id where tm.team_id = "teams"."id" and u.disabled_at is null)`
		})
		.from(teams)
		.where(eq(teams.organisationId, organisationId))
		.orderBy(sql`${teams.archivedAt} is not null`, asc(teams.name))
		.all();
}

/** One team of the organisation, or null (another organisation's team is not found either). */
export function findTeam(db: Pick<Db, 'select'>, organisationId: number, teamId: number): Team | null {
	return (
		db
			.select()
			.from(teams)
			.where(and(eq(teams.id, teamId), eq(teams.organisationId, organisationId)))
			.get() ?? null
	);
}

/**
 * Whether the team takes new episodes: it exists and is not archived. Whoever opens an episode
 * (registration, a transition to another team, an import) asks this first.
 */
export function teamTakesNewEpisodes(db: Pick<Db, 'select'>, teamId: number): boolean {
	const row = db.select({ archivedAt: teams.archivedAt }).from(teams).where(eq(teams.id, teamId)).get();
	return row !== undefined && row.archivedAt === null;
}

export interface TeamInput {
	name: string;
	defaultSetting: TeamSetting;
}

export type TeamResult = { ok: true; team: { id: number; name: string } } | { ok: false; reason: 'name_taken' | 'not_found' };

/** Two teams of one organisation may not share a name, whatever the case (SQLite's lower() knows only ASCII: ø, å, æ). */
function nameTaken(db: Pick<Db, 'select'>, organisationId: number, name: string, except: number | null): boolean {
	const wanted = name.toLocaleLowerCase('nb');
	return db
		.select({ id: teams.id, name: teams.name })
		.from(teams)
		.where(and(eq(teams.organisationId, organisationId), except === null ? undefined : ne(teams.id, except)))
		.all()
		.some((t) => t.name.toLocaleLowerCase('nb') === wanted);
}

export function createTeam(db: Db, admin: SessionUser, input: TeamInput, address: string | null, now: Date): TeamResult {
	return db.transaction((tx): TeamResult => {
		if (nameTaken(tx, admin.organisationId, input.name, null)) return { ok: false, reason: 'name_taken' };
		const team = tx
			.insert(teams)
			.values({ organisationId: admin.organisationId, name: input.name, defaultSetting: input.defaultSetting, createdAt: now })
			.returning({ id: teams.id, name: teams.name })
			.get();
		recordAudit(tx, { userId: admin.id, action: 'team_created', detail: `team ${team.id} (${input.defaultSetting})`, address }, now);
		return { ok: true, team };
	});
}

/** Renames a team and sets its default setting; the audit row names what changed from what. */
export function updateTeam(db: Db, admin: SessionUser, teamId: number, input: TeamInput, address: string | null, now: Date): TeamResult {
	return db.transaction((tx): TeamResult => {
		const team = findTeam(tx, admin.organisationId, teamId);
		if (team === null) return { ok: false, reason: 'not_found' };
		if (nameTaken(tx, admin.organisationId, input.name, teamId)) return { ok: false, reason: 'name_taken' };
		tx.update(teams).set({ name: input.name, defaultSetting: input.defaultSetting }).where(eq(teams.id, teamId)).run();
		const changes = [team.name !== input.name ? 'renamed' : null, team.defaultSetting !== input.defaultSetting ? `setting ${team.defaultSetting} → ${input.defaultSetting}` : null].filter(
			(c) => c !== null
		);
		recordAudit(tx, { userId: admin.id, action: 'team_changed', detail: `team ${teamId}: ${changes.join(', ') || 'unchanged'}`, address }, now);
		return { ok: true, team: { id: teamId, name: input.name } };
	});
}

/**
 * Archives a team (or brings it back). Its patients, episodes and members stay as they are; an
 * archived team only takes no new episodes (teamTakesNewEpisodes) and is not offered for them.
 */
export function setTeamArchived(db: Db, admin: SessionUser, teamId: number, archived: boolean, address: string | null, now: Date): TeamResult {
	return db.transaction((tx): TeamResult => {
		const team = findTeam(tx, admin.organisationId, teamId);
		if (team === null) return { ok: false, reason: 'not_found' };
		tx.update(teams)
			.set({ archivedAt: archived ? now : null })
			.where(eq(teams.id, teamId))
			.run();
		recordAudit(tx, { userId: admin.id, action: archived ? 'team_archived' : 'team_restored', detail: `team ${teamId}`, address }, now);
		return { ok: true, team: { id: teamId, name: team.name } };
	});
}

/** Open teams of the organisation, for pickers that put someone or something on a team. */
export function openTeams(db: Db, organisationId: number): { id: number; name: string }[] {
	return db
		.select({ id: teams.id, name: teams.name })
		.from(teams)
		.where(and(eq(teams.organisationId, organisationId), isNull(teams.archivedAt)))
		.orderBy(asc(teams.name))
		.all();
}
