import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import { recoveryCodes, sessions, userTotp, users, type Role, type SecondFactorState } from '../db/schema';
import type { Doer } from '../context';
import { recordAudit } from '../audit';
import { replaceSession } from './session';
import { clearFailures, recordFailure, secondsLocked, type ThrottleKey } from './throttle';
import { matchingStep, parseKeyText } from './totp';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Recovery codes handed out at a time: each works once, for a lost or broken authenticator. */
export const RECOVERY_CODE_COUNT = 10;
/** Characters per recovery code: 10 base32 characters are 50 random bits, shown as `xxxxx-xxxxx`. */
const RECOVERY_CODE_LENGTH = 10;

/**
 * What a correct password leads to (docs/clinical/sign-in-and-logs.md: two factors over an outside
 * network; administrators always). Whoever has an authenticator gives a code; from outside the
 * clinic's networks without one, the sign-in is refused (answered as a wrong password, so the page
 * does not tell who has one); an administrator inside without one sets one up first.
 * @example secondFactorFor({ role: 'admin', hasTotp: false, inside: true }) // 'enrol'
 */
export function secondFactorFor(input: { role: Role; hasTotp: boolean; inside: boolean }): Extract<SecondFactorState, 'pending' | 'enrol'> | 'refuse' | null {
	if (input.hasTotp) return 'pending';
	if (!input.inside) return 'refuse';
	return input.role === 'admin' ? 'enrol' : null;
}

/** Whether a session still owes its second factor. */
export function secondFactorOwed(state: SecondFactorState | null): state is 'pending' | 'enrol' {
	return state === 'pending' || state === 'enrol';
}

export function hasConfirmedTotp(db: Pick<Db, 'select'>, userId: number): boolean {
	return (
		db
			.select({ userId: userTotp.userId })
			.from(userTotp)
			.where(and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt)))
			.get() !== undefined
	);
}

/** Whose code it is: the user, their session (which the code completes) and the request's address. */
export type CodeGiver = { doer: Doer; sessionId: string };

export type CodeResult = { ok: true } | { ok: false; reason: 'wrong_code' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

const throttleKey = (userId: number): ThrottleKey => `second-factor:${userId}`;

/**
 * Runs one check of a code under the user's throttle: refused while locked; a wrong code counts
 * as a failure (5, then a lock that doubles), a right one clears them. Every outcome is audited.
 */
function throttled(db: Db, giver: CodeGiver, now: Date, how: string, check: (tx: Tx) => boolean, onPass: (tx: Tx) => void): CodeResult {
	const { doer } = giver;
	const key = throttleKey(doer.id);
	const wait = secondsLocked(db, key, now);
	if (wait > 0) {
		recordAudit(db, { userId: doer.id, action: 'second_factor_failed', detail: `${how}: throttled`, address: doer.address ?? null }, now);
		return { ok: false, reason: 'throttled', retryAfterSeconds: wait };
	}
	return db.transaction((tx): CodeResult => {
		if (!check(tx)) {
			recordFailure(tx, key, now);
			recordAudit(tx, { userId: doer.id, action: 'second_factor_failed', detail: `${how}: wrong or used code`, address: doer.address ?? null }, now);
			return { ok: false, reason: 'wrong_code' };
		}
		clearFailures(tx, key);
		onPass(tx);
		return { ok: true };
	});
}

/**
 * Takes the code's time step if it is later than the last one used: a conditional UPDATE, so
 * that the same code (or an earlier one) sent twice, even at once, succeeds only once.
 */
function takeTotpStep(tx: Tx, userId: number, code: string, now: Date): boolean {
	const row = tx.select().from(userTotp).where(eq(userTotp.userId, userId)).get();
	if (row === undefined || row.confirmedAt === null) return false;
	const step = matchingStep(row.key, code, now);
	if (step === null) return false;
	const taken = tx
		.update(userTotp)
		.set({ lastStep: step })
		.where(and(eq(userTotp.userId, userId), or(isNull(userTotp.lastStep), lt(userTotp.lastStep, step))))
		.run();
	return taken.changes === 1;
}

/** The new cookie of a session that has given its second factor (the old token no longer works). */
export type RenewedSession = { token: string; expiresAt: Date };

export type PassResult = Exclude<CodeResult, { ok: true }> | { ok: true; session: RenewedSession };

function setSessionFactor(tx: Tx, sessionId: string, state: SecondFactorState): RenewedSession {
	const renewed = replaceSession(tx, sessionId, state);
	if (renewed === null) throw new Error('the session giving the code has ended');
	return renewed;
}

/**
 * A session that owes a code gives it: the session then counts as signed in with two factors, under
 * a new token (the cookie must be set to it).
 */
export function passSecondFactor(db: Db, giver: CodeGiver, code: string, now: Date): PassResult {
	const renewed: { session: RenewedSession | null } = { session: null };
	const result = throttled(
		db,
		giver,
		now,
		'totp',
		(tx) => takeTotpStep(tx, giver.doer.id, code, now),
		(tx) => {
			renewed.session = setSessionFactor(tx, giver.sessionId, 'totp');
			recordAudit(tx, { userId: giver.doer.id, action: 'second_factor_passed', detail: 'totp', address: giver.doer.address ?? null }, now);
		}
	);
	if (result.ok) return renewed.session === null ? { ok: false, reason: 'wrong_code' } : { ok: true, session: renewed.session };
	return result;
}

/** A recovery code instead of the app's: each works once, and the page says how many are left. */
export function useRecoveryCode(db: Db, giver: CodeGiver, code: string, now: Date): Exclude<CodeResult, { ok: true }> | { ok: true; left: number; session: RenewedSession } {
	const hash = hashRecoveryCode(code);
	let left = 0;
	const renewed: { session: RenewedSession | null } = { session: null };
	const result = throttled(
		db,
		giver,
		now,
		'recovery code',
		(tx) =>
			tx
				.update(recoveryCodes)
				.set({ usedAt: now })
				.where(and(eq(recoveryCodes.userId, giver.doer.id), eq(recoveryCodes.codeHash, hash), isNull(recoveryCodes.usedAt)))
				.run().changes === 1,
		(tx) => {
			left = unusedRecoveryCodes(tx, giver.doer.id);
			renewed.session = setSessionFactor(tx, giver.sessionId, 'recovery');
			recordAudit(tx, { userId: giver.doer.id, action: 'second_factor_passed', detail: `recovery code (${left} left)`, address: giver.doer.address ?? null }, now);
		}
	);
	if (result.ok) return renewed.session === null ? { ok: false, reason: 'wrong_code' } : { ok: true, left, session: renewed.session };
	return result;
}

export type EnrolResult =
	{ ok: true; recoveryCodes: string[]; session: RenewedSession } | Exclude<CodeResult, { ok: true }> | { ok: false; reason: 'bad_key' } | { ok: false; reason: 'already_enrolled' };

/**
 * Sets up an authenticator: the key the page showed (sent back with the form, so that showing
 * the page wrote nothing) and a first code from the app, which proves the app has it. The user
 * gets a fresh set of recovery codes, shown once; the session counts as having given its code.
 */
export function confirmEnrolment(db: Db, giver: CodeGiver, keyText: string, code: string, now: Date): EnrolResult {
	const key = parseKeyText(keyText);
	if (key === null) return { ok: false, reason: 'bad_key' };
	if (hasConfirmedTotp(db, giver.doer.id)) return { ok: false, reason: 'already_enrolled' };
	const codes: string[] = [];
	const renewed: { session: RenewedSession | null } = { session: null };
	const result = throttled(
		db,
		giver,
		now,
		'enrolment',
		(tx) => {
			// Checked against the key the page showed before anything is stored: a wrong code leaves
			// no half-made authenticator behind. The upsert holds only over a row not yet confirmed,
			// so two enrolments sent at once set up one.
			const step = matchingStep(key, code, now);
			if (step === null) return false;
			const row = { key: Buffer.from(key), createdAt: now, confirmedAt: now, lastStep: step };
			return (
				tx
					.insert(userTotp)
					.values({ userId: giver.doer.id, ...row })
					.onConflictDoUpdate({ target: userTotp.userId, set: row, setWhere: isNull(userTotp.confirmedAt) })
					.run().changes === 1
			);
		},
		(tx) => {
			codes.push(...replaceRecoveryCodes(tx, giver.doer.id));
			renewed.session = setSessionFactor(tx, giver.sessionId, 'totp');
			recordAudit(tx, { userId: giver.doer.id, action: 'second_factor_enrolled', detail: 'totp', address: giver.doer.address ?? null }, now);
		}
	);
	if (result.ok) return renewed.session === null ? { ok: false, reason: 'wrong_code' } : { ok: true, recoveryCodes: codes, session: renewed.session };
	return result;
}

/** A new set of recovery codes; the old ones stop working. Null without an authenticator. */
export function renewRecoveryCodes(db: Db, doer: Doer, now: Date): string[] | null {
	return db.transaction((tx) => {
		if (!hasConfirmedTotp(tx, doer.id)) return null;
		const codes = replaceRecoveryCodes(tx, doer.id);
		recordAudit(tx, { userId: doer.id, action: 'recovery_codes_renewed', address: doer.address ?? null }, now);
		return codes;
	});
}

export type RemoveResult = CodeResult | { ok: false; reason: 'admin' | 'not_enrolled' };

/**
 * Removes one's own authenticator, with a current code from it. Administrators keep theirs: they
 * must have two factors always (an administrator replacing a phone asks another to reset it).
 */
export function removeOwnTotp(db: Db, giver: CodeGiver, code: string, now: Date): RemoveResult {
	if (giver.doer.role === 'admin') return { ok: false, reason: 'admin' };
	if (!hasConfirmedTotp(db, giver.doer.id)) return { ok: false, reason: 'not_enrolled' };
	return throttled(
		db,
		giver,
		now,
		'removal',
		(tx) => takeTotpStep(tx, giver.doer.id, code, now),
		(tx) => {
			forget(tx, giver.doer.id);
			recordAudit(tx, { userId: giver.doer.id, action: 'second_factor_removed', detail: 'own', address: giver.doer.address ?? null }, now);
		}
	);
}

/**
 * An administrator resets another user's second factor (a lost phone and no recovery code left):
 * the authenticator and the codes are gone and every session of that user ends; from inside the
 * clinic they sign in with the password and set up a new one (an administrator must).
 */
export function resetSecondFactor(db: Db, admin: Doer, userId: number, now: Date): { ok: true; username: string } | { ok: false; reason: 'not_found' | 'self' } {
	if (userId === admin.id) return { ok: false, reason: 'self' };
	return db.transaction((tx) => {
		const target = tx
			.select({ username: users.username })
			.from(users)
			.where(and(eq(users.id, userId), eq(users.organisationId, admin.organisationId)))
			.get();
		if (target === undefined) return { ok: false as const, reason: 'not_found' as const };
		forget(tx, userId);
		tx.delete(sessions).where(eq(sessions.userId, userId)).run();
		recordAudit(tx, { userId: admin.id, action: 'second_factor_removed', detail: `user ${userId}: reset, sessions ended`, address: admin.address ?? null }, now);
		return { ok: true as const, username: target.username };
	});
}

function forget(tx: Tx, userId: number): void {
	tx.delete(userTotp).where(eq(userTotp.userId, userId)).run();
	tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
}

/** What the account page and the admin's user page show. */
export function secondFactorStatus(db: Db, userId: number): { enrolled: boolean; confirmedAt: Date | null; recoveryCodesLeft: number } {
	const row = db.select({ confirmedAt: userTotp.confirmedAt }).from(userTotp).where(eq(userTotp.userId, userId)).get();
	const confirmedAt = row?.confirmedAt ?? null;
	return { enrolled: confirmedAt !== null, confirmedAt, recoveryCodesLeft: confirmedAt === null ? 0 : unusedRecoveryCodes(db, userId) };
}

function unusedRecoveryCodes(db: Pick<Db, 'select'>, userId: number): number {
	return db
		.select({ id: recoveryCodes.id })
		.from(recoveryCodes)
		.where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
		.all().length;
}

function replaceRecoveryCodes(tx: Tx, userId: number): string[] {
	tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
	tx.insert(recoveryCodes)
		.values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code), usedAt: null })))
		.run();
	return codes;
}

function newRecoveryCode(): string {
	const bytes = new Uint8Array(8);
	crypto.getRandomValues(bytes);
	const text = encodeBase32LowerCaseNoPadding(bytes).slice(0, RECOVERY_CODE_LENGTH);
	return `${text.slice(0, 5)}-${text.slice(5)}`;
}

/** Case, spaces and the dash do not matter when a code is typed back. */
export function hashRecoveryCode(code: string): string {
	const plain = code.toLowerCase().replace(/[\s-]/g, '');
	return encodeHexLowerCase(sha256(new TextEncoder().encode(plain)));
}
