import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { createSession, DEFAULT_SESSION_LIMITS, type SessionLimits, type SessionUser } from './session';
import { dummyPasswordHash, verifyPassword } from './password';
import { claimAttempt, clearFailures, recordFailure, type ThrottleKey } from './throttle';
import { recordAudit } from '../audit';
import { hasConfirmedTotp, secondFactorFor } from './two-factor';
import { inNetworks, type Network } from '$lib/domain/networks';

export type SignInResult =
	| { ok: true; token: string; expiresAt: Date; user: SessionUser; secondFactor: 'pending' | 'enrol' | null }
	| { ok: false; reason: 'wrong_credentials' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export type SignInInput = { username: string; password: string; address: string | null; clinicNetworks: readonly Network[]; limits?: SessionLimits };

/**
 * Checks a user name and password, and decides what second factor the session owes (two-factor.ts):
 * from outside the clinic's networks, an account without an authenticator is refused exactly as a
 * wrong password is. Repeated failures lock the account name and the client
 * address separately (a guesser cannot lock out a clinician from every address by cycling names,
 * and one address cannot try many accounts). Every outcome is audited.
 */
export async function signIn(db: Db, input: SignInInput, now: Date): Promise<SignInResult> {
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

async function checkPassword(db: Db, username: string, input: SignInInput, keys: ThrottleKey[], now: Date): Promise<SignInResult> {
	const user = db.select().from(users).where(eq(users.username, username)).get();
	const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
	// A disabled account is refused with the same answer as a wrong password (after the same
	// argon2 work), so the sign-in page does not tell which accounts exist or are disabled.
	// An account that signs in by single sign-on only has no password to give.
	const disabled = user !== undefined && (user.disabledAt !== null || !user.passwordSignIn);
	const owed = user === undefined ? null : secondFactorFor({ role: user.role, hasTotp: hasConfirmedTotp(db, user.id), inside: inNetworks(input.address, input.clinicNetworks) });
	if (user === undefined || !valid || disabled || owed === 'refuse') {
		for (const k of keys) recordFailure(db, k, now);
		const why = !valid ? '' : disabled ? 'disabled ' : owed === 'refuse' ? 'outside the clinic networks without a second factor, ' : '';
		const detail = `${why}user: ${username.slice(0, 100)}`;
		recordAudit(db, { userId: user?.id ?? null, action: 'failed_sign_in', detail, address: input.address }, now);
		return { ok: false, reason: 'wrong_credentials' };
	}
	clearFailures(db, `account:${username}`);
	const { token, session } = createSession(db, user.id, now, input.limits ?? DEFAULT_SESSION_LIMITS, owed);
	recordAudit(db, { userId: user.id, action: 'signed_in', address: input.address }, now);
	const { id, displayName, role, organisationId, preferredLocale, mustChangePassword } = user;
	return { ok: true, token, expiresAt: session.expiresAt, user: { id, username, displayName, role, organisationId, preferredLocale, mustChangePassword }, secondFactor: owed };
}
