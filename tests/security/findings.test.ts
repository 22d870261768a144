import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { databasePath, readDatabase } from '../support/browser';
import { Client } from '../support/http';

/**
 * The independent security test's findings, reproduced against the built app on loopback
 * (black box: HTTP only, plus the file modes and the audit table the findings are about).
 */
const db = readDatabase();
const one = <T>(sql: string, ...params: unknown[]): T => db.prepare(sql).get(...params) as T;
const auditRows = (): number => one<{ n: number }>('SELECT count(*) AS n FROM audit_events').n;
const kariPatient = (): number =>
	one<{ id: number }>(
		`SELECT p.id FROM patients p JOIN team_memberships m ON m.team_id = p.team_id JOIN users u ON u.id = m.user_id WHERE u.username = 'kari' AND p.erased_at IS NULL ORDER BY p.id LIMIT 1`
	).id;

/** The redirect went nowhere but this site. */
function staysHome(location: string | null, base: string): void {
	if (location === null) return;
	expect(new URL(location, base).origin).toBe(new URL(base).origin);
}

const HOSTILE_NEXT = [
	'/%09/evil.example', // a TAB, dropped by the browser: //evil.example
	'//evil.example',
	'/%5Cevil.example',
	'https://evil.example/',
	'/patients%0d%0aLocation:%20https://evil.example',
	'/patients%0a',
	'/patients%00',
	'/%E3%80%82evil.example', // U+3002, a dot in a host name
	'//evil%E3%80%82example'
];

describe('finding 2: open redirect through next', () => {
	it.each(HOSTILE_NEXT)('a signed-in user sent to /login?next=%s stays on the site (400 for control and non-ASCII characters, never 5xx)', async (next) => {
		const kari = await new Client().signIn('kari');
		const answer = await kari.get(`/login?next=${next}`);
		expect(answer.status).toBeLessThan(500);
		expect([303, 400]).toContain(answer.status);
		staysHome(answer.location, kari.base);
	});

	it.each(HOSTILE_NEXT)('signing in with next=%s stays on the site', async (next) => {
		const client = new Client();
		const answer = await client.post('/login', { form: { username: 'kari', password: 'stemme-demo', next: decodeURIComponent(next) } });
		expect(answer.status).toBeLessThan(500);
		staysHome(answer.location, client.base);
	});

	it.each(HOSTILE_NEXT)('choosing a language with next=%s stays on the site', async (next) => {
		const client = new Client();
		const answer = await client.post('/locale', { form: { locale: 'en', next: decodeURIComponent(next) } });
		expect(answer.status).toBeLessThan(500);
		expect([303, 400]).toContain(answer.status);
		staysHome(answer.location, client.base);
	});

	it('keeps a real same-site next', async () => {
		const client = new Client();
		const answer = await client.post('/locale', { form: { locale: 'nb', next: '/patients?kind=all' } });
		expect(answer).toMatchObject({ status: 303, location: '/patients?kind=all' });
	});
});

describe('finding 9: every non-GET checks Origin; JSON endpoints take only JSON', () => {
	it('POST /patients/<id>/printed without Content-Type or Origin is refused and writes nothing', async () => {
		const kari = await new Client().signIn('kari');
		const before = auditRows();
		const answer = await kari.request('POST', `/patients/${kariPatient()}/printed`, { headers: { origin: '' } });
		// (No other request is under way: the files run one at a time.)
		expect(answer.status).toBe(403);
		expect(auditRows()).toBe(before);
	});

	it('POST /patients/<id>/printed from another site, without Content-Type, is refused', async () => {
		const kari = await new Client().signIn('kari');
		const answer = await kari.request('POST', `/patients/${kariPatient()}/printed`, { headers: { origin: 'https://evil.example' } });
		expect(answer.status).toBe(403);
	});

	it('the same print note from this site is written', async () => {
		const kari = await new Client().signIn('kari');
		const printed = (): number => one<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = 'printed' AND patient_id = ?", kariPatient()).n;
		const before = printed();
		const answer = await kari.post(`/patients/${kariPatient()}/printed`, { json: {} });
		expect(answer.status).toBe(200);
		expect(printed()).toBe(before + 1);
	});

	it.each(['application/x-www-form-urlencoded', 'application/xml', ''])('a rating sent as %j is answered 415', async (type) => {
		const kari = await new Client().signIn('kari');
		const answer = await kari.post('/rate/submit', { raw: { body: '{"handoffId":"x"}', type }, headers: { accept: 'application/json' } });
		expect(answer.status).toBe(415);
	});

	it('a rating sent as text/plain is refused before the endpoint reads it', async () => {
		// The form-body check (hooks.server.ts) reads text/plain as the form encoding it is and
		// refuses this body with 400 first; either way the JSON is never parsed.
		const kari = await new Client().signIn('kari');
		const answer = await kari.post('/rate/submit', { raw: { body: '{"handoffId":"x"}', type: 'text/plain' }, headers: { accept: 'application/json' } });
		expect([400, 415]).toContain(answer.status);
	});
});

describe('finding 10: a 40,000-deep JSON value', () => {
	it('is answered 4xx, and nothing of it comes back', async () => {
		const kari = await new Client().signIn('kari');
		const deep = '['.repeat(40_000) + ']'.repeat(40_000);
		const body = `{"handoffId":"h","clientId":"deep-value-1","appointmentId":1,"values":{"daily":${deep}}}`;
		const answer = await kari.post('/rate/submit', { raw: { body, type: 'application/json' }, headers: { accept: 'application/json' } });
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.status).toBeLessThan(500);
		expect(answer.body).not.toContain('[[');
	});
});

describe('finding 11: one password length limit', () => {
	it('a 256-character password the admin sets can be used to sign in', async () => {
		const admin = await new Client().signIn('admin');
		// 256 characters, the most the rules allow (the sign-in field stopped at 200).
		const password = 'lang passordfrase med mange ord '.repeat(8);
		expect(password).toHaveLength(256);
		const created = await admin.post('/admin/users?/create', { form: { username: 'lang.passord', displayName: 'Lang Passord', role: 'admin', preferredLocale: 'nb', password } });
		expect(created.status).toBeLessThan(400);
		const answer = await new Client().post('/login', { form: { username: 'lang.passord', password } });
		expect(answer.status).toBe(303);
	});
});

describe('finding 12: file modes', () => {
	it('the database and its WAL are 0600', () => {
		for (const f of [databasePath(), `${databasePath()}-wal`]) expect({ f, mode: (statSync(f).mode & 0o777).toString(8) }).toEqual({ f, mode: '600' });
	});
});

describe('finding 15: the audit trail is tamper-evident', () => {
	it('the admin verifies the trail, and a row changed with the triggers dropped is named', async () => {
		const admin = await new Client().signIn('admin');
		const intact = await admin.post('/admin/audit?/verify', { form: {} });
		expect(intact.status).toBe(200);
		expect(intact.body).toContain('Loggen er hel');
		// Someone with the file: drop the trigger, edit a row, put the trigger back.
		const file = new Database(databasePath());
		const trigger = (file.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_events_no_update'").get() as { sql: string }).sql;
		const victim = file.prepare('SELECT id, address FROM audit_events ORDER BY id LIMIT 1 OFFSET 3').get() as { id: number; address: string | null };
		try {
			file.transaction(() => {
				file.exec('DROP TRIGGER audit_events_no_update');
				file.prepare("UPDATE audit_events SET address = '203.0.113.9' WHERE id = ?").run(victim.id);
				file.exec(trigger);
			})();
			const broken = await admin.post('/admin/audit?/verify', { form: {} });
			expect(broken.body).toContain(`Loggen er brutt ved hendelse nr. ${victim.id}`);
		} finally {
			// Put the row back as it was, for the files that run after this one.
			file.transaction(() => {
				file.exec('DROP TRIGGER audit_events_no_update');
				file.prepare('UPDATE audit_events SET address = ? WHERE id = ?').run(victim.address, victim.id);
				file.exec(trigger);
			})();
			file.close();
		}
		expect((await admin.post('/admin/audit?/verify', { form: {} })).body).toContain('Loggen er hel');
	});
});

describe('finding 16: headers', () => {
	it('HTML is sent with its charset, and with nosniff', async () => {
		const answer = await new Client().get('/login');
		expect(answer.type).toBe('text/html; charset=utf-8');
		expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
		// Plain HTTP on loopback: no HSTS (it is sent over HTTPS; src/hooks/transport.spec.ts).
		expect(answer.headers.get('strict-transport-security')).toBeNull();
	});
});
