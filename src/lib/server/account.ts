import { and, eq, ne } from 'drizzle-orm';
import { hasPin } from './tablet/handoff';
import type { Db } from './db';
import { claimAttempt, clearFailures, recordFailure } from './auth/throttle';
import { sessions, users } from './db/schema';
import type { SessionUser } from './auth/session';
import { hashPassword, verifyPassword } from './auth/password';
import { passwordProblem, type PasswordProblem } from './auth/password-rules';
import { recordAudit } from './audit';
import { secondFactorStatus } from './auth/two-factor';
import { enrolmentView, type EnrolmentView } from './auth/enrolment-view';

export type ChangePasswordResult =
	{ ok: true } | { ok: false; reason: 'wrong_current' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number } | { ok: false; reason: 'weak_password'; problem: PasswordProblem };

/**
 * Changes the user's own password. The current password is required (a session left open on a
 * shared PC is not enough to take the account over), and every other session of the user ends,
 * so a device signed in with the old password is signed out.
 */
export async function changeOwnPassword(
	db: Db,
	user: SessionUser,
	currentSessionId: string,
	input: { current: string; next: string },
	address: string | null,
	now: Date
): Promise<ChangePasswordResult> {
	// Guessing the current password with a session left open counts as failed sign-ins: the same
	// per-account lock as the sign-in page.
	const key = `account:${user.username}` as const;
	const claim = claimAttempt(db, [key], now);
	if (!claim.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: claim.retryAfterSeconds };
	const row = db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id)).get();
	let right: boolean;
	try {
		right = row !== undefined && (await verifyPassword(row.passwordHash, input.current));
	} finally {
		claim.release();
	}
	if (!right) {
		recordFailure(db, key, now);
		recordAudit(db, { userId: user.id, action: 'failed_sign_in', detail: 'wrong current password on the account page', address }, now);
		return { ok: false, reason: 'wrong_current' };
	}
	clearFailures(db, key);
	const problem = passwordProblem(input.next, user.username);
	if (problem !== null) return { ok: false, reason: 'weak_password', problem };
	const passwordHash = await hashPassword(input.next);
	db.transaction((tx) => {
		tx.update(users).set({ passwordHash }).where(eq(users.id, user.id)).run();
		tx.delete(sessions)
			.where(and(eq(sessions.userId, user.id), ne(sessions.id, currentSessionId)))
			.run();
		recordAudit(tx, { userId: user.id, action: 'password_changed', detail: 'own password; other sessions ended', address }, now);
	});
	return { ok: true };
}

/** Ends every session of the user, the current one included (a lost phone, a shared PC). */
export function signOutEverywhere(db: Db, user: SessionUser, address: string | null, now: Date): number {
	return db.transaction((tx) => {
		const ended = tx.delete(sessions).where(eq(sessions.userId, user.id)).run().changes;
		recordAudit(tx, { userId: user.id, action: 'signed_out_everywhere', detail: `${ended} sessions`, address }, now);
		return ended;
	});
}

export type ReplaceOneTimeResult = { ok: true } | { ok: false; reason: 'not_required' | 'same_as_one_time' } | { ok: false; reason: 'weak_password'; problem: PasswordProblem };

/**
 * The first thing a user signed in with a one-time password does: choose their own. It must
 * differ from the one-time password (which the admin knows); every other session of the user
 * ends, and from then on the admin knows no password that opens the account.
 */
export async function replaceOneTimePassword(db: Db, user: SessionUser, currentSessionId: string, next: string, address: string | null, now: Date): Promise<ReplaceOneTimeResult> {
	const row = db.select({ passwordHash: users.passwordHash, mustChangePassword: users.mustChangePassword }).from(users).where(eq(users.id, user.id)).get();
	if (row === undefined || !row.mustChangePassword) return { ok: false, reason: 'not_required' };
	const problem = passwordProblem(next, user.username);
	if (problem !== null) return { ok: false, reason: 'weak_password', problem };
	if (await verifyPassword(row.passwordHash, next)) return { ok: false, reason: 'same_as_one_time' };
	const passwordHash = await hashPassword(next);
	db.transaction((tx) => {
		tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, user.id)).run();
		tx.delete(sessions)
			.where(and(eq(sessions.userId, user.id), ne(sessions.id, currentSessionId)))
			.run();
		recordAudit(tx, { userId: user.id, action: 'password_changed', detail: 'one-time password replaced; other sessions ended', address }, now);
	});
	return { ok: true };
}

/**
 * What the account page shows: who is signed in, and their second factor — on since when, with how
 * many recovery codes left, or off with a fresh key to set one up (nothing stored until confirmed).
 * An administrator keeps theirs (two-factor.ts: removeOwnTotp).
 */
export async function accountPage(
	db: Db,
	user: SessionUser
): Promise<{
	account: { username: string; displayName: string };
	twoFactor: { since: Date | null; recoveryCodesLeft: number; mustKeep: boolean };
	enrolment: EnrolmentView | null;
	hasPin: boolean;
}> {
	const status = secondFactorStatus(db, user.id);
	return {
		account: { username: user.username, displayName: user.displayName },
		hasPin: hasPin(db, user.id),
		twoFactor: { since: status.confirmedAt, recoveryCodesLeft: status.recoveryCodesLeft, mustKeep: user.role === 'admin' },
		enrolment: status.enrolled ? null : await enrolmentView(user.username)
	};
}
