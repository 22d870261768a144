import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ANYWHERE_INSIDE, smallClinic } from '../test/fixtures';
import { auditEvents, users } from '../db/schema';
import { hashPassword } from './password';
import { signIn } from './sign-in';
import { ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT } from './throttle';
import { validateSessionToken } from './session';

const now = new Date('2026-11-23T08:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);

async function clinicWithPassword() {
	const c = smallClinic();
	const hash = await hashPassword('correct horse');
	c.db.update(users).set({ passwordHash: hash }).run();
	return c;
}

describe('signIn', async () => {
	const c = await clinicWithPassword();

	it('signs in with the right password (user names are case-insensitive) and audits it', async () => {
		const result = await signIn(c.db, { username: ' Clin-A ', password: 'correct horse', address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(validateSessionToken(c.db, result.token, now).user?.username).toBe('clin-a');
		const events = c.db.select().from(auditEvents).where(eq(auditEvents.action, 'signed_in')).all();
		expect(events.at(-1)?.userId).toBe(c.users.clinicianA.id);
	});

	it.each([
		['a wrong password', 'clin-a', 'wrong'],
		['an unknown user', 'nobody', 'correct horse'],
		['an empty password', 'clin-a', '']
	])('refuses %s the same way, and audits it', async (_, username, password) => {
		const before = c.db.select().from(auditEvents).where(eq(auditEvents.action, 'failed_sign_in')).all().length;
		const result = await signIn(c.db, { username, password, address: '10.0.0.2', clinicNetworks: ANYWHERE_INSIDE }, now);
		expect(result).toEqual({ ok: false, reason: 'wrong_credentials' });
		const after = c.db.select().from(auditEvents).where(eq(auditEvents.action, 'failed_sign_in')).all().length;
		expect(after).toBe(before + 1);
	});
});

describe('throttling', () => {
	it(`locks an account after ${ACCOUNT_FAILURE_LIMIT} failures, even from new addresses, and even for the right password`, async () => {
		const c = await clinicWithPassword();
		for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) {
			await signIn(c.db, { username: 'clin-b', password: 'guess' + i, address: `10.1.0.${i}`, clinicNetworks: ANYWHERE_INSIDE }, now);
		}
		const locked = await signIn(c.db, { username: 'clin-b', password: 'correct horse', address: '10.9.9.9', clinicNetworks: ANYWHERE_INSIDE }, later(1));
		expect(locked.ok).toBe(false);
		expect(!locked.ok && locked.reason).toBe('throttled');
		// The first lock lasts 30 s; after it the right password works again.
		const free = await signIn(c.db, { username: 'clin-b', password: 'correct horse', address: '10.9.9.9', clinicNetworks: ANYWHERE_INSIDE }, later(31));
		expect(free.ok).toBe(true);
		// Other accounts are not affected.
		expect((await signIn(c.db, { username: 'clin-a', password: 'correct horse', address: '10.9.9.8', clinicNetworks: ANYWHERE_INSIDE }, later(1))).ok).toBe(true);
	});

	it(`checks at most ${ACCOUNT_FAILURE_LIMIT} guesses sent at the same moment; the rest are throttled unchecked`, async () => {
		const c = await clinicWithPassword();
		// Ten guesses in one burst, each from its own address: argon2 runs off the event loop, so
		// without a claim all ten would be checked before the first failure is written.
		const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(c.db, { username: 'clin-b', password: `guess-${i}`, address: `10.3.0.${i}`, clinicNetworks: ANYWHERE_INSIDE }, now)));
		const reasons = burst.map((r) => (r.ok ? 'ok' : r.reason));
		// 5 checked and refused (the 5th locks the account), 5 turned away before any check.
		expect(reasons.filter((r) => r === 'wrong_credentials')).toHaveLength(ACCOUNT_FAILURE_LIMIT);
		expect(reasons.filter((r) => r === 'throttled')).toHaveLength(10 - ACCOUNT_FAILURE_LIMIT);
		// And the account is now locked, the right password included.
		const after = await signIn(c.db, { username: 'clin-b', password: 'correct horse', address: '10.3.1.1', clinicNetworks: ANYWHERE_INSIDE }, later(1));
		expect(!after.ok && after.reason).toBe('throttled');
	});

	it('lets a burst of right passwords for different accounts through', async () => {
		const c = await clinicWithPassword();
		const burst = await Promise.all(['clin-a', 'clin-b', 'lead-a'].map((username) => signIn(c.db, { username, password: 'correct horse', address: '10.4.0.1', clinicNetworks: ANYWHERE_INSIDE }, now)));
		expect(burst.map((r) => r.ok)).toEqual([true, true, true]);
	});

	it(`locks an address after ${ADDRESS_FAILURE_LIMIT} failures across many account names`, async () => {
		const c = await clinicWithPassword();
		for (let i = 0; i < ADDRESS_FAILURE_LIMIT; i++) {
			await signIn(c.db, { username: `name-${i}`, password: 'x', address: '10.2.0.1', clinicNetworks: ANYWHERE_INSIDE }, now);
		}
		const fromThere = await signIn(c.db, { username: 'clin-a', password: 'correct horse', address: '10.2.0.1', clinicNetworks: ANYWHERE_INSIDE }, later(1));
		expect(!fromThere.ok && fromThere.reason).toBe('throttled');
		const elsewhere = await signIn(c.db, { username: 'clin-a', password: 'correct horse', address: '10.2.0.2', clinicNetworks: ANYWHERE_INSIDE }, later(1));
		expect(elsewhere.ok).toBe(true);
	});

	it('doubles the lock with each further failure', async () => {
		const c = await clinicWithPassword();
		for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) {
			await signIn(c.db, { username: 'clin-a', password: 'x', address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now);
		}
		// 5th failure: locked 30 s. After it, one more failure: 60 s.
		await signIn(c.db, { username: 'clin-a', password: 'x', address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, later(31));
		const r = await signIn(c.db, { username: 'clin-a', password: 'correct horse', address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, later(32));
		expect(!r.ok && r.reason === 'throttled' && r.retryAfterSeconds).toBe(59);
	});
});
