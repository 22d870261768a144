import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { freePort, startServer, waitForHealth } from '../scripts/lib/server.js';
import { openDatabase } from '../src/lib/server/db/open';
import { seedDemoClinic } from '../src/lib/server/demo/seed';
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
			// The password is this database's own (no longer the published 'stemme-demo'), and the
			// sign-in page on loopback shows it.
			const password = /Stemme demo sign-ins \(password "([^"]+)"\)/.exec(first.output())![1]!;
			expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
			expect(await (await fetch(`http://127.0.0.1:${port}/login`)).text()).toContain(password);
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
				body: new URLSearchParams({ username: 'kari', password })
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
				body: new URLSearchParams({ username: 'kari', password })
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
			// The same password at every start of the same database.
			expect(second.output()).toContain(`password "${password}"`);
			await second.stop();
			expect(second.output()).not.toContain('created the demo clinic');
			expect(count()).toEqual(before);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 240_000);
});

describe('demo accounts on a server opened to the network', () => {
	it('refuses to start beyond loopback on a database with demo accounts, saying why, unless STEMME_DEMO=on', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-demo-net-'));
		const databasePath = join(dir, 'stemme.db');
		try {
			const seeding = openDatabase(databasePath);
			await seedDemoClinic(seeding, new Date());
			seeding.$client.close();
			const run = (env: Record<string, string>, ms: number) =>
				new Promise<{ code: number | null; output: string }>((resolve) => {
					const child = spawn(process.execPath, ['build/index.js'], { env: { ...process.env, PORT: '0', DATABASE_URL: databasePath, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
					let output = '';
					child.stdout.on('data', (d) => (output += d));
					child.stderr.on('data', (d) => (output += d));
					const timer = setTimeout(() => child.kill('SIGTERM'), ms);
					child.on('exit', (code) => (clearTimeout(timer), resolve({ code, output })));
				});
			for (const demo of [{}, { STEMME_DEMO: 'off' }] as Record<string, string>[]) {
				const refused = await run({ HOST: '0.0.0.0', ...demo }, 20_000);
				expect(refused.code).toBe(1);
				expect(refused.output).toContain('refusing to start. HOST=0.0.0.0 opens the server to the network, and this database still has demo accounts');
				expect(refused.output).toContain('STEMME_DEMO=on');
				expect(refused.output).not.toContain('Listening on');
			}
			const onPurpose = await run({ HOST: '0.0.0.0', STEMME_DEMO: 'on' }, 6_000);
			expect(onPurpose.output).toContain('Listening on');
			expect(onPurpose.output).toMatch(/Stemme demo sign-ins \(password "[a-z2-9-]{19}"\)/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});

describe('npm run setup', () => {
	it('creates the organisation and the first admin from a piped password; the server then prints no setup link and the admin signs in', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-setup-cli-'));
		const databasePath = join(dir, 'stemme.db');
		const password = 'en lang passfrase fra terminalen';
		const setup = (args: string[], input: string) =>
			new Promise<{ code: number | null; output: string }>((resolve) => {
				const child = spawn('npm', ['run', '--silent', 'setup', '--', ...args], { env: { ...process.env, DATABASE_URL: databasePath }, stdio: ['pipe', 'pipe', 'pipe'] });
				let output = '';
				child.stdout.on('data', (d) => (output += d));
				child.stderr.on('data', (d) => (output += d));
				child.stdin.end(input);
				child.on('exit', (code) => resolve({ code, output }));
			});
		try {
			const weak = await setup(['--org', 'Klinikk Nord', '--admin', 'ada'], 'kort\n');
			expect(weak.code).toBe(1);
			expect(weak.output).toContain('minst 12 tegn');
			expect(weak.output).toContain('Nothing was stored');
			const made = await setup(['--org', 'Klinikk Nord', '--admin', 'ada', '--name', 'Ada Admin'], `${password}\n`);
			expect([made.code, made.output]).toEqual([0, expect.stringContaining('created "Klinikk Nord" and its administrator ada')]);
			const again = await setup(['--org', 'Andre', '--admin', 'eve'], `${password}\n`);
			expect(again.code).toBe(1);
			expect(again.output).toContain('already has an organisation');

			const server = await startServer({ databasePath, env: { STEMME_DEMO: 'off' } });
			try {
				await until(() => server.output().includes('Listening on'), 10_000);
				expect(server.output()).not.toContain('/setup?token=');
				const signIn = await fetch(`${server.url}/login`, {
					method: 'POST',
					redirect: 'manual',
					headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ username: 'ada', password })
				});
				expect(signIn.status).toBe(303);
			} finally {
				await server.stop();
			}
			const db = new Database(databasePath, { readonly: true });
			try {
				expect(db.prepare('SELECT o.name AS org, u.username, u.role FROM users u JOIN organisations o ON o.id = u.organisation_id').all()).toEqual([
					{ org: 'Klinikk Nord', username: 'ada', role: 'admin' }
				]);
				expect(db.prepare("SELECT detail FROM audit_events WHERE action = 'setup_completed'").all()).toEqual([{ detail: expect.stringContaining('(command line)') }]);
			} finally {
				db.close();
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 120_000);
});
