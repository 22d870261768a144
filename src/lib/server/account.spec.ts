import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic } from './test/fixtures';
import { auditEvents, sessions, users } from './db/schema';
import { createSession, validateSessionToken } from './auth/session';
import { hashPassword, verifyPassword } from './auth/password';
import { changeOwnPassword, signOutEverywhere } from './account';
import { ACCOUNT_FAILURE_LIMIT, secondsLocked } from './auth/throttle';

const now = new Date('2026-11-23T08:00:00Z');
const OLD = 'gammel hemmelig frase';
const NEW = 'ny og lengre passfrase';

async function clinic() {
	const c = smallClinic();
	c.db
		.update(users)
		.set({ passwordHash: await hashPassword(OLD) })
		.where(eq(users.id, c.users.clinicianA.id))
		.run();
	return c;
}

describe('the account page', () => {
	it('changes the password with the current one, ending every other session of the user', async () => {
		const c = await clinic();
		const here = createSession(c.db, c.users.clinicianA.id, now);
		const elsewhere = createSession(c.db, c.users.clinicianA.id, now);
		const colleague = createSession(c.db, c.users.clinicianB.id, now);
		expect(await changeOwnPassword(c.db, c.users.clinicianA, here.session.id, { current: OLD, next: NEW }, null, now)).toEqual({ ok: true });
		const row = c.db.select().from(users).where(eq(users.id, c.users.clinicianA.id)).get()!;
		expect(await verifyPassword(row.passwordHash, NEW)).toBe(true);
		expect(validateSessionToken(c.db, here.token, now).session).not.toBeNull();
		expect(validateSessionToken(c.db, elsewhere.token, now).session).toBeNull();
		expect(validateSessionToken(c.db, colleague.token, now).session).not.toBeNull();
		expect(
			c.db
				.select()
				.from(auditEvents)
				.all()
				.map((e) => e.action)
		).toEqual(['password_changed']);
	});

	it('refuses a wrong current password (audited) and a weak new one, changing nothing', async () => {
		const c = await clinic();
		const here = createSession(c.db, c.users.clinicianA.id, now);
		const elsewhere = createSession(c.db, c.users.clinicianA.id, now);
		expect(await changeOwnPassword(c.db, c.users.clinicianA, here.session.id, { current: 'feil', next: NEW }, null, now)).toEqual({ ok: false, reason: 'wrong_current' });
		expect(await changeOwnPassword(c.db, c.users.clinicianA, here.session.id, { current: OLD, next: 'clin-a' }, null, now)).toEqual({ ok: false, reason: 'weak_password', problem: 'too_short' });
		expect(await changeOwnPassword(c.db, c.users.clinicianA, here.session.id, { current: OLD, next: 'velkommen123456' }, null, now)).toEqual({ ok: false, reason: 'weak_password', problem: 'common' });
		const row = c.db.select().from(users).where(eq(users.id, c.users.clinicianA.id)).get()!;
		expect(await verifyPassword(row.passwordHash, OLD)).toBe(true);
		expect(validateSessionToken(c.db, elsewhere.token, now).session).not.toBeNull();
		expect(
			c.db
				.select()
				.from(auditEvents)
				.all()
				.map((e) => e.action)
		).toEqual(['failed_sign_in']);
	});

	it('locks the account after 5 wrong current passwords, as sign-in does, even for the right one then', async () => {
		const c = await clinic();
		const here = createSession(c.db, c.users.clinicianA.id, now);
		for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) {
			expect(await changeOwnPassword(c.db, c.users.clinicianA, here.session.id, { current: `feil ${i}`, next: NEW }, null, now)).toEqual({ ok: false, reason: 'wrong_current' });
		}
		const locked = await changeOwnPassword(c.db, c.users.clinicianA, here.session.id, { current: OLD, next: NEW }, null, now);
		expect(locked).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 30 });
		// The sign-in page is locked for the account too.
		expect(secondsLocked(c.db, `account:${c.users.clinicianA.username}`, now)).toBe(30);
		const row = c.db.select().from(users).where(eq(users.id, c.users.clinicianA.id)).get()!;
		expect(await verifyPassword(row.passwordHash, OLD)).toBe(true);
		// After the lock, the right password works and clears the count.
		const later = new Date(now.getTime() + 31_000);
		expect(await changeOwnPassword(c.db, c.users.clinicianA, here.session.id, { current: OLD, next: NEW }, null, later)).toEqual({ ok: true });
		expect(secondsLocked(c.db, `account:${c.users.clinicianA.username}`, later)).toBe(0);
	});

	it('signs out everywhere, the current session included', async () => {
		const c = await clinic();
		createSession(c.db, c.users.clinicianA.id, now);
		createSession(c.db, c.users.clinicianA.id, now);
		createSession(c.db, c.users.clinicianB.id, now);
		expect(signOutEverywhere(c.db, c.users.clinicianA, '10.0.0.3', now)).toBe(2);
		expect(c.db.select().from(sessions).where(eq(sessions.userId, c.users.clinicianA.id)).all()).toEqual([]);
		expect(c.db.select().from(sessions).all()).toHaveLength(1);
		expect(c.db.select().from(auditEvents).all()).toEqual([expect.objectContaining({ action: 'signed_out_everywhere', userId: c.users.clinicianA.id, detail: '2 sessions' })]);
	});
});
