import { openDatabase, openDatabaseReadOnly, type Db } from './open';
import { storageFailure } from './storage-failure';
import { startCheckpointer } from './checkpointer';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { getConfig } from '../config';

export { type Db } from './open';

/** Default location of the database file, relative to the working directory. */
export { DEFAULT_DATABASE_PATH } from '../config';

/** How the database could be opened: 'read-only' when its file, folder or disk refuses writes. */
export type DatabaseState = { kind: 'writable' } | { kind: 'read-only'; code: string } | { kind: 'unavailable'; code: string; error: unknown };

let instance: Db | null = null;
let state: DatabaseState | null = null;
let lastTry = 0;
const writableAgain: Array<(db: Db) => void> = [];

/** Seconds between tries to open a database that could not be written (STEMME_STORAGE_RETRY_SECONDS, default 30). */
export function retrySeconds(): number {
	return getConfig().storageRetrySeconds;
}

function databasePath(): string {
	return getConfig().databasePath;
}

/** The app's writable connection, with the WAL checkpointed in the background (see checkpointer.ts). */
function openWritable(path: string): Db {
	const db = openDatabase(path);
	if (path !== ':memory:') startCheckpointer(db, path);
	return db;
}

/** `then` runs once the database could not be written and now can (the start's work left undone). */
export function whenWritableAgain(then: (db: Db) => void): void {
	writableAgain.push(then);
}

function tryWritableAgain(): void {
	if (Date.now() - lastTry < retrySeconds() * 1000) return;
	lastTry = Date.now();
	const path = databasePath();
	const readOnly = instance;
	if (readOnly !== null) {
		// SQLite shares a file's locks and shared memory among the connections of one process, so
		// the read-only connection must close before a writable one can open. Only when the file,
		// its folder and its companions say they can be written: a request between the close and
		// the new connection is not possible (all of this is synchronous), one that held the old
		// connection across an await fails once.
		if (!looksWritable(path)) return;
		readOnly.$client.close();
		instance = null;
	}
	let db: Db;
	try {
		db = openWritable(path);
	} catch (error) {
		if (storageFailure(error) === null) console.error(`Stemme: the database still cannot be opened for writing: ${(error as Error).message}`);
		if (readOnly !== null) {
			try {
				instance = openDatabaseReadOnly(path);
			} catch (readError) {
				state = { kind: 'unavailable', code: storageFailure(readError) ?? 'SQLITE_CANTOPEN', error: readError };
			}
		}
		return;
	}
	instance = db;
	state = { kind: 'writable' };
	console.log('Stemme: the database can be written again; working normally.');
	for (const then of writableAgain.splice(0)) then(db);
}

/** Whether the file, its folder and its -wal and -shm companions (where they exist) may be written. */
function looksWritable(path: string): boolean {
	try {
		accessSync(dirname(resolve(path)), constants.W_OK);
		for (const suffix of ['', '-wal', '-shm']) {
			if (existsSync(path + suffix)) accessSync(path + suffix, constants.W_OK);
		}
		return true;
	} catch {
		return false;
	}
}

/**
 * The app's database, opened on first use. Never at import time: `vite build` imports
 * server modules and must not create a database file.
 *
 * A database that cannot be written at start does not stop the server: it is opened read-only
 * when no migration is pending (pages that only read still work; every write answers 503), and
 * otherwise every use throws the storage error, which is answered 503 as well. /health says so.
 * Either lasts until the database can be written again: a use at least `retrySeconds()` after
 * the last try opens it for writing again (with any pending migration), and from then on the
 * server works as if it had started so — no restart needed.
 */
export function getDb(): Db {
	if (state !== null && state.kind !== 'writable') tryWritableAgain();
	if (instance !== null) return instance;
	if (state?.kind === 'unavailable') throw state.error;
	const path = databasePath();
	try {
		instance = openWritable(path);
		state = { kind: 'writable' };
		return instance;
	} catch (error) {
		const code = storageFailure(error);
		if (code === null) throw error;
		lastTry = Date.now();
		try {
			instance = openDatabaseReadOnly(path);
			state = { kind: 'read-only', code };
			console.error(`Stemme: the database cannot be written (${code}); serving it read-only, and trying again every ${retrySeconds()} s`);
			return instance;
		} catch (readError) {
			const readCode = storageFailure(readError) ?? code;
			state = { kind: 'unavailable', code: readCode, error: readError };
			console.error(`Stemme: the database cannot be written (${code}) nor read (${readCode}: ${(readError as Error).message}); answering 503, and trying again every ${retrySeconds()} s`);
			throw readError;
		}
	}
}

/** How getDb() opened the database; null before its first use. */
export function databaseState(): DatabaseState | null {
	return state;
}
