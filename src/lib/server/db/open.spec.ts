import { describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, openDatabaseReadOnly, migrationsFolder } from './open';
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
			const files = readdirSync(migrationsFolder()).filter((f) => f.endsWith('.sql'));
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
		expect(() => db.$client.prepare("insert into teams (organisation_id, name) values (999, 'x')").run()).toThrow(/FOREIGN KEY/);
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
		expect(
			checkHealth(() => {
				throw new Error('disk gone');
			}).database
		).toBe('unavailable');
		const db = openDatabase(':memory:');
		db.$client.close();
		expect(checkHealth(() => db).database).toBe('unavailable');
	});
});

describe('file modes (health records: only the server user may read them)', () => {
	const mode = (path: string): number => statSync(path).mode & 0o777;

	it('creates the data folder 0700 and the database, its WAL and shared memory 0600', () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-db-'));
		// The umask a server typically runs with; 0644 files were the finding.
		const umask = process.umask(0o022);
		try {
			const db = openDatabase(join(dir, 'data', 'stemme.db'));
			db.$client.prepare("insert into organisations (name) values ('x')").run();
			expect(mode(join(dir, 'data')).toString(8)).toBe('700');
			for (const f of ['stemme.db', 'stemme.db-wal', 'stemme.db-shm']) expect({ f, mode: mode(join(dir, 'data', f)).toString(8) }).toEqual({ f, mode: '600' });
			db.$client.close();
		} finally {
			process.umask(umask);
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('tightens a database created 0644 by an earlier version, WAL included', () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-db-'));
		try {
			const path = join(dir, 'stemme.db');
			const first = openDatabase(path);
			first.$client.prepare("insert into organisations (name) values ('x')").run();
			for (const f of [path, `${path}-wal`, `${path}-shm`]) chmodSync(f, 0o644);
			const again = openDatabase(path);
			for (const f of [path, `${path}-wal`, `${path}-shm`]) expect({ f, mode: mode(f).toString(8) }).toEqual({ f, mode: '600' });
			first.$client.close();
			again.$client.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
