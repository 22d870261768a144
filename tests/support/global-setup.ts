import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, waitForHealth } from '../../scripts/lib/server.js';

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
		databasePath: string;
	}
}

let server: ChildProcess | null = null;
let serverLog = '';
let dir: string | null = null;

export async function setup(project: TestProject): Promise<void> {
	if (!existsSync('build/index.js')) throw new Error('build/ is missing: run `npm run build` first (npm test does).');
	dir = mkdtempSync(join(tmpdir(), 'stemme-browser-'));
	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;
	const databasePath = join(dir, 'stemme.db');
	let log = '';
	server = spawn(process.execPath, ['build/index.js'], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: baseURL, DATABASE_URL: databasePath, STEMME_DEMO: 'on' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	server.stdout?.on('data', (d) => (log += d));
	server.stderr?.on('data', (d) => (log += d));
	const keep = (): void => void (serverLog = log);
	server.stdout?.on('data', keep);
	server.stderr?.on('data', keep);
	await waitForHealth(baseURL, { child: server, output: () => log });
	project.provide('baseURL', baseURL);
	project.provide('databasePath', databasePath);
}

export async function teardown(): Promise<void> {
	server?.kill('SIGTERM');
	// The server's own output, for reading after a failed run.
	mkdirSync('test-results', { recursive: true });
	writeFileSync('test-results/server.log', serverLog);
	if (dir !== null) rmSync(dir, { recursive: true, force: true });
}
