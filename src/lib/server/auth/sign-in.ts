import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { createSession, DEFAULT_SESSION_LIMITS, type SessionLimits, type SessionUser } from './session';
import { dummyPasswordHash, verifyPassword } from './password';
import { claimAttempt, clearFailures, recordFailure, type ThrottleKey } from './throttle';
import { recordAudit } from '../audit';

export type SignInResult = { ok: true; token: string; expiresAt: Date; user: SessionUser } | { ok: false; reason: 'wrong_credentials' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Checks a user name and password. Repeated failures lock the account name and the client
 * address separately (a guesser cannot lock out a clinician from every address by cycling names,
 * and one address cannot try many accounts). Every outcome is audited.
 */
export async function signIn(db: Db, input: { username: string; password: string; address: string | null; limits?: SessionLimits }, now: Date): Promise<SignInResult> {
	const username = input.username.trim().toLowerCase();
	const keys: ThrottleKey[] = [`account:${username}`];
	if (input.address !== null) keys.push(`address:${input.address}`);
	const claim = claimAttempt(db, keys, now);
	if (!claim.ok) {
		recordAudit(db, { userId: null, action: 'failed_sign_in', detail: `throttled: ${username.slice(0, 100)}`, address: input.address }, now);
		return { ok: false, reason: 'throttled', retryAfterSeconds: claim.retryAfterSeconds };
	}
	try {
		return await checkPassword(db, username, input, keys, now);
	} finally {
		claim.release();
	}
}

async function checkPassword(db: Db, username: string, input: { password: string; address: string | null; limits?: SessionLimits }, keys: ThrottleKey[], now: Date): Promise<SignInResult> {
	const user = db.select().from(users).where(eq(users.username, username)).get();
	const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
	// A disabled account is refused with the same answer as a wrong password (after the same
	// argon2 work), so the sign-in page does not tell which accounts exist or are disabled.
	const disabled = user !== undefined && user.disabledAt !== null;
	if (user === undefined || !valid || disabled) {
		for (const k of keys) recordFailure(db, k, now);
		const detail = `${disabled && valid ? 'disabled ' : ''}user: ${username.slice(0, 100)}`;
		recordAudit(db, { userId: user?.id ?? null, action: 'failed_sign_in', detail, address: input.address }, now);
		return { ok: false, reason: 'wrong_credentials' };
	}
	clearFailures(db, `account:${username}`);
	const { token, session } = createSession(db, user.id, now, input.limits ?? DEFAULT_SESSION_LIMITS);
	recordAudit(db, { userId: user.id, action: 'signed_in', address: input.address }, now);
	const { id, displayName, role, organisationId, preferredLocale, mustChangePassword } = user;
	return { ok: true, token, expiresAt: session.expiresAt, user: { id, username, displayName, role, organisationId, preferredLocale, mustChangePassword } };
}
