import type { TestProject } from 'vitest/node';
import { testServer, type PgServer } from '../../scripts/lib/pg-cluster';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The PostgreSQL server of the run (its maintenance database): each spec makes its own database on it. */
		postgresAdminUrl: string;
	}
}

let server: PgServer | null = null;

/** One throwaway PostgreSQL cluster for the run's PostgreSQL specs, or TEST_DATABASE_URL when given. */
export async function setup(project: TestProject): Promise<void> {
	const started = performance.now();
	server = await testServer();
	if (server.dir !== null) {
		const { initdb, start } = server.timings;
		console.log(`PostgreSQL test cluster: initdb ${initdb.toFixed(0)} ms, start ${start.toFixed(0)} ms, ready in ${(performance.now() - started).toFixed(0)} ms`);
	}
	project.provide('postgresAdminUrl', server.adminUrl);
}

export async function teardown(): Promise<void> {
	await server?.stop();
}
