import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
		databasePath: string;
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

async function waitForHealth(url: string, server: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${output()}`);
		try {
			const res = await fetch(`${url}/health`);
			if (res.status === 200) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`server did not become healthy in 30 s:\n${output()}`);
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
	await waitForHealth(baseURL, server, () => log);
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
