import type { Db } from './db';
import pkg from '../../../package.json' with { type: 'json' };

export interface Health {
	app: 'stemme';
	version: string;
	database: 'ok' | 'unavailable';
}

/** Asks the database a trivial question; any failure (cannot open, locked, corrupt) is 'unavailable'. */
export function checkHealth(db: () => Db): Health {
	let database: Health['database'] = 'unavailable';
	try {
		const row = db().$client.prepare('select 1 as ok').get() as { ok: number } | undefined;
		if (row?.ok === 1) database = 'ok';
	} catch {
		database = 'unavailable';
	}
	return { app: 'stemme', version: pkg.version, database };
}
