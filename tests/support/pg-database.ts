import { inject, onTestFinished } from 'vitest';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../scripts/lib/pg-cluster';

/**
 * A database of its own for the calling spec on the run's PostgreSQL server (pg-global-setup.ts),
 * dropped when the test ends (pass `keep` to drop it yourself, e.g. in afterAll).
 */
export async function freshPostgresDatabase(keep = false): Promise<{ url: string; drop: () => Promise<void> }> {
	const admin = inject('postgresAdminUrl');
	const name = uniqueDatabaseName();
	const url = await createDatabase(admin, name);
	const drop = () => dropDatabase(admin, name);
	if (!keep) onTestFinished(drop);
	return { url, drop };
}
