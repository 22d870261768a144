import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { closePostgres, isPostgresUrl, openPostgres, type PgDb } from './open';
import { auditEvents, organisations, users } from './schema';
import { freshPostgresDatabase } from '../../../../../tests/support/pg-database';

/** Opening a PostgreSQL database: the migrations applied once, and the audit trail append-only. */
let url: string;
let drop: () => Promise<void>;
let db: PgDb;

beforeAll(async () => {
	({ url, drop } = await freshPostgresDatabase(true));
	db = await openPostgres(url);
});
afterAll(async () => {
	await closePostgres(db);
	await drop();
});

/** The database's error for a statement, or null when it went through. */
async function refusal(statement: Promise<unknown>): Promise<string | null> {
	try {
		await statement;
		return null;
	} catch (e) {
		return ((e as { cause?: Error }).cause ?? (e as Error)).message;
	}
}

describe('openPostgres', () => {
	it('tells a postgres:// URL from a SQLite path', () => {
		expect(isPostgresUrl('postgres://stemme@db1,db2/stemme?target_session_attrs=read-write')).toBe(true);
		expect(isPostgresUrl('postgresql://localhost/stemme')).toBe(true);
		expect(isPostgresUrl('data/stemme.db')).toBe(false);
		expect(isPostgresUrl(':memory:')).toBe(false);
	});

	it('applies every migration once: opening again (two servers at once, too) applies nothing more', async () => {
		const applied = async () => (await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`)).rows[0]!.n;
		const before = await applied();
		expect(before).toBeGreaterThanOrEqual(2);
		const again = await Promise.all([openPostgres(url), openPostgres(url)]);
		await Promise.all(again.map(closePostgres));
		expect(await applied()).toBe(before);
		const tables = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
		expect(tables.rows[0]!.n).toBeGreaterThanOrEqual(41);
	});

	it('keeps the audit trail append-only: only the chain backfill and an erasure may change a row, nothing deletes one', async () => {
		const [org] = await db.insert(organisations).values({ name: 'Klinikk' }).returning();
		const [user] = await db.insert(users).values({ organisationId: org!.id, username: 'kari', displayName: 'Kari', passwordHash: 'x', role: 'clinician' }).returning();
		const at = new Date('2026-12-04T08:00:00.123Z');
		const [event] = await db.insert(auditEvents).values({ at, userId: user!.id, action: 'printed', detail: 'utskrift' }).returning();
		expect(event!.at).toEqual(at);
		const row = eq(auditEvents.id, event!.id);
		const appendOnly = 'audit_events is append-only';

		expect(await refusal(db.update(auditEvents).set({ action: 'rated' }).where(row))).toBe(appendOnly);
		expect(await refusal(db.update(auditEvents).set({ at: new Date() }).where(row))).toBe(appendOnly);
		// The start's backfill: a row without a hash gets one, its detail kept.
		expect(await refusal(db.update(auditEvents).set({ hash: 'h1', detailHash: 'd1' }).where(row))).toBeNull();
		// Once chained, the hash is fixed, and the detail stays unless it is removed (an erasure).
		expect(await refusal(db.update(auditEvents).set({ hash: 'h2' }).where(row))).toBe(appendOnly);
		expect(await refusal(db.update(auditEvents).set({ detail: 'annet' }).where(row))).toBe(appendOnly);
		expect(await refusal(db.update(auditEvents).set({ detail: null, detailHash: 'other' }).where(row))).toBe(appendOnly);
		expect(await refusal(db.update(auditEvents).set({ detail: null }).where(row))).toBeNull();
		// No row leaves, by DELETE, TRUNCATE, or an upsert that would overwrite it.
		expect(await refusal(db.delete(auditEvents).where(row))).toBe(appendOnly);
		expect(await refusal(db.execute(sql`TRUNCATE audit_events CASCADE`))).toBe(appendOnly);
		expect(
			await refusal(
				db
					.insert(auditEvents)
					.values({ id: event!.id, at, action: 'rated' })
					.onConflictDoUpdate({ target: auditEvents.id, set: { action: 'rated' } })
			)
		).toBe(appendOnly);
		expect(await refusal(db.insert(auditEvents).values({ id: event!.id, at, action: 'rated' }))).toMatch(/duplicate key/);

		expect(await db.select().from(auditEvents)).toEqual([{ ...event, detail: null, hash: 'h1', detailHash: 'd1' }]);
	});
});
