// Starting the built server on loopback for scripts and tests: a free port, and waiting until
// /health answers. Shared by the perf scripts and the browser tests' global setup.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import Database from 'better-sqlite3';

/** The demo password of a database seeded with the demo clinic (random per database). */
export function demoPasswordOf(databasePath) {
	const db = new Database(databasePath, { readonly: true, fileMustExist: true });
	try {
		const row = db.prepare('SELECT password FROM demo_credentials WHERE id = 1').get();
		if (row === undefined) throw new Error(`${databasePath} has no demo password`);
		return row.password;
	} finally {
		db.close();
	}
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/**
 * Resolves when `${url}/health` answers 200; rejects after `timeoutMs`, or at once when `child`
 * exits, with `output()` (what the server printed) in the message. `anyAnswer`: any status will
 * do (a server started on a database it cannot use answers 503).
 */
export async function waitForHealth(url, { child = null, output = () => '', timeoutMs = 30_000, anyAnswer = false } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child !== null && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
		try {
			const status = (await fetch(`${url}/health`)).status;
			if (status === 200 || anyAnswer) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`server did not become healthy in ${timeoutMs / 1000} s:\n${output()}`);
}

/**
 * Starts the built server (build/index.js) on 127.0.0.1 at a free port with the given database
 * and resolves once /health answers. `env` adds to or overrides the defaults (STEMME_DEMO=off);
 * `nodeOptions` go before the script (for example `--import` of a test's fault switch); `entry`
 * is the script, build/index.js unless told (the load run's scripts/load/ceiling-server.js).
 * `uid`/`gid` run it as another user (a root test making a file read-only for real);
 * `anyAnswer` resolves at the first answer of /health, healthy or not; `port` is one chosen beforehand.
 * `stop(signal)` resolves when the process has exited.
 */
export async function startServer({ databasePath, env = {}, nodeOptions = [], entry = 'build/index.js', timeoutMs = 30_000, uid, gid, anyAnswer = false, port: fixedPort }) {
	const port = fixedPort ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	let log = '';
	const child = spawn(process.execPath, [...nodeOptions, entry], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, DATABASE_URL: databasePath, STEMME_DEMO: 'off', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		...(uid === undefined ? {} : { uid, gid })
	});
	child.stdout.on('data', (d) => (log += d));
	child.stderr.on('data', (d) => (log += d));
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const stop = (signal = 'SIGTERM') => {
		if (child.exitCode === null && child.signalCode === null) child.kill(signal);
		return exited;
	};
	try {
		await waitForHealth(url, { child, output: () => log, timeoutMs, anyAnswer });
	} catch (e) {
		await stop('SIGKILL');
		throw e;
	}
	return { url, port, child, output: () => log, stop, exited };
}
