import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, openDatabaseReadOnly, MIGRATIONS_FOLDER } from './open';
import { checkHealth } from '../health';
import { previousVersionDatabase } from '../../../../tests/support/fixtures';

describe('openDatabase', () => {
	it('creates the file and its folder, applies every migration, and sets WAL, foreign keys and a busy timeout', () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-db-'));
		try {
			const db = openDatabase(join(dir, 'nested', 'stemme.db'));
			const client = db.$client;
			expect(client.pragma('journal_mode', { simple: true })).toBe('wal');
			expect(client.pragma('foreign_keys', { simple: true })).toBe(1);
			expect(client.pragma('busy_timeout', { simple: true })).toBe(5000);
			const applied = client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
			const files = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql'));
			expect(applied.n).toBe(files.length);
			client.close();
			// Opening again applies nothing twice and keeps the data.
			const again = openDatabase(join(dir, 'nested', 'stemme.db'));
			expect((again.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n).toBe(files.length);
			again.$client.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses a row that points nowhere (foreign keys are enforced)', () => {
		const db = openDatabase(':memory:');
		expect(() =>
			db.$client.prepare("insert into teams (organisation_id, name) values (999, 'x')").run()
		).toThrow(/FOREIGN KEY/);
	});
});

describe('openDatabaseReadOnly', () => {
	it('reads a database with every migration applied and refuses writes with SQLITE_READONLY', () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-db-'));
		try {
			openDatabase(join(dir, 'stemme.db')).$client.close();
			const db = openDatabaseReadOnly(join(dir, 'stemme.db'));
			expect((db.$client.prepare('select count(*) as n from teams').get() as { n: number }).n).toBe(0);
			expect(() => db.$client.prepare("insert into organisations (name) values ('x')").run()).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY' }));
			db.$client.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses a database with a migration pending, as a storage failure', () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-db-'));
		try {
			// Made by the version before the newest migration.
			copyFileSync(previousVersionDatabase(), join(dir, 'stemme.db'));
			expect(() => openDatabaseReadOnly(join(dir, 'stemme.db'))).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY', message: expect.stringMatching(/migration\(s\) pending/) }));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('checkHealth', () => {
	it('says ok with the version when the database answers', () => {
		const db = openDatabase(':memory:');
		expect(checkHealth(() => db)).toEqual({ app: 'stemme', version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: 'ok' });
	});

	it('says unavailable when the database cannot be opened or is closed', () => {
		expect(checkHealth(() => { throw new Error('disk gone'); }).database).toBe('unavailable');
		const db = openDatabase(':memory:');
		db.$client.close();
		expect(checkHealth(() => db).database).toBe('unavailable');
	});
});
