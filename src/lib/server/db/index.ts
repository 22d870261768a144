import { openDatabase, type Db } from './open';

export { type Db } from './open';

/** Default location of the database file, relative to the working directory. */
export const DEFAULT_DATABASE_PATH = 'data/stemme.db';

let instance: Db | null = null;

/**
 * The app's database, opened on first use. Never at import time: `vite build` imports
 * server modules and must not create a database file.
 */
export function getDb(): Db {
	if (instance === null) {
		const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_PATH;
		instance = openDatabase(url.replace(/^file:/, ''));
	}
	return instance;
}
