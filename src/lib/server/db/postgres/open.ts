import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { resolve } from 'node:path';
import * as schema from './schema';

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** The PostgreSQL migrations, relative to the working directory as the SQLite ones are (../../config.ts). */
export const POSTGRES_MIGRATIONS = 'drizzle/postgres';

/** The advisory lock the migrations are applied under (any number fixed for Stemme: "stemme" in ASCII). */
const MIGRATION_LOCK = 0x7374656d6d65;

/** Whether a DATABASE_URL names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
	return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * A pool of connections to the server of a postgres:// URL, with every pending migration applied
 * (drizzle records them in drizzle.__drizzle_migrations). The migrations run on one connection
 * holding an advisory lock, so that two app servers starting at once apply them once: the second
 * waits, then finds nothing pending.
 */
export async function openPostgres(url: string, options: { migrationsFolder?: string; max?: number } = {}): Promise<PgDb> {
	if (!isPostgresUrl(url)) throw new Error('not a postgres:// URL');
	const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
	try {
		const client = await pool.connect();
		try {
			await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
			await migrate(drizzle(client, { schema }), { migrationsFolder: resolve(options.migrationsFolder ?? POSTGRES_MIGRATIONS) });
		} finally {
			await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
			client.release();
		}
		return drizzle(pool, { schema });
	} catch (e) {
		await pool.end();
		throw e;
	}
}

/** Ends the pool's connections. */
export async function closePostgres(db: PgDb): Promise<void> {
	await db.$client.end();
}
