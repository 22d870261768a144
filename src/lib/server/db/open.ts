import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';
import { getConfig } from '../config';
import { backfillAuditChain, registerAuditChain } from '../audit-chain';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Where the generated migrations live (STEMME_MIGRATIONS; the repository root's drizzle/ by default). */
export function migrationsFolder(): string {
	return getConfig().migrationsFolder;
}

/** How long a writer waits for another writer's lock before SQLITE_BUSY, in ms. */
const BUSY_TIMEOUT_MS = 5000;

/** The database holds health records: only the user the server runs as may read it. */
export const DATA_FILE_MODE = 0o600;
export const DATA_FOLDER_MODE = 0o700;

/**
 * The database file, created (or, when it exists from before, tightened) to 0600 before SQLite
 * opens it, its folder created 0700. SQLite creates the -wal and -shm files with the database
 * file's own permissions (os_unix.c, findCreateFileMode), so they follow; those of an older
 * installation are tightened too. A folder that exists already is left as it is: it may be a
 * shared one such as /tmp.
 */
export function prepareDataFile(path: string): void {
	const file = resolve(path);
	mkdirSync(dirname(file), { recursive: true, mode: DATA_FOLDER_MODE });
	// Where the file or folder cannot be written, SQLite is left to say so in its own words
	// (SQLITE_READONLY, SQLITE_CANTOPEN), which the app answers with 503.
	unlessUnwritable(() => existsSync(file) || closeSync(openSync(file, 'wx', DATA_FILE_MODE)));
	for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) unlessUnwritable(() => chmodSync(f, DATA_FILE_MODE));
}

const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'EEXIST']);

function unlessUnwritable(step: () => unknown): void {
	try {
		step();
	} catch (e) {
		if (!UNWRITABLE.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
	}
}

/**
 * Opens (creating if needed) the SQLite file, sets WAL, foreign keys and a busy timeout,
 * and applies every pending migration. `':memory:'` gives a private database for tests.
 */
export function openDatabase(path: string): Db {
	if (path !== ':memory:') prepareDataFile(path);
	const client = new Database(path);
	try {
		client.pragma('journal_mode = WAL');
		client.pragma('foreign_keys = ON');
		client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
		client.pragma('synchronous = NORMAL');
		registerAuditChain(client);
		const db = drizzle(client, { schema });
		// A migration that rebuilds a table others refer to (SQLite cannot alter a column) drops the
		// old one while rows still point at it. PRAGMA foreign_keys is ignored inside the migrations'
		// transaction, so it is switched off around them, and every reference is checked after.
		client.pragma('foreign_keys = OFF');
		migrate(db, { migrationsFolder: migrationsFolder() });
		client.pragma('foreign_keys = ON');
		const broken = client.pragma('foreign_key_check') as unknown[];
		if (broken.length > 0) throw new Error(`the migrations left ${broken.length} broken reference(s): ${JSON.stringify(broken.slice(0, 3))}`);
		backfillAuditChain(client);
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
	registerAuditChain(client);
	try {
		client.pragma('foreign_keys = ON');
		client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
		const last = client.prepare('SELECT max(created_at) AS at FROM __drizzle_migrations').get() as { at: number | null };
		const pending = readMigrationFiles({ migrationsFolder: migrationsFolder() }).filter((m) => Number(last.at ?? 0) < m.folderMillis).length;
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
