// A throwaway PostgreSQL cluster for tests and scripts: initdb in a temporary folder, started with
// pg_ctl on a free loopback port (its socket in the same folder), one database created, its URL
// given back; stopped and removed at the end. With TEST_DATABASE_URL set, that server is used
// instead and nothing is started. Run directly, it starts one, prints its URL and keeps it until
// Ctrl-C: `node --import tsx scripts/lib/pg-cluster.ts`.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { freePort } from './server.js';

export interface PgServer {
	/** A database of its own for the caller (`database` of the options), as a postgres:// URL. */
	url: string;
	/** The same server's maintenance database, for creating and dropping databases. */
	adminUrl: string;
	/** The cluster's folder; null for a server given by TEST_DATABASE_URL. */
	dir: string | null;
	/** Milliseconds taken by initdb, by the start and by creating the database (zeros for a given server). */
	timings: { initdb: number; start: number; createDatabase: number };
	/** Stops the cluster and removes its folder (a given server is left running). */
	stop(): Promise<void>;
}

export interface ClusterOptions {
	/** The database created for the caller (default 'stemme'). */
	database?: string;
	/**
	 * Server settings beyond the test defaults. The defaults give up durability for speed (fsync,
	 * full-page writes and synchronous commit off): a test that kills or fails over the server
	 * passes `{ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' }`.
	 */
	settings?: Record<string, string>;
}

const SUPERUSER = 'postgres';

/** Settings of a cluster nobody keeps: a lost commit on a crash of the machine does not matter. */
const TEST_SETTINGS: Record<string, string> = {
	fsync: 'off',
	full_page_writes: 'off',
	synchronous_commit: 'off',
	max_connections: '200',
	shared_buffers: '32MB',
	// Errors only in the log: it is read after a failed start.
	log_min_messages: 'warning'
};

/** The folder of initdb and pg_ctl: STEMME_PG_BIN, else on PATH, else the newest Debian install. */
export function postgresBinDir(): string {
	if (process.env.STEMME_PG_BIN) return process.env.STEMME_PG_BIN;
	const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
	if (found !== '') return execFileSync('dirname', [execFileSync('readlink', ['-f', found], { encoding: 'utf8' }).trim()], { encoding: 'utf8' }).trim();
	const debian = '/usr/lib/postgresql';
	const versions = existsSync(debian) ? readdirSync(debian).filter((v) => existsSync(join(debian, v, 'bin', 'initdb'))) : [];
	const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
	if (newest === undefined) throw new Error('PostgreSQL is not installed (no initdb on PATH nor under /usr/lib/postgresql); install the Debian package `postgresql`, or set TEST_DATABASE_URL');
	return join(debian, newest, 'bin');
}

/**
 * initdb refuses to run as root, and the server must run as the owner of its folder: as root the
 * cluster belongs to the `postgres` user the Debian package creates, and its commands run as that
 * user (runuser); as anyone else, as that user.
 */
function clusterOwner(): { uid: number; gid: number; run: (cmd: string, args: string[]) => string[] } | null {
	if (process.getuid?.() !== 0) return null;
	const id = (flag: string) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
	let uid: number;
	try {
		uid = id('-u');
	} catch {
		throw new Error(`running as root, and there is no '${SUPERUSER}' user to own the test cluster (initdb refuses root)`);
	}
	return { uid, gid: id('-g'), run: (cmd, args) => ['runuser', '-u', SUPERUSER, '--', cmd, ...args] };
}

function run(argv: string[], what: string): void {
	const [cmd, ...args] = argv as [string, ...string[]];
	const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: tmpdir() });
	if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}): ${r.error?.message ?? ''}${r.stderr}${r.stdout}`);
}

/** Creates a database on the server of `adminUrl` and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
	} finally {
		await client.end();
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/** Drops a database made by createDatabase (connections still open to it are ended). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
	} finally {
		await client.end();
	}
}

/** A database name no other test run uses: `prefix` and random letters. */
export function uniqueDatabaseName(prefix = 'stemme_test'): string {
	return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Starts a throwaway cluster (see the file's head). Rejects with the server's log when it does not start. */
export async function startCluster(options: ClusterOptions = {}): Promise<PgServer> {
	const bin = postgresBinDir();
	const owner = clusterOwner();
	const as = (cmd: string, args: string[]) => (owner === null ? [cmd, ...args] : owner.run(cmd, args));
	const dir = mkdtempSync(join(tmpdir(), 'stemme-pg-'));
	const data = join(dir, 'data');
	const log = join(dir, 'server.log');
	const password = randomBytes(18).toString('base64url');
	const passwordFile = join(dir, 'password');
	writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
	if (owner !== null) {
		chmodSync(dir, 0o700);
		chownSync(dir, owner.uid, owner.gid);
		chownSync(passwordFile, owner.uid, owner.gid);
	}
	const pgCtl = (args: string[]) => as(join(bin, 'pg_ctl'), ['-D', data, ...args]);
	let started = false;
	const stopNow = () => {
		if (started) {
			const [cmd, ...args] = pgCtl(['-m', 'immediate', '-w', 'stop']) as [string, ...string[]];
			spawnSync(cmd, args, { cwd: tmpdir() });
		}
		started = false;
		rmSync(dir, { recursive: true, force: true });
	};
	// A run that ends without stop() (an error, Ctrl-C) still takes its cluster with it.
	process.once('exit', stopNow);
	try {
		let t = performance.now();
		// The C collation sorts text byte by byte, as SQLite's BINARY does.
		run(
			as(join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--pwfile', passwordFile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']),
			'initdb'
		);
		rmSync(passwordFile);
		const initdb = performance.now() - t;
		t = performance.now();
		let port = 0;
		for (let attempt = 1; ; attempt++) {
			port = await freePort();
			const settings = { ...TEST_SETTINGS, ...options.settings, port: String(port), listen_addresses: "'127.0.0.1'", unix_socket_directories: `'${dir}'` };
			appendFileSync(
				join(data, 'postgresql.conf'),
				Object.entries(settings)
					.map(([k, v]) => `${k} = ${v}\n`)
					.join('')
			);
			try {
				run(pgCtl(['-l', log, '-w', '-t', '60', 'start']), 'pg_ctl start');
				started = true;
				break;
			} catch (e) {
				// Another process took the port between freePort() and the start: try another.
				const output = existsSync(log) ? readFileSync(log, 'utf8') : '';
				if (attempt < 3 && /could not bind|address already in use/i.test(output)) continue;
				throw new Error(`${(e as Error).message}\n${output}`, { cause: e });
			}
		}
		const start = performance.now() - t;
		const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
		t = performance.now();
		const url = await createDatabase(adminUrl, options.database ?? 'stemme');
		const createDb = performance.now() - t;
		return {
			url,
			adminUrl,
			dir,
			timings: { initdb, start, createDatabase: createDb },
			async stop() {
				process.removeListener('exit', stopNow);
				if (started) run(pgCtl(['-m', 'fast', '-w', 'stop']), 'pg_ctl stop');
				started = false;
				rmSync(dir, { recursive: true, force: true });
			}
		};
	} catch (e) {
		process.removeListener('exit', stopNow);
		stopNow();
		throw e;
	}
}

/**
 * The server the tests use: TEST_DATABASE_URL when given (its role must be allowed to create
 * databases; each spec makes its own), else a throwaway cluster.
 */
export async function testServer(options: ClusterOptions = {}): Promise<PgServer> {
	const given = process.env.TEST_DATABASE_URL;
	if (given === undefined || given === '') return startCluster(options);
	return { url: given, adminUrl: given, dir: null, timings: { initdb: 0, start: 0, createDatabase: 0 }, stop: async () => {} };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const server = await startCluster();
	const { initdb, start, createDatabase: create } = server.timings;
	console.log(
		`PostgreSQL test cluster in ${server.dir}\n  initdb ${initdb.toFixed(0)} ms, start ${start.toFixed(0)} ms, database ${create.toFixed(0)} ms\n  ${server.url}\nCtrl-C stops and removes it.`
	);
	const end = () => void server.stop().then(() => process.exit(0));
	process.once('SIGINT', end);
	process.once('SIGTERM', end);
	setInterval(() => {}, 1 << 30);
}
