import { mkdtempSync, rmSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer, type StartedServer } from '../../scripts/lib/server.js';

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
		databasePath: string;
	}
}

let server: StartedServer | null = null;
let dir: string | null = null;

export async function setup(project: TestProject): Promise<void> {
	if (!existsSync('build/index.js')) throw new Error('build/ is missing: run `npm run build` first (npm test does).');
	dir = mkdtempSync(join(tmpdir(), 'stemme-browser-'));
	const databasePath = join(dir, 'stemme.db');
	server = await startServer({ databasePath, env: { STEMME_DEMO: 'on' } });
	project.provide('baseURL', server.url);
	project.provide('databasePath', databasePath);
}

export async function teardown(): Promise<void> {
	await server?.stop();
	// The server's own output, for reading after a failed run.
	mkdirSync('test-results', { recursive: true });
	writeFileSync('test-results/server.log', server?.output() ?? '');
	if (dir !== null) rmSync(dir, { recursive: true, force: true });
}
