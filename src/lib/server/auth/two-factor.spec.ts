import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ANYWHERE_INSIDE, smallClinic } from '../test/fixtures';
import { auditEvents, sessions, userTotp, users } from '../db/schema';
import { parseNetwork } from '$lib/domain/networks';
import { hashPassword } from './password';
import { signIn } from './sign-in';
import { createSession, type SessionUser } from './session';
import { actorFromToken } from './actor';
import { ACCOUNT_FAILURE_LIMIT } from './throttle';
import { keyText, newTotpKey, timeStep, totpCode, TOTP_PERIOD_SECONDS } from './totp';
import {
	confirmEnrolment,
	passSecondFactor,
	RECOVERY_CODE_COUNT,
	removeOwnTotp,
	renewRecoveryCodes,
	resetSecondFactor,
	secondFactorFor,
	secondFactorStatus,
	useRecoveryCode,
	type CodeGiver
} from './two-factor';
import type { Db } from '../db';

// A moment at the start of a 30 s step, so that ±1 step stays clear of the edges.
const now = new Date(Math.ceil(Date.UTC(2026, 11, 3, 9) / 30_000) * 30_000);
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const CLINIC = [parseNetwork('10.20.0.0/16')!];

function giverFor(db: Db, user: SessionUser, state: 'pending' | 'enrol' | null = 'pending'): CodeGiver {
	const { session } = createSession(db, user.id, now, undefined, state);
	return { doer: { ...user, address: '10.20.0.5' }, sessionId: session.id };
}

/** A user with an authenticator set up at `now` (its first code taken), and their recovery codes. */
function enrolled(db: Db, user: SessionUser): { key: Uint8Array; codes: string[] } {
	const key = newTotpKey();
	const result = confirmEnrolment(db, giverFor(db, user, null), keyText(key), totpCode(key, timeStep(now) - 1), now);
	if (!result.ok) throw new Error(`enrolment refused: ${result.reason}`);
	return { key, codes: result.recoveryCodes };
}

const sessionState = (db: Db, id: string) => db.select({ s: sessions.secondFactor }).from(sessions).where(eq(sessions.id, id)).get()?.s;
/** A token is `<session id>.<secret>` (session.ts). */
const sessionIdOf = (token: string) => token.split('.')[0]!;
const actions = (db: Db) => db.select({ a: auditEvents.action, d: auditEvents.detail }).from(auditEvents).all();

describe('secondFactorFor (docs/clinical/sign-in-and-logs.md: two factors outside the clinic, and for administrators)', () => {
	it.each([
		['clinician', false, true, null],
		['clinician', false, false, 'refuse'],
		['clinician', true, true, 'pending'],
		['team_lead', true, false, 'pending'],
		['admin', false, true, 'enrol'],
		['admin', false, false, 'refuse'],
		['admin', true, true, 'pending']
	] as const)('%s, authenticator %s, inside %s → %s', (role, hasTotp, inside, owed) => {
		expect(secondFactorFor({ role, hasTotp, inside })).toBe(owed);
	});
});

describe('signing in with a password', async () => {
	const c = smallClinic();
	c.db
		.update(users)
		.set({ passwordHash: await hashPassword('correct horse') })
		.run();
	const sign = (username: string, address: string, password = 'correct horse') => signIn(c.db, { username, password, address, clinicNetworks: CLINIC }, now);

	it('inside the clinic, a clinician without an authenticator owes nothing; an administrator must enrol', async () => {
		const clinician = await sign('clin-a', '10.20.1.1');
		expect(clinician.ok && clinician.secondFactor).toBeNull();
		const admin = await sign('admin', '10.20.1.1');
		expect(admin.ok && admin.secondFactor).toBe('enrol');
		if (!admin.ok) return;
		expect(actorFromToken(c.db, admin.token, now)).toMatchObject({ kind: 'second-factor', owed: 'enrol' });
	});

	it('outside, without an authenticator: refused exactly like a wrong password (and counted)', async () => {
		expect(await sign('clin-b', '192.0.2.7')).toEqual({ ok: false, reason: 'wrong_credentials' });
		expect(await sign('clin-b', '192.0.2.7', 'wrong horse')).toEqual({ ok: false, reason: 'wrong_credentials' });
		expect(
			actions(c.db)
				.filter((e) => e.a === 'failed_sign_in')
				.map((e) => e.d)
		).toEqual(['outside the clinic networks without a second factor, user: clin-b', 'user: clin-b']);
	});

	it('with an authenticator, from anywhere, a code is owed; the session reaches nothing else until it is given', async () => {
		const { key } = enrolled(c.db, c.users.leadA);
		const result = await sign('lead-a', '198.51.100.4');
		expect(result.ok && result.secondFactor).toBe('pending');
		if (!result.ok) return;
		const actor = actorFromToken(c.db, result.token, now);
		expect(actor).toMatchObject({ kind: 'second-factor', owed: 'pending' });
		if (actor.kind !== 'second-factor') return;
		const passed = passSecondFactor(c.db, { doer: c.users.leadA, sessionId: actor.session.id }, totpCode(key, timeStep(now)), now);
		if (!passed.ok) throw new Error(passed.reason);
		// A new token for the raised session; the one from before the code ends with the old row.
		expect(passed.session.token).not.toBe(result.token);
		expect(actorFromToken(c.db, result.token, now)).toEqual({ kind: 'anonymous' });
		expect(actorFromToken(c.db, passed.session.token, now)).toMatchObject({ kind: 'staff', auth: { method: 'password', secondFactor: 'totp' } });
		expect(c.db.select().from(sessions).where(eq(sessions.id, actor.session.id)).get()).toBeUndefined();
	});

	it("an administrator's session that never gave a second factor (made before it was required) owes one", () => {
		const { token } = createSession(c.db, c.users.admin.id, now);
		expect(actorFromToken(c.db, token, now)).toMatchObject({ kind: 'second-factor', owed: 'enrol' });
	});
});

describe('TOTP codes', () => {
	it('enrolment needs a code from the key shown; a wrong one stores nothing that counts', () => {
		const c = smallClinic();
		const key = newTotpKey();
		const giver = giverFor(c.db, c.users.admin, 'enrol');
		expect(confirmEnrolment(c.db, giver, keyText(key), '000000' === totpCode(key, timeStep(now)) ? '111111' : '000000', now)).toEqual({ ok: false, reason: 'wrong_code' });
		expect(secondFactorStatus(c.db, c.users.admin.id).enrolled).toBe(false);
		// Nothing half-made is kept: the key is stored only with the code that proves it.
		expect(c.db.select().from(userTotp).all()).toEqual([]);
		expect(confirmEnrolment(c.db, giver, 'not-a-key', totpCode(key, timeStep(now)), now)).toEqual({ ok: false, reason: 'bad_key' });
		const result = confirmEnrolment(c.db, giver, keyText(key), totpCode(key, timeStep(now)), now);
		if (!result.ok) throw new Error(result.reason);
		expect(result.recoveryCodes.length).toBe(RECOVERY_CODE_COUNT);
		expect([sessionState(c.db, giver.sessionId), sessionState(c.db, sessionIdOf(result.session.token))]).toEqual([undefined, 'totp']);
		expect(secondFactorStatus(c.db, c.users.admin.id)).toEqual({ enrolled: true, confirmedAt: now, recoveryCodesLeft: RECOVERY_CODE_COUNT });
		expect(confirmEnrolment(c.db, giver, keyText(newTotpKey()), '123456', now)).toEqual({ ok: false, reason: 'already_enrolled' });
	});

	it('accepts the steps either side of now, not two away', () => {
		const c = smallClinic();
		const { key } = enrolled(c.db, c.users.clinicianA);
		const step = timeStep(now);
		// The enrolment took step − 1; each later step is fresh.
		const results = [step - 2, step, step + 1, step + 2].map((s) => passSecondFactor(c.db, giverFor(c.db, c.users.clinicianA), totpCode(key, s), now).ok);
		expect(results).toEqual([false, true, true, false]);
	});

	it('takes each code once, and no earlier one after a later one', () => {
		const c = smallClinic();
		const { key } = enrolled(c.db, c.users.clinicianA);
		const code = totpCode(key, timeStep(now));
		expect(passSecondFactor(c.db, giverFor(c.db, c.users.clinicianA), code, now).ok).toBe(true);
		// Another session, the same code 10 s later (still within its step): refused.
		expect(passSecondFactor(c.db, giverFor(c.db, c.users.clinicianA), code, at(10))).toEqual({ ok: false, reason: 'wrong_code' });
		expect(passSecondFactor(c.db, giverFor(c.db, c.users.clinicianA), totpCode(key, timeStep(now) - 1), at(10)).ok).toBe(false);
		expect(passSecondFactor(c.db, giverFor(c.db, c.users.clinicianA), totpCode(key, timeStep(at(TOTP_PERIOD_SECONDS))), at(TOTP_PERIOD_SECONDS)).ok).toBe(true);
		expect(c.db.select({ last: userTotp.lastStep }).from(userTotp).get()?.last).toBe(timeStep(now) + 1);
	});

	it('locks after repeated wrong codes, the right code included, until the lock runs out', () => {
		const c = smallClinic();
		const { key } = enrolled(c.db, c.users.clinicianA);
		const giver = giverFor(c.db, c.users.clinicianA);
		const wrong = totpCode(key, timeStep(now) + 5);
		for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) expect(passSecondFactor(c.db, giver, wrong, now)).toEqual({ ok: false, reason: 'wrong_code' });
		// The fifth failure locks for 30 s (throttle.ts: BASE_LOCK_MS).
		expect(passSecondFactor(c.db, giver, totpCode(key, timeStep(now)), at(1))).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 29 });
		expect(sessionState(c.db, giver.sessionId)).toBe('pending');
		expect(passSecondFactor(c.db, giver, totpCode(key, timeStep(at(31))), at(31)).ok).toBe(true);
		const failed = actions(c.db)
			.filter((e) => e.a === 'second_factor_failed')
			.map((e) => e.d);
		expect(failed).toEqual([...Array<string>(ACCOUNT_FAILURE_LIMIT).fill('totp: wrong or used code'), 'totp: throttled']);
	});
});

describe('recovery codes', () => {
	it('each works once, typed in any case, with or without the dash', () => {
		const c = smallClinic();
		const { codes } = enrolled(c.db, c.users.clinicianA);
		const first = codes[0]!;
		const giver = giverFor(c.db, c.users.clinicianA);
		const used = useRecoveryCode(c.db, giver, ` ${first.toUpperCase().replace('-', '')} `, now);
		if (!used.ok) throw new Error(used.reason);
		expect(used.left).toBe(RECOVERY_CODE_COUNT - 1);
		expect([sessionState(c.db, giver.sessionId), sessionState(c.db, sessionIdOf(used.session.token))]).toEqual([undefined, 'recovery']);
		expect(useRecoveryCode(c.db, giverFor(c.db, c.users.clinicianA), first, now)).toEqual({ ok: false, reason: 'wrong_code' });
		// Another user's code is not theirs.
		const other = enrolled(c.db, c.users.clinicianB);
		expect(useRecoveryCode(c.db, giverFor(c.db, c.users.clinicianA), other.codes[0]!, now).ok).toBe(false);
		expect(secondFactorStatus(c.db, c.users.clinicianA.id).recoveryCodesLeft).toBe(RECOVERY_CODE_COUNT - 1);
	});

	it('renewing makes the old ones stop working', () => {
		const c = smallClinic();
		const { codes } = enrolled(c.db, c.users.clinicianA);
		const fresh = renewRecoveryCodes(c.db, c.users.clinicianA, now);
		expect(fresh).toHaveLength(RECOVERY_CODE_COUNT);
		expect(fresh).not.toContain(codes[1]);
		expect(useRecoveryCode(c.db, giverFor(c.db, c.users.clinicianA), codes[1]!, now).ok).toBe(false);
		expect(useRecoveryCode(c.db, giverFor(c.db, c.users.clinicianA), fresh![1]!, now).ok).toBe(true);
		expect(renewRecoveryCodes(c.db, c.users.clinicianB, now)).toBeNull();
	});
});

describe('removing and resetting', () => {
	it('a user removes their own with a current code; an administrator keeps theirs', () => {
		const c = smallClinic();
		const { key } = enrolled(c.db, c.users.clinicianA);
		const giver = giverFor(c.db, c.users.clinicianA, null);
		expect(removeOwnTotp(c.db, giver, totpCode(key, timeStep(now) - 1), now)).toEqual({ ok: false, reason: 'wrong_code' });
		expect(removeOwnTotp(c.db, giver, totpCode(key, timeStep(now)), now)).toEqual({ ok: true });
		expect(secondFactorStatus(c.db, c.users.clinicianA.id)).toEqual({ enrolled: false, confirmedAt: null, recoveryCodesLeft: 0 });
		const admin = enrolled(c.db, c.users.admin);
		expect(removeOwnTotp(c.db, giverFor(c.db, c.users.admin, null), totpCode(admin.key, timeStep(now)), now)).toEqual({ ok: false, reason: 'admin' });
	});

	it("an administrator resets another user's, which ends that user's sessions", () => {
		const c = smallClinic();
		enrolled(c.db, c.users.clinicianA);
		const { token } = createSession(c.db, c.users.clinicianA.id, now, undefined, 'totp');
		expect(resetSecondFactor(c.db, c.users.admin, c.users.admin.id, now)).toEqual({ ok: false, reason: 'self' });
		expect(resetSecondFactor(c.db, c.users.admin, 9999, now)).toEqual({ ok: false, reason: 'not_found' });
		expect(resetSecondFactor(c.db, { ...c.users.admin, address: '10.20.0.9' }, c.users.clinicianA.id, now)).toEqual({ ok: true, username: 'clin-a' });
		expect(actorFromToken(c.db, token, now).kind).toBe('anonymous');
		expect(secondFactorStatus(c.db, c.users.clinicianA.id).enrolled).toBe(false);
		expect(actions(c.db).at(-1)).toEqual({ a: 'second_factor_removed', d: `user ${c.users.clinicianA.id}: reset, sessions ended` });
	});

	it('the clinic networks of other specs let every address in', () => {
		expect(ANYWHERE_INSIDE.map((n) => n.prefix)).toEqual([0, 0]);
	});
});
