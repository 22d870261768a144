import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions, teamMemberships, teams, users, type Locale, type Role, type User } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { hashPassword } from '../auth/password';
import { passwordProblem, type PasswordProblem } from '../auth/password-rules';
import { recordAudit } from '../audit';

export interface UserListRow {
	id: number;
	username: string;
	displayName: string;
	role: Role;
	preferredLocale: Locale;
	teamNames: string[];
	disabledAt: Date | null;
}

/** Every user of the organisation, active first, then by name, with their teams. */
export function listOrganisationUsers(db: Db, organisationId: number): UserListRow[] {
	const rows = db
		.select({
			id: users.id,
			username: users.username,
			displayName: users.displayName,
			role: users.role,
			preferredLocale: users.preferredLocale,
			disabledAt: users.disabledAt,
			// Written out: inside a sub-select drizzle leaves column names unqualified, and "id" would be the team's.
			teamNames: sql<string | null>`(select group_concat(t.name, char(31)) from team_memberships tm join teams t on t.id = tm.team_id where tm.user_id = "users"."id")`
		})
		.from(users)
		.where(eq(users.organisationId, organisationId))
		.orderBy(sql`${users.disabledAt} is not null`, asc(users.displayName))
		.all();
	return rows.map((r) => ({ ...r, teamNames: r.teamNames === null ? [] : r.teamNames.split('\u001f').sort() }));
}

export function organisationTeams(db: Db, organisationId: number): { id: number; name: string }[] {
	return db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.organisationId, organisationId)).orderBy(asc(teams.name)).all();
}

export interface NewUser {
	username: string;
	displayName: string;
	role: Role;
	/** Required for clinicians and team leads; an admin may belong to no team. */
	teamId: number | null;
	preferredLocale: Locale;
	password: string;
}

export type CreateUserResult =
	| { ok: true; user: Pick<User, 'id' | 'username'> }
	| { ok: false; reason: 'username_taken' }
	| { ok: false; reason: 'weak_password'; problem: PasswordProblem }
	| { ok: false; reason: 'unknown_team' };

/**
 * Creates a staff account in the admin's organisation: the user, their team membership and the
 * audit event in one transaction, so a failure stores nothing. The password rules are checked
 * here as well as on the form, so no caller can set a weak one.
 */
export async function createUser(db: Db, admin: SessionUser, input: NewUser, address: string | null, now: Date): Promise<CreateUserResult> {
	const username = input.username.trim().toLowerCase();
	const problem = passwordProblem(input.password, username);
	if (problem !== null) return { ok: false, reason: 'weak_password', problem };
	// argon2 is slow and async; hash before the (synchronous) transaction.
	const passwordHash = await hashPassword(input.password);
	return db.transaction((tx): CreateUserResult => {
		if (tx.select({ id: users.id }).from(users).where(eq(users.username, username)).get() !== undefined) {
			return { ok: false, reason: 'username_taken' };
		}
		if (input.teamId !== null) {
			const team = tx.select({ id: teams.id }).from(teams).where(and(eq(teams.id, input.teamId), eq(teams.organisationId, admin.organisationId))).get();
			if (team === undefined) return { ok: false, reason: 'unknown_team' };
		}
		const user = tx
			.insert(users)
			.values({ organisationId: admin.organisationId, username, displayName: input.displayName.trim(), passwordHash, role: input.role, preferredLocale: input.preferredLocale, createdAt: now })
			.returning({ id: users.id, username: users.username })
			.get();
		if (input.teamId !== null) tx.insert(teamMemberships).values({ userId: user.id, teamId: input.teamId }).run();
		recordAudit(tx, { userId: admin.id, action: 'user_created', detail: `user ${user.id} ${username} (${input.role})`, address }, now);
		return { ok: true, user };
	});
}

export type SetDisabledResult = { ok: true; username: string } | { ok: false; reason: 'not_found' | 'self' };

/**
 * Disables or enables an account of the admin's organisation. Disabling deletes every session of
 * the user in the same transaction: their next request, on any device, lands on the sign-in page.
 * An admin cannot disable their own account (the organisation would risk having no admin).
 */
export function setUserDisabled(db: Db, admin: SessionUser, userId: number, disabled: boolean, address: string | null, now: Date): SetDisabledResult {
	if (userId === admin.id) return { ok: false, reason: 'self' };
	return db.transaction((tx): SetDisabledResult => {
		const target = tx.select({ id: users.id, username: users.username }).from(users).where(and(eq(users.id, userId), eq(users.organisationId, admin.organisationId))).get();
		if (target === undefined) return { ok: false, reason: 'not_found' };
		tx.update(users).set({ disabledAt: disabled ? now : null }).where(eq(users.id, userId)).run();
		if (disabled) tx.delete(sessions).where(eq(sessions.userId, userId)).run();
		recordAudit(tx, { userId: admin.id, action: disabled ? 'user_disabled' : 'user_enabled', detail: `user ${target.id} ${target.username}`, address }, now);
		return { ok: true, username: target.username };
	});
}
