import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions, teamMemberships, teams, users, type Locale, type Role, type User } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { hashPassword } from '../auth/password';
import { passwordProblem, type PasswordProblem } from '../auth/password-rules';
import { recordAudit } from '../audit';
import { secondFactorStatus } from '../auth/two-factor';

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
	/** At least one for clinicians and team leads; an admin may belong to no team. A person can be on several. */
	teamIds: number[];
	preferredLocale: Locale;
	/** A one-time password: the user must replace it at the first sign-in, so the admin never knows a usable one. */
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
		if (!teamsOfOrganisation(tx, admin.organisationId, input.teamIds)) return { ok: false, reason: 'unknown_team' };
		const user = tx
			.insert(users)
			.values({
				organisationId: admin.organisationId,
				username,
				displayName: input.displayName.trim(),
				passwordHash,
				role: input.role,
				preferredLocale: input.preferredLocale,
				mustChangePassword: true,
				createdAt: now
			})
			.returning({ id: users.id, username: users.username })
			.get();
		recordAudit(tx, { userId: admin.id, action: 'user_created', detail: `user ${user.id} ${username} (${input.role}), one-time password`, address }, now);
		for (const teamId of input.teamIds) addMembership(tx, admin.id, user.id, teamId, address, now);
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
		const target = tx
			.select({ id: users.id, username: users.username })
			.from(users)
			.where(and(eq(users.id, userId), eq(users.organisationId, admin.organisationId)))
			.get();
		if (target === undefined) return { ok: false, reason: 'not_found' };
		tx.update(users)
			.set({ disabledAt: disabled ? now : null })
			.where(eq(users.id, userId))
			.run();
		// Deactivated people leave the pickers at once; what they already hold (a responsible
		// clinician, an action, a presenter) stays on record for the team lead to reassign.
		if (disabled) tx.delete(sessions).where(eq(sessions.userId, userId)).run();
		recordAudit(tx, { userId: admin.id, action: disabled ? 'user_disabled' : 'user_enabled', detail: `user ${target.id} ${target.username}`, address }, now);
		return { ok: true, username: target.username };
	});
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Whether every id is a team of the organisation (an archived one still counts: its members stay). */
export function teamsOfOrganisation(db: Pick<Db, 'select'>, organisationId: number, teamIds: readonly number[]): boolean {
	if (teamIds.length === 0) return true;
	const found = db
		.select({ id: teams.id })
		.from(teams)
		.where(and(inArray(teams.id, [...teamIds]), eq(teams.organisationId, organisationId)))
		.all();
	return found.length === new Set(teamIds).size;
}

/** Adding someone to a team gives them the team's patients: audited as such, on its own row. */
export function addMembership(tx: Tx | Db, byId: number, userId: number, teamId: number, address: string | null, now: Date): void {
	tx.insert(teamMemberships).values({ userId, teamId }).onConflictDoNothing().run();
	recordAudit(tx, { userId: byId, action: 'team_member_added', detail: `user ${userId} to team ${teamId}`, address }, now);
}

export function removeMembership(tx: Tx | Db, byId: number, userId: number, teamId: number, address: string | null, now: Date): void {
	tx.delete(teamMemberships)
		.where(and(eq(teamMemberships.userId, userId), eq(teamMemberships.teamId, teamId)))
		.run();
	recordAudit(tx, { userId: byId, action: 'team_member_removed', detail: `user ${userId} from team ${teamId}`, address }, now);
}

export interface EditableUser {
	/** When the user's authenticator was set up; null without one. */
	totpSince: Date | null;
	id: number;
	username: string;
	displayName: string;
	role: Role;
	preferredLocale: Locale;
	teamIds: number[];
	disabledAt: Date | null;
	mustChangePassword: boolean;
	hasPin: boolean;
	/** What a first single sign-on is matched by, and whether one has tied the account to the provider. */
	hprNumber: string | null;
	email: string | null;
	ssoLinked: boolean;
}

/** One user of the admin's organisation for the edit page, or null. */
export function findOrganisationUser(db: Db, organisationId: number, userId: number): EditableUser | null {
	const row = db
		.select({
			id: users.id,
			username: users.username,
			displayName: users.displayName,
			role: users.role,
			preferredLocale: users.preferredLocale,
			disabledAt: users.disabledAt,
			mustChangePassword: users.mustChangePassword,
			pinHash: users.pinHash,
			hprNumber: users.hprNumber,
			email: users.email,
			ssoSubject: users.ssoSubject
		})
		.from(users)
		.where(and(eq(users.id, userId), eq(users.organisationId, organisationId)))
		.get();
	if (row === undefined) return null;
	const teamIds = db
		.select({ teamId: teamMemberships.teamId })
		.from(teamMemberships)
		.where(eq(teamMemberships.userId, userId))
		.all()
		.map((t) => t.teamId);
	const { pinHash, ssoSubject, ...rest } = row;
	const { confirmedAt } = secondFactorStatus(db, userId);
	return { ...rest, teamIds: teamIds.sort((a, b) => a - b), hasPin: pinHash !== null, totpSince: confirmedAt, ssoLinked: ssoSubject !== null };
}

export interface UserEdit {
	displayName: string;
	role: Role;
	preferredLocale: Locale;
	teamIds: number[];
}

export type UpdateUserResult = { ok: true; username: string } | { ok: false; reason: 'not_found' | 'unknown_team' | 'self_role' };

/**
 * Changes a user's name, role, language and teams in one transaction. Each team joined or left
 * is its own audit row (it opens or closes a team's patients to them); the rest is one row that
 * names what changed. An admin cannot take the admin role from themself (the organisation could
 * be left with no admin).
 */
export function updateUser(db: Db, admin: SessionUser, userId: number, edit: UserEdit, address: string | null, now: Date): UpdateUserResult {
	if (userId === admin.id && edit.role !== 'admin') return { ok: false, reason: 'self_role' };
	return db.transaction((tx): UpdateUserResult => {
		const before = findOrganisationUser(tx as unknown as Db, admin.organisationId, userId);
		if (before === null) return { ok: false, reason: 'not_found' };
		if (!teamsOfOrganisation(tx, admin.organisationId, edit.teamIds)) return { ok: false, reason: 'unknown_team' };
		tx.update(users).set({ displayName: edit.displayName, role: edit.role, preferredLocale: edit.preferredLocale }).where(eq(users.id, userId)).run();
		const changed = [
			before.displayName !== edit.displayName ? 'name' : null,
			before.role !== edit.role ? `role ${before.role} → ${edit.role}` : null,
			before.preferredLocale !== edit.preferredLocale ? `language ${before.preferredLocale} → ${edit.preferredLocale}` : null
		].filter((c) => c !== null);
		if (changed.length > 0) recordAudit(tx, { userId: admin.id, action: 'user_changed', detail: `user ${userId}: ${changed.join(', ')}`, address }, now);
		const wanted = new Set(edit.teamIds);
		for (const teamId of before.teamIds) if (!wanted.has(teamId)) removeMembership(tx, admin.id, userId, teamId, address, now);
		for (const teamId of wanted) if (!before.teamIds.includes(teamId)) addMembership(tx, admin.id, userId, teamId, address, now);
		return { ok: true, username: before.username };
	});
}

export type ResetResult = { ok: true; username: string } | { ok: false; reason: 'not_found' | 'self' } | { ok: false; reason: 'weak_password'; problem: PasswordProblem };

/**
 * Sets a one-time password: the user must choose their own at the next sign-in, and every session
 * they have ends now (whoever is signed in as them is signed out). An admin changes their own on
 * the account page.
 */
export async function resetPassword(db: Db, admin: SessionUser, userId: number, password: string, address: string | null, now: Date): Promise<ResetResult> {
	if (userId === admin.id) return { ok: false, reason: 'self' };
	const target = db
		.select({ username: users.username })
		.from(users)
		.where(and(eq(users.id, userId), eq(users.organisationId, admin.organisationId)))
		.get();
	if (target === undefined) return { ok: false, reason: 'not_found' };
	const problem = passwordProblem(password, target.username);
	if (problem !== null) return { ok: false, reason: 'weak_password', problem };
	const passwordHash = await hashPassword(password);
	return db.transaction((tx): ResetResult => {
		tx.update(users).set({ passwordHash, mustChangePassword: true }).where(eq(users.id, userId)).run();
		tx.delete(sessions).where(eq(sessions.userId, userId)).run();
		recordAudit(tx, { userId: admin.id, action: 'password_reset', detail: `user ${userId}: one-time password, sessions ended`, address }, now);
		return { ok: true, username: target.username };
	});
}

/** Clears a user's tablet PIN (forgotten): they set a new one before they next hand a tablet over. */
export function resetPin(db: Db, admin: SessionUser, userId: number, address: string | null, now: Date): { ok: true; username: string } | { ok: false; reason: 'not_found' } {
	return db.transaction((tx) => {
		const target = tx
			.select({ username: users.username })
			.from(users)
			.where(and(eq(users.id, userId), eq(users.organisationId, admin.organisationId)))
			.get();
		if (target === undefined) return { ok: false as const, reason: 'not_found' as const };
		tx.update(users).set({ pinHash: null }).where(eq(users.id, userId)).run();
		recordAudit(tx, { userId: admin.id, action: 'pin_reset', detail: `user ${userId}`, address }, now);
		return { ok: true as const, username: target.username };
	});
}
