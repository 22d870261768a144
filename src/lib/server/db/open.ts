import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Where the generated migrations live; the app is always started from the repository root. */
export const MIGRATIONS_FOLDER = resolve(process.env.STEMME_MIGRATIONS ?? 'drizzle');

/** How long a writer waits for another writer's lock before SQLITE_BUSY, in ms. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the SQLite file, sets WAL, foreign keys and a busy timeout,
 * and applies every pending migration. `':memory:'` gives a private database for tests.
 */
export function openDatabase(path: string): Db {
	if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	const client = new Database(path);
	try {
		client.pragma('journal_mode = WAL');
		client.pragma('foreign_keys = ON');
		client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
		client.pragma('synchronous = NORMAL');
		const db = drizzle(client, { schema });
		migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
		// SQLite opens a file it may read but not write without a word: find out now, not at the
		// first rating. Writing the header's own user_version back changes nothing.
		if (path !== ':memory:') {
			const version = client.pragma('user_version', { simple: true }) as number;
			client.transaction(() => client.pragma(`user_version = ${version}`))();
		}
		return db;
	} catch (e) {
		client.close();
		throw e;
	}
}

/**
 * Opens an existing database for reading only, after `openDatabase` found it cannot be written
 * (a read-only file, folder or disk). Usable only when no migration is pending: the code expects
 * the newest schema. Any write then fails with SQLITE_READONLY, which the app answers with 503.
 * Throws a SQLITE_READONLY error when migrations are pending, and whatever SQLite throws when
 * the file cannot even be read (a WAL database on a read-only disk without its -shm file).
 */
export function openDatabaseReadOnly(path: string): Db {
	const client = new Database(path, { readonly: true, fileMustExist: true });
	try {
		client.pragma('foreign_keys = ON');
		client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
		const last = client.prepare('SELECT max(created_at) AS at FROM __drizzle_migrations').get() as { at: number | null };
		const pending = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).filter((m) => Number(last.at ?? 0) < m.folderMillis).length;
		if (pending > 0) {
			throw Object.assign(new Error(`${pending} migration(s) pending and the database cannot be written`), { code: 'SQLITE_READONLY' });
		}
	} catch (e) {
		client.close();
		throw e;
	}
	return drizzle(client, { schema });
}

/** A fresh in-memory database with the real migrations applied. */
export function createTestDatabase(): Db {
	return openDatabase(':memory:');
}
