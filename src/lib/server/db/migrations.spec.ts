import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationsFolder, openDatabase } from './open';
import { previousVersionDatabase } from '../../../../tests/support/fixtures';

/**
 * Upgrading keeps the data: a database made by the previous version (the newest fixture in
 * tests/fixtures/db, written by `npm run fixture:migrations` before the latest migration) is
 * copied, opened with the app's own openDatabase (which applies the migrations since), and
 * every row of every table it had must still be there with the same values.
 */
const fixture = previousVersionDatabase();
const scratch = mkdtempSync(join(tmpdir(), 'stemme-migrate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Snapshot = Record<string, { columns: string[]; rows: number; digest: string }>;

/** Per table (the migrations' own bookkeeping aside): its columns, row count and a hash of every row's values. */
function snapshot(db: Database.Database, columnsOf?: Snapshot): Snapshot {
	const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '__drizzle_migrations' ORDER BY name").all() as { name: string }[];
	return Object.fromEntries(
		tables
			.filter(({ name }) => columnsOf === undefined || name in columnsOf)
			.map(({ name }) => {
				// After a migration, only the columns the table had before are compared: added columns are new.
				const columns = columnsOf?.[name]?.columns ?? (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).map((c) => c.name);
				const list = columns.map((c) => `"${c}"`).join(', ');
				const rows = db
					.prepare(`SELECT ${list} FROM "${name}" ORDER BY ${columns.map((_, i) => i + 1).join(', ')}`)
					.raw()
					.all();
				return [name, { columns, rows: rows.length, digest: createHash('sha256').update(JSON.stringify(rows)).digest('hex') }];
			})
	);
}

describe(`migrating the previous version's database (${fixture})`, () => {
	const path = join(scratch, 'stemme.db');
	copyFileSync(fixture, path);
	const original = new Database(path, { readonly: true });
	const before = snapshot(original);
	const patient = original.prepare("SELECT display_name, birth_year FROM patients WHERE code = 'P-1001'").get();
	const correction = original.prepare("SELECT total, item_values, correction_reason FROM ratings WHERE client_id = 'fixture-correction'").get();
	original.close();

	const db = openDatabase(path).$client;
	afterAll(() => db.close());
	const after = snapshot(db, before);
	const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

	it('has something in every table to lose', () => {
		expect(Object.keys(before).length).toBeGreaterThanOrEqual(13);
		expect(Object.entries(before).filter(([, t]) => t.rows === 0)).toEqual([]);
	});

	it('applies every migration', () => {
		expect((db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(journal.entries.length);
	});

	it('keeps every table, every row and every value it had', () => {
		expect(Object.keys(after)).toEqual(Object.keys(before));
		expect(after).toEqual(before);
	});

	it('keeps sampled values as they were', () => {
		expect(db.prepare("SELECT display_name, birth_year FROM patients WHERE code = 'P-1001'").get()).toEqual(patient);
		expect(db.prepare("SELECT total, item_values, correction_reason FROM ratings WHERE client_id = 'fixture-correction'").get()).toEqual(correction);
		expect(correction).toMatchObject({ correction_reason: 'Feil avlest linjal' });
	});

	it('leaves a sound database: integrity_check ok, no broken foreign key', () => {
		expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
		expect(db.pragma('foreign_key_check')).toEqual([]);
	});
});
