import { openDatabase, openDatabaseReadOnly, type Db } from './open';
import { storageFailure } from './storage-failure';

export { type Db } from './open';

/** Default location of the database file, relative to the working directory. */
export const DEFAULT_DATABASE_PATH = 'data/stemme.db';

/** How the database could be opened: 'read-only' when its file, folder or disk refuses writes. */
export type DatabaseState = { kind: 'writable' } | { kind: 'read-only'; code: string } | { kind: 'unavailable'; code: string; error: unknown };

let instance: Db | null = null;
let state: DatabaseState | null = null;

/**
 * The app's database, opened on first use. Never at import time: `vite build` imports
 * server modules and must not create a database file.
 *
 * A database that cannot be written at start does not stop the server: it is opened read-only
 * when no migration is pending (pages that only read still work; every write answers 503), and
 * otherwise every use throws the storage error, which is answered 503 as well. /health says so.
 * Either lasts until the server is started again.
 */
export function getDb(): Db {
	if (instance !== null) return instance;
	if (state?.kind === 'unavailable') throw state.error;
	const path = (process.env.DATABASE_URL ?? DEFAULT_DATABASE_PATH).replace(/^file:/, '');
	try {
		instance = openDatabase(path);
		state = { kind: 'writable' };
		return instance;
	} catch (error) {
		const code = storageFailure(error);
		if (code === null) throw error;
		try {
			instance = openDatabaseReadOnly(path);
			state = { kind: 'read-only', code };
			console.error(`Stemme: the database cannot be written (${code}); serving it read-only until the server is started again`);
			return instance;
		} catch (readError) {
			const readCode = storageFailure(readError) ?? code;
			state = { kind: 'unavailable', code: readCode, error: readError };
			console.error(`Stemme: the database cannot be written (${code}) nor read (${readCode}: ${(readError as Error).message}); answering 503 until the server is started again`);
			throw readError;
		}
	}
}

/** How getDb() opened the database; null before its first use. */
export function databaseState(): DatabaseState | null {
	return state;
}
