import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { freePort, waitForHealth } from '../scripts/lib/server.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts the built server and collects what it prints until it exits or `ms` pass. */
function start(env: Record<string, string>, ms: number): Promise<{ code: number | null; output: string }> {
	const dir = mkdtempSync(join(tmpdir(), 'stemme-start-'));
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['build/index.js'], {
			env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'stemme.db'), STEMME_DEMO: 'off', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const timer = setTimeout(() => child.kill('SIGTERM'), ms);
		child.on('exit', (code) => {
			clearTimeout(timer);
			rmSync(dir, { recursive: true, force: true });
			resolve({ code, output });
		});
	});
}

describe('instrument packs at start', () => {
	it('refuses to start on a broken pack, naming the file and the field, and loads nothing', async () => {
		const { code, output } = await start({ STEMME_INSTRUMENT_PACKS: 'tests/fixtures/packs/broken' }, 15_000);
		expect(code).not.toBe(0);
		expect(output).toContain('Instrument packs refused; nothing was loaded');
		expect(output).toMatch(/b-bad-fields\.json/);
		expect(output).toMatch(/c-not-json\.json/);
		expect(output).toContain('items[2].label.nb is missing');
		expect(output).not.toContain('Listening on');
	});

	it('starts with a good licensed pack', async () => {
		const { output } = await start({ STEMME_INSTRUMENT_PACKS: 'tests/fixtures/packs/sample-licensed' }, 4_000);
		expect(output).toContain('Listening on');
		expect(output).not.toContain('refused');
	});
});

/** `npm start` as a newcomer runs it: scripts/start.js with none of the settings given. */
async function npmStart(port: number, databasePath: string): Promise<{ child: ChildProcess; output: () => string; stop: () => Promise<void> }> {
	const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATABASE_URL: databasePath };
	for (const name of ['HOST', 'ORIGIN', 'STEMME_DEMO', 'BODY_SIZE_LIMIT']) delete env[name];
	const child = spawn(process.execPath, ['scripts/start.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const output = () => log;
	await waitForHealth(`http://127.0.0.1:${port}`, { child, output, timeoutMs: 90_000 });
	return { child, output, stop: () => (child.kill('SIGTERM'), exited) };
}

async function until(ok: () => boolean, ms: number): Promise<void> {
	const deadline = Date.now() + ms;
	while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

describe('npm start on a fresh clone', () => {
	it('creates the database under a new folder, seeds the demo clinic, prints the sign-ins, takes form posts on localhost, and keeps the data on a second start', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-npm-start-'));
		const databasePath = join(dir, 'data', 'stemme.db');
		try {
			const port = await freePort();
			const first = await npmStart(port, databasePath);
			await until(() => first.output().includes('demo sign-ins'), 30_000);
			expect(first.output()).toContain('Stemme: created the demo clinic');
			expect(first.output()).toMatch(/Stemme demo sign-ins \(password "[^"]+"\): .*ola \(clinician\)/);
			expect(first.output()).toContain(`serving on http://localhost:${port}`);
			expect(existsSync(databasePath)).toBe(true);
			const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
			await expect((await fetch(`http://127.0.0.1:${port}/health`)).json()).resolves.toEqual({ app: 'stemme', version, database: 'ok' });

			// The default ORIGIN lets a browser on http://localhost sign in (adapter-node refuses
			// form posts from any other origin). The session cookie: httpOnly, Lax, not Secure on http.
			const signIn = await fetch(`http://127.0.0.1:${port}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { origin: `http://localhost:${port}`, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ username: 'kari', password: 'stemme-demo' })
			});
			expect(signIn.status).toBe(303);
			const cookie = signIn.headers.get('set-cookie') ?? '';
			expect(cookie).toMatch(/HttpOnly/i);
			expect(cookie).toMatch(/SameSite=Lax/i);
			expect(cookie).not.toMatch(/Secure/i);
			// SvelteKit's origin check: the same post from another site is refused.
			const crossSite = await fetch(`http://127.0.0.1:${port}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { origin: 'https://elsewhere.example', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ username: 'kari', password: 'stemme-demo' })
			});
			expect(crossSite.status).toBe(403);
			await first.stop();

			const count = () => {
				const db = new Database(databasePath, { readonly: true });
				try {
					const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
					return { patients: one('select count(*) n from patients'), ratings: one('select count(*) n from ratings'), signIns: one("select count(*) n from audit_events where action = 'signed_in'") };
				} finally {
					db.close();
				}
			};
			const before = count();
			expect(before.patients).toBe(40);
			expect(before.signIns).toBe(1); // the cross-site post signed no one in

			const second = await npmStart(port, databasePath);
			await until(() => second.output().includes('demo sign-ins'), 30_000);
			await second.stop();
			expect(second.output()).not.toContain('created the demo clinic');
			expect(count()).toEqual(before);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 240_000);
});
