import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../db/open';
import { auditEvents, demoCredentials, organisations, setupTokens, users } from '../db/schema';
import { hashPassword } from '../auth/password';
import { signIn } from '../auth/sign-in';
import { ANYWHERE_INSIDE } from '../test/fixtures';
import { demoClinicians, LEGACY_DEMO_PASSWORD, randomDemoPassword } from '../demo/seed';
import { passwordProblem } from '../auth/password-rules';
import {
	activeDemoAccounts,
	completeSetup,
	demoPassword,
	demoSignIn,
	demoSetting,
	isLoopbackHost,
	issueSetupToken,
	retireLegacyDemoPassword,
	seedsDemo,
	setupTokenValid,
	SETUP_TOKEN_LIFETIME_MS
} from './first-start';
import { prepareDatabase, StartRefused } from '../startup';
import { getRegistry } from '../instruments';
import { configFrom } from '../config';

const now = new Date('2026-11-23T08:00:00Z');
const GOOD = 'grå katt på blå benk';
const admin = { organisation: 'Klinikk Nord', username: 'Ada', displayName: 'Ada Admin', preferredLocale: 'nn' as const, password: GOOD };

describe('where the server listens', () => {
	it.each([
		['127.0.0.1', true],
		['127.1.2.3', true],
		['::1', true],
		['[::1]', true],
		['localhost', true],
		['LOCALHOST', true],
		['0.0.0.0', false],
		['::', false],
		['192.168.1.10', false],
		['stemme.klinikk.no', false],
		['', false],
		[undefined, false]
	])('%s is loopback: %s', (host, loopback) => {
		expect(isLoopbackHost(host)).toBe(loopback);
	});

	it('seeds the demo by default only on loopback, always with STEMME_DEMO=on, never with off', () => {
		expect(seedsDemo(demoSetting(undefined), true)).toBe(true);
		expect(seedsDemo(demoSetting(undefined), false)).toBe(false);
		expect(seedsDemo(demoSetting('on'), false)).toBe(true);
		expect(seedsDemo(demoSetting('off'), true)).toBe(false);
	});
});

describe('demo passwords', () => {
	it('are random, long, pass the password rules and differ between databases', () => {
		const seen = new Set(Array.from({ length: 50 }, () => randomDemoPassword()));
		expect(seen.size).toBe(50);
		for (const p of seen) {
			expect(p).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
			expect(passwordProblem(p, 'kari')).toBeNull();
		}
	});

	it('a database made with the published password gets its own at the next start; changed accounts are left alone', async () => {
		const db = createTestDatabase();
		const org = db.insert(organisations).values({ name: 'Demo' }).returning().get();
		const legacy = await hashPassword(LEGACY_DEMO_PASSWORD);
		for (const c of demoClinicians)
			db.insert(users)
				.values({ organisationId: org.id, username: c.username, displayName: c.name, passwordHash: c.username === 'ola' ? await hashPassword(GOOD) : legacy, role: c.role })
				.run();
		// Every demo account but ola's (changed): the admin, the leads, sindre and tone (the service leader).
		expect(await retireLegacyDemoPassword(db)).toBe(5);
		const password = demoPassword(db);
		expect(password).not.toBeNull();
		expect(
			activeDemoAccounts(db)
				.map((a) => a.username)
				.sort()
		).toEqual(['admin', 'ingrid', 'kari', 'sindre', 'tone']);
		expect((await signIn(db, { username: 'kari', password: LEGACY_DEMO_PASSWORD, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now)).ok).toBe(false);
		expect((await signIn(db, { username: 'kari', password: password!, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now)).ok).toBe(true);
		expect((await signIn(db, { username: 'ola', password: GOOD, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now)).ok).toBe(true);
		// Once done, never again.
		expect(await retireLegacyDemoPassword(db)).toBe(0);
		expect(db.select().from(demoCredentials).all()).toHaveLength(1);
	});

	it('the sign-in page shows it only on loopback, and only while a demo account can sign in', async () => {
		const db = createTestDatabase();
		const org = db.insert(organisations).values({ name: 'Demo' }).returning().get();
		db.insert(demoCredentials).values({ id: 1, password: 'abcd-efgh-jkmn-pqrs' }).run();
		db.insert(users).values({ organisationId: org.id, username: 'kari', displayName: 'Kari', passwordHash: 'x', role: 'team_lead', isDemo: true }).run();
		expect(demoSignIn(db, '127.0.0.1')).toEqual({ username: 'kari', password: 'abcd-efgh-jkmn-pqrs' });
		expect(demoSignIn(db, '0.0.0.0')).toBeNull();
		db.update(users).set({ disabledAt: now }).run();
		expect(demoSignIn(db, '127.0.0.1')).toBeNull();
	});
});

describe('the start', () => {
	/** The start as the server runs it, with the environment given (STEMME_DEMO unset when 'unset'). */
	const prepare = (db: ReturnType<typeof createTestDatabase>, demo: 'on' | 'off' | 'unset', host: string, origin: string, lines: string[]) =>
		prepareDatabase(db, now, { registry: getRegistry(), config: configFrom({ HOST: host, ORIGIN: origin, ...(demo === 'unset' ? {} : { STEMME_DEMO: demo }) }) }, (l) => lines.push(l));

	it('refuses to listen beyond loopback on a database with demo accounts unless STEMME_DEMO=on, saying why', async () => {
		const db = createTestDatabase();
		const org = db.insert(organisations).values({ name: 'Demo' }).returning().get();
		db.insert(users).values({ organisationId: org.id, username: 'kari', displayName: 'Kari', passwordHash: 'x', role: 'team_lead', isDemo: true }).run();
		const lines: string[] = [];
		const start = (demo: 'on' | 'off' | 'unset', host: string) => prepare(db, demo, host, 'http://x', lines);
		await expect(start('unset', '0.0.0.0')).rejects.toThrow(StartRefused);
		await expect(start('off', '0.0.0.0')).rejects.toThrow(/HOST=0\.0\.0\.0 opens the server to the network, and this database still has demo accounts/);
		await expect(start('on', '0.0.0.0')).resolves.toBeUndefined();
		await expect(start('unset', '127.0.0.1')).resolves.toBeUndefined();
	});

	it('on an empty database without the demo prints a new setup link at each start until setup is done', async () => {
		const db = createTestDatabase();
		const lines: string[] = [];
		await prepare(db, 'off', '127.0.0.1', 'http://localhost:3000', lines);
		await prepare(db, 'unset', '0.0.0.0', 'https://stemme.example/', lines);
		const links = lines.flatMap((l) => [...l.matchAll(/(https?:\/\/\S+\/setup\?token=([a-z2-7]{32}))/g)].map((x) => x[2]!));
		expect(lines.join('\n')).toContain(' https://stemme.example/setup?token=');
		expect(links).toHaveLength(2);
		expect(db.select().from(users).all()).toEqual([]);
		// Only the newest link works.
		expect(setupTokenValid(db, links[0]!, now)).toBe(false);
		expect(setupTokenValid(db, links[1]!, now)).toBe(true);
		expect((await completeSetup(db, links[1]!, admin, null, now)).ok).toBe(true);
		lines.length = 0;
		await prepare(db, 'off', '127.0.0.1', 'http://localhost:3000', lines);
		expect(lines.join('\n')).not.toContain('/setup?token=');
	});
});

describe('setup', () => {
	it('creates the organisation and its first admin once, spending the token; the admin is on no team', async () => {
		const db = createTestDatabase();
		const token = issueSetupToken(db, now);
		const done = await completeSetup(db, token, admin, '10.0.0.9', now);
		expect(done).toMatchObject({ ok: true });
		expect(db.select({ name: organisations.name }).from(organisations).all()).toEqual([{ name: 'Klinikk Nord' }]);
		expect(db.select({ username: users.username, role: users.role, preferredLocale: users.preferredLocale, mustChangePassword: users.mustChangePassword }).from(users).all()).toEqual([
			{ username: 'ada', role: 'admin', preferredLocale: 'nn', mustChangePassword: false }
		]);
		expect(db.select().from(setupTokens).get()?.usedAt).toEqual(now);
		expect(db.select({ a: auditEvents.action, address: auditEvents.address }).from(auditEvents).all()).toEqual([{ a: 'setup_completed', address: '10.0.0.9' }]);
		expect((await signIn(db, { username: 'ada', password: GOOD, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now)).ok).toBe(true);
		// The same link again, or a new one, or the command line: already set up.
		expect(await completeSetup(db, token, { ...admin, username: 'eve' }, null, now)).toEqual({ ok: false, reason: 'already_set_up' });
		expect(await completeSetup(db, null, { ...admin, username: 'eve' }, null, now)).toEqual({ ok: false, reason: 'already_set_up' });
		expect(db.select().from(users).all()).toHaveLength(1);
	});

	it('refuses an expired, unknown or malformed token and a weak password, storing nothing', async () => {
		const db = createTestDatabase();
		const token = issueSetupToken(db, now);
		const later = new Date(now.getTime() + SETUP_TOKEN_LIFETIME_MS + 1);
		expect(await completeSetup(db, token, admin, null, later)).toEqual({ ok: false, reason: 'token' });
		expect(await completeSetup(db, 'a'.repeat(32), admin, null, now)).toEqual({ ok: false, reason: 'token' });
		expect(await completeSetup(db, '../../etc', admin, null, now)).toEqual({ ok: false, reason: 'token' });
		expect(await completeSetup(db, token, { ...admin, password: 'kort' }, null, now)).toEqual({ ok: false, reason: 'weak_password', problem: 'too_short' });
		expect(db.select().from(organisations).all()).toEqual([]);
		expect(db.select().from(users).all()).toEqual([]);
		expect(db.select().from(setupTokens).where(eq(setupTokens.usedAt, now)).all()).toEqual([]);
		// Stored hashed: the token itself is nowhere in the table.
		expect(JSON.stringify(db.select().from(setupTokens).all())).not.toContain(token);
	});
});
