import type Database from 'better-sqlite3';
import type { Db } from './db';

/**
 * The ceiling of the stack for `npm run load`: what SvelteKit, Node and SQLite manage when a
 * request does nothing but one prepared INSERT. Off unless the server was started with
 * STEMME_LOAD_CEILING=1 (only the load script sets it); it writes to a scratch table of its own,
 * created on first use, never to Stemme's data and never by a migration.
 */
export function loadCeilingEnabled(env: NodeJS.ProcessEnv): boolean {
	return env.STEMME_LOAD_CEILING === '1';
}

let insert: Database.Statement | null = null;

/** Stores the request body once under its client id; returns the new row's id. */
export function insertCeilingRow(db: Db, clientId: string, body: string): number {
	if (insert === null) {
		db.$client.exec('CREATE TABLE IF NOT EXISTS load_ceiling (id INTEGER PRIMARY KEY, client_id TEXT NOT NULL, body TEXT NOT NULL)');
		insert = db.$client.prepare('INSERT INTO load_ceiling (client_id, body) VALUES (?, ?)');
	}
	return Number(insert.run(clientId, body).lastInsertRowid);
}
