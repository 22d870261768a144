import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { closePostgres, openPostgres } from './open';
import { createTestDatabase } from '../open';
import { freshPostgresDatabase } from '../../../../../tests/support/pg-database';
import { differences, postgresCatalogue, sqliteCatalogue, type SchemaShape } from '../../../../../tests/support/schema-shape';

/**
 * The two migration folders make the same database: drizzle/ applied to SQLite (PRAGMA
 * table_info, index_list, foreign_key_list) and drizzle/postgres/ applied to a real PostgreSQL
 * server (its catalogue: pg_attribute, pg_constraint, pg_indexes) have the same tables, columns
 * (a type as SQLite stores the same meaning), nullability, defaults, keys and indexes.
 */
let live: SchemaShape;
let stored: SchemaShape;
let drop: () => Promise<void>;

beforeAll(async () => {
	const fresh = await freshPostgresDatabase(true);
	drop = fresh.drop;
	const db = await openPostgres(fresh.url);
	await closePostgres(db);
	const client = new pg.Client({ connectionString: fresh.url });
	await client.connect();
	try {
		live = await postgresCatalogue(client);
	} finally {
		await client.end();
	}
	const sqlite = createTestDatabase();
	stored = sqliteCatalogue(sqlite.$client);
	sqlite.$client.close();
});
afterAll(() => drop());

describe('the migrations on SQLite and on PostgreSQL', () => {
	it('make the same tables, columns, keys and indexes', () => {
		expect(Object.keys(live).length).toBeGreaterThanOrEqual(41);
		expect(differences(stored, live)).toEqual([]);
	});

	it('are read the same way on both engines', () => {
		for (const shape of [stored, live]) {
			expect(shape.flags!.indexes.flags_one_open).toBe('unique (episode_id, key) where resolved_at is null');
			expect(shape.organisations!.columns.created_at).toEqual({ type: 'integer', notNull: true, default: 'now', numbered: false });
			expect(shape.organisations!.columns.id).toEqual({ type: 'integer', notNull: true, default: null, numbered: true });
			expect(shape.tablet_handoffs!.foreignKeys).toContain('(session_id) -> sessions(id) on delete set null on update no action');
		}
	});

	it('catch a live table that drifted', () => {
		const drifted: SchemaShape = structuredClone(live);
		drifted.users!.columns.email = { ...drifted.users!.columns.email!, type: 'integer' };
		delete drifted.ratings!.indexes.ratings_one_correction;
		drifted.sessions!.foreignKeys = [];
		expect(differences(stored, drifted)).toEqual([
			'ratings index ratings_one_correction: sqlite "unique (corrects_rating_id)", postgres null',
			'sessions foreign keys: sqlite ["(user_id) -> users(id) on delete cascade on update no action"], postgres []',
			'users.email type: sqlite "text", postgres "integer"'
		]);
	});
});
