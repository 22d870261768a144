import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { readDatabase } from './support/browser';
import { Client } from './support/http';
import { codeFor, stepNow } from './support/two-factor';
import { ACCOUNT_FAILURE_LIMIT } from '$lib/server/auth/throttle';

/**
 * Wrong two-factor codes over HTTP, as a guesser sends them: each is answered 400 until the
 * account's limit, then 429 with the throttle message — the right code too, while locked — and
 * every try is in the audit trail. A user of its own, so no other file's sign-in is locked.
 */
const USER = { username: 'totp-throttle', password: 'en egen lang passfrase 9' };
const ONE_TIME = 'et engangspassord fra admin';
let db: Database.Database;
let key = '';

beforeAll(async () => {
	db = readDatabase();
	const admin = await new Client().signIn('admin');
	const team = (db.prepare("SELECT m.team_id AS id FROM team_memberships m JOIN users u ON u.id = m.user_id WHERE u.username = 'kari'").get() as { id: number }).id;
	const made = await admin.post('/admin/users?/create', {
		form: { username: USER.username, displayName: 'Kode Prøver', role: 'clinician', [`team-${team}`]: 'on', preferredLocale: 'nb', password: ONE_TIME }
	});
	expect(made.status).toBe(200);
	const own = await new Client().signIn(USER.username, ONE_TIME);
	await own.post('/password', { form: { password: USER.password, repeat: USER.password } });
	key = /name="key" value="([A-Z2-7]+)"/.exec((await own.get('/account')).body)![1]!;
	expect((await own.post('/account?/enrol', { form: { key, code: codeFor(key, stepNow()) } })).body).toContain('recovery-codes-title');
});
afterAll(() => db?.close());

const failures = (): { detail: string }[] =>
	db.prepare("SELECT a.detail FROM audit_events a JOIN users u ON u.id = a.user_id WHERE u.username = ? AND a.action = 'second_factor_failed' ORDER BY a.id").all(USER.username) as {
		detail: string;
	}[];

describe('wrong two-factor codes over HTTP', () => {
	it(`are 400 for the first ${ACCOUNT_FAILURE_LIMIT}, then 429 with the throttle message, the right code too; each one audited`, async () => {
		const client = new Client();
		const signedIn = await client.post('/login', { form: { username: USER.username, password: USER.password } });
		expect(signedIn.location).toMatch(/^\/login\/two-factor/);
		// A code five steps (2½ minutes) ahead: outside the window of one step either side, so wrong.
		const wrong = codeFor(key, stepNow() + 5);
		const statuses: number[] = [];
		for (let i = 0; i < ACCOUNT_FAILURE_LIMIT + 1; i++) statuses.push((await client.post('/login/two-factor?/code', { form: { code: wrong, next: '/today' } })).status);
		expect(statuses).toEqual([...Array<number>(ACCOUNT_FAILURE_LIMIT).fill(400), 429]);
		const locked = await client.post('/login/two-factor?/code', { form: { code: codeFor(key, stepNow()), next: '/today' } });
		expect(locked.status).toBe(429);
		expect(locked.body).toMatch(/For mange feil koder\. Prøv igjen om \d+ sekunder\./);
		// Still owing the code: the session reaches nothing else.
		expect((await client.get('/today')).location).toMatch(/^\/login\/two-factor/);
		const audited = failures();
		expect(audited).toHaveLength(ACCOUNT_FAILURE_LIMIT + 2);
		expect(audited.slice(-2).every((a) => a.detail.endsWith(': throttled'))).toBe(true);
		expect(audited.slice(0, ACCOUNT_FAILURE_LIMIT).some((a) => a.detail.endsWith(': throttled'))).toBe(false);
	});
});
