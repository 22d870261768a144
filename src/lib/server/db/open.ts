import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
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
	client.pragma('journal_mode = WAL');
	client.pragma('foreign_keys = ON');
	client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
	client.pragma('synchronous = NORMAL');
	const db = drizzle(client, { schema });
	migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
	return db;
}

/** A fresh in-memory database with the real migrations applied. */
export function createTestDatabase(): Db {
	return openDatabase(':memory:');
}
