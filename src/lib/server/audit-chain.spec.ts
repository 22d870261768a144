import { describe, expect, it } from 'vitest';
import { createTestDatabase, type Db } from './db/open';
import { recordAudit } from './audit';
import { backfillAuditChain, verifyAuditTrail } from './audit-chain';

const NOW = new Date('2026-11-20T10:00:00Z');

/** A trail of five events: sign-in failure, views, a print, each a minute apart. */
function trail(): Db {
	const db = createTestDatabase();
	db.$client.prepare("INSERT INTO organisations (name) VALUES ('Klinikk')").run();
	db.$client.prepare("INSERT INTO teams (organisation_id, name) VALUES (1, 'Team')").run();
	const actions = ['failed_sign_in', 'viewed_patient_list', 'printed', 'viewed_audit_log', 'pin_failed'] as const;
	actions.forEach((action, i) => recordAudit(db, { userId: null, action, detail: `event ${i + 1}`, address: '10.0.0.9' }, new Date(NOW.getTime() + i * 60_000)));
	return db;
}

/** What someone with the file and the sqlite3 shell can do: drop the triggers first. */
function dropTriggers(db: Db): void {
	for (const t of ['audit_events_no_update', 'audit_events_no_delete', 'audit_events_no_replace']) db.$client.exec(`DROP TRIGGER IF EXISTS ${t}`);
}

describe('the audit chain', () => {
	it('verifies an untouched trail and chains each row to the one before', () => {
		const db = trail();
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: true, rows: 5, redacted: 0 });
		const hashes = db.$client.prepare('SELECT hash FROM audit_events ORDER BY id').pluck().all() as string[];
		expect(new Set(hashes).size).toBe(5);
		for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/);
	});

	it('refuses UPDATE, DELETE and INSERT OR REPLACE while the triggers are there', () => {
		const db = trail();
		expect(() => db.$client.prepare("UPDATE audit_events SET detail = 'x' WHERE id = 2").run()).toThrow(/append-only/);
		expect(() => db.$client.prepare('UPDATE audit_events SET at = 0 WHERE id = 2').run()).toThrow(/append-only/);
		expect(() => db.$client.prepare('DELETE FROM audit_events WHERE id = 2').run()).toThrow(/append-only/);
		expect(() => db.$client.prepare("INSERT OR REPLACE INTO audit_events (id, at, action, detail) VALUES (2, 0, 'printed', 'forged')").run()).toThrow(/append-only/);
		expect(verifyAuditTrail(db.$client).ok).toBe(true);
	});

	it.each([
		{ name: 'an UPDATE of the detail', tamper: "UPDATE audit_events SET detail = 'event 3, edited' WHERE id = 3", first: { id: 3, reason: 'detail_changed' } },
		{
			name: 'an UPDATE of the detail and its hash',
			tamper: "UPDATE audit_events SET detail = 'x', detail_hash = '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881' WHERE id = 3",
			first: { id: 3, reason: 'content_changed' }
		},
		{ name: 'an UPDATE of who did it', tamper: 'UPDATE audit_events SET user_id = NULL, address = NULL WHERE id = 4', first: { id: 4, reason: 'content_changed' } },
		{ name: 'a DELETE in the middle', tamper: 'DELETE FROM audit_events WHERE id = 2', first: { id: 3, reason: 'rows_missing' } },
		{ name: 'a DELETE of the newest row', tamper: 'DELETE FROM audit_events WHERE id = 5', first: { id: 5, reason: 'rows_missing_at_end' } },
		{
			name: 'INSERT OR REPLACE of a row',
			tamper: "INSERT OR REPLACE INTO audit_events (id, at, action, detail, hash) VALUES (2, 0, 'printed', NULL, 'f00d')",
			first: { id: 2, reason: 'content_changed' }
		},
		{ name: 'a row slipped in after the fact', tamper: "INSERT INTO audit_events (at, action) VALUES (0, 'printed')", first: { id: 6, reason: 'not_chained' } }
	])('names the first broken row after $name with the triggers dropped', ({ tamper, first }) => {
		const db = trail();
		dropTriggers(db);
		db.$client.exec(tamper);
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: false, firstBroken: first });
	});

	it('chains the API client that asked: an UPDATE of it is refused, and with the triggers dropped it breaks the row', () => {
		const db = trail();
		db.$client.prepare("INSERT INTO users (organisation_id, username, display_name, password_hash, role, created_at) VALUES (1, 'admin', 'Admin', 'x', 'admin', 0)").run();
		for (const name of ['DIPS', 'Other'])
			db.$client.prepare('INSERT INTO api_clients (organisation_id, name, token_hash, expires_at, created_by_id, created_at) VALUES (1, ?, ?, 0, 1, 0)').run(name, `hash-${name}`);
		recordAudit(db, { userId: null, action: 'api_request', detail: 'GET /fhir/Patient', address: '10.0.0.7', apiClientId: 1 }, NOW);
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: true, rows: 6 });
		expect(() => db.$client.prepare('UPDATE audit_events SET api_client_id = 2 WHERE id = 6').run()).toThrow(/append-only/);
		dropTriggers(db);
		db.$client.prepare('UPDATE audit_events SET api_client_id = 2 WHERE id = 6').run();
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: false, firstBroken: { id: 6, reason: 'content_changed' } });
		// A staff row slipped a client: its hash (made without one) no longer follows.
		db.$client.prepare('UPDATE audit_events SET api_client_id = 1 WHERE id = 2').run();
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: false, firstBroken: { id: 2, reason: 'content_changed' } });
	});

	it('a forged row with a hash made the same way still breaks the next one', () => {
		const db = trail();
		dropTriggers(db);
		// A forger who knows the scheme replaces row 3 with a well-formed row of their own: row 3
		// now chains, but row 4 was chained onto the old row 3.
		db.$client.prepare('DELETE FROM audit_events WHERE id = 3').run();
		db.$client
			.prepare(
				"INSERT INTO audit_events (id, at, action, detail, detail_hash, hash) VALUES (3, ?, 'printed', NULL, NULL, stemme_audit_hash((SELECT hash FROM audit_events WHERE id = 2), ?, NULL, 'printed', NULL, NULL, NULL, NULL))"
			)
			.run(NOW.getTime(), NOW.getTime());
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: false, firstBroken: { id: 4, reason: 'content_changed' } });
	});

	it('fills in the chain of rows written before it, once, and then verifies', () => {
		const db = trail();
		dropTriggers(db);
		db.$client.exec('UPDATE audit_events SET hash = NULL, detail_hash = NULL');
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: false, firstBroken: { id: 1, reason: 'not_chained' } });
		expect(backfillAuditChain(db.$client)).toBe(5);
		expect(backfillAuditChain(db.$client)).toBe(0);
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: true, rows: 5 });
		// A new event chains onto the filled-in ones.
		recordAudit(db, { userId: null, action: 'printed', address: null }, NOW);
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: true, rows: 6 });
	});

	it('lets an erasure remove a detail (and nothing else), and shows the row as redacted', () => {
		const db = trail();
		db.$client.prepare('UPDATE audit_events SET detail = NULL WHERE id = 2').run();
		expect(verifyAuditTrail(db.$client)).toMatchObject({ ok: true, rows: 5, redacted: 1 });
		expect(() => db.$client.prepare('UPDATE audit_events SET detail = NULL, detail_hash = NULL WHERE id = 3').run()).toThrow(/append-only/);
	});
});
