import type { Db, DatabaseState } from './db';
import pkg from '../../../package.json' with { type: 'json' };

export interface Health {
	app: 'stemme';
	version: string;
	/** 'read-only': the server started on a database it cannot write; it answers reads, and 503 to every write. */
	database: 'ok' | 'read-only' | 'unavailable';
	/** The SQLite code behind 'read-only' or 'unavailable', when known. */
	problem?: string;
}

/** Asks the database a trivial question; any failure (cannot open, locked, corrupt) is 'unavailable'. */
export function checkHealth(db: () => Db, state: () => DatabaseState | null = () => null): Health {
	let database: Health['database'] = 'unavailable';
	let problem: string | undefined;
	try {
		const row = db().$client.prepare('select 1 as ok').get() as { ok: number } | undefined;
		if (row?.ok === 1) database = 'ok';
	} catch (e) {
		database = 'unavailable';
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string') problem = code;
	}
	const opened = state();
	if (opened !== null && opened.kind !== 'writable') {
		if (database === 'ok') database = 'read-only';
		problem = opened.code;
	}
	return { app: 'stemme', version: pkg.version, database, ...(problem === undefined ? {} : { problem }) };
}
