import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESSION_COOKIE } from '../src/lib/server/auth/session';
import { launchBrowser } from './support/browser';
import { startServer, type StartedServer } from '../scripts/lib/server.js';
import { startDriver, type RunningDriver } from '../scripts/load/run-driver';
import { replay } from '../scripts/load/replay';
import { checkStored, integrityCheck } from '../scripts/load/verify';
import { staffCookie, submission, tabletCookie } from '../scripts/load/plan';
import { faultCapacity, faultDatabase, loadTotal, loadUnderway, printLoad, sends, sleep, tabletPlan } from './support/load-run';
import { previousVersionDatabase } from './support/fixtures';

/**
 * Faults: the built server under tablet load from the load generator (a second process), with
 * the fault done to it for real where the machine allows. The database file is read directly
 * afterwards: every rating the server acknowledged must be there once. The load is bounded by
 * counts as well as by time: a fault comes once a number of ratings has landed (or every tablet
 * has sent all it can), never after a fixed sleep, and a rating sent after the load is one of the
 * tablets' reserved slots, so a fast and a slow machine give the same verdict
 * (STEMME_FAULT_CAPACITY in tests/support/load-run.ts runs them with few or many ratings a tablet).
 */
/** The longest a load-driven fault test may take on a slow, busy machine. */
const LOAD_TEST_MS = 180_000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(databasePath: string, options: { nodeOptions?: string[] } = {}): Promise<StartedServer> {
	const server = await startServer({ databasePath, ...options });
	cleanups.push(() => server.stop('SIGKILL'));
	return server;
}

/** The load generator on `plan`, stopped (and its results written) before the test's folders go. */
function drive(plan: Parameters<typeof startDriver>[0], dir: string): RunningDriver {
	const driver = startDriver(plan, dir);
	cleanups.push(() => {
		driver.stop();
		return driver.done.catch(() => undefined);
	});
	return driver;
}

/** Ratings stored before the server is killed. */
const KILL_AFTER_ROWS = 100;

describe('the server is killed in the middle of a load run', () => {
	it('opens cleanly afterwards, keeps every acknowledged rating, and the retries land exactly once', { timeout: LOAD_TEST_MS }, async () => {
		const db = await faultDatabase({ tablets: 40, capacity: faultCapacity(400) });
		cleanups.push(db.remove);
		const first = await serve(db.databasePath);
		const plan = tabletPlan(first.url, db.prepared, 60);
		const driver = drive(plan, db.dir);
		// Killed once 100 ratings have landed, or once the tablets have sent all they can.
		const landed = await loadUnderway(db.databasePath, { rows: KILL_AFTER_ROWS, driver });
		expect((await first.stop('SIGKILL')).signal).toBe('SIGKILL');
		driver.stop();
		const result = await driver.done;
		const { statuses } = result;
		printLoad('killed', db.prepared, result, { 'stored when killed': landed });

		expect(integrityCheck(db.databasePath)).toBe('ok');
		const afterKill = checkStored(db.databasePath, plan, statuses);
		expect(afterKill.rows).toBeGreaterThanOrEqual(Math.min(KILL_AFTER_ROWS, loadTotal(db.prepared)));
		expect(afterKill.acknowledged).toBeGreaterThan(0);
		expect(afterKill.missing).toEqual([]);
		expect(afterKill.duplicated).toEqual([]);
		expect(afterKill.strays).toEqual([]);

		// The tablets send everything again, acknowledged or not, as their outboxes would.
		const second = await serve(db.databasePath);
		const { all } = sends(statuses);
		const stored = afterKill.acknowledgedStoredOnce + afterKill.storedUnacknowledged;
		const answers = await replay({ ...plan, url: second.url }, all);
		// Already stored: 200 "already_stored"; lost with the server (never committed): 201 "stored" now.
		expect(answers).toEqual({ 200: stored, ...(all.length > stored ? { 201: all.length - stored } : {}) });
		await second.stop();
		const final = checkStored(
			db.databasePath,
			plan,
			statuses.map((list) => list.map(() => 201))
		);
		expect(final.acknowledgedStoredOnce).toBe(all.length);
		expect(final.rows).toBe(all.length);
		expect(integrityCheck(db.databasePath)).toBe('ok');
	});
});

/** Waits until the server has printed `text` (the fault switch says when it has switched). */
async function printed(server: StartedServer, text: string, times = 1): Promise<void> {
	for (let i = 0; i < 100; i++) {
		if (server.output().split(text).length - 1 >= times) return;
		await sleep(50);
	}
	throw new Error(`the server never printed "${text}":\n${server.output()}`);
}

/** What a clinician gets for the patient list: status and page text. */
async function patientList(url: string, token: string): Promise<{ status: number; text: string }> {
	const response = await fetch(`${url}/patients`, { headers: { cookie: staffCookie(token) } });
	return { status: response.status, text: await response.text() };
}

describe('the database turns read-only under the running server', () => {
	it('answers 503 with a clear message, keeps nothing half-stored, and takes the answers once it can write again', async () => {
		const db = await faultDatabase({ tablets: 10, capacity: 20 });
		cleanups.push(db.remove);
		const server = await serve(db.databasePath, { nodeOptions: ['--import', './tests/support/sqlite-faults.js'] });
		const plan = { ...tabletPlan(server.url, db.prepared, 1), runTag: 'readonly' };
		const before = Array.from({ length: 10 }, (_, tablet) => ({ tablet, index: 0 }));
		expect(await replay(plan, before)).toEqual({ 201: 10 });

		server.child.kill('SIGUSR2');
		await printed(server, 'sqlite-faults: read-only on');
		const during = Array.from({ length: 10 }, (_, tablet) => ({ tablet, index: 1 }));
		expect(await replay(plan, during)).toEqual({ 503: 10 });
		const response = await fetch(`${server.url}/rate/submit`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url, cookie: tabletCookie(plan, 0, 2) },
			body: JSON.stringify(submission(plan, 0, 2))
		});
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('10');
		expect(await response.json()).toEqual({ ok: false, reason: 'storage_unavailable' });
		const page = await patientList(server.url, db.prepared.staff[0]!.token);
		expect(page.status).toBe(503);
		expect(page.text).toContain('Stemme kan ikke lagre akkurat nå');
		expect(page.text).toContain('disken kan være full eller skrivebeskyttet');
		expect(page.text).not.toMatch(/SqliteError|at .*\.js:\d+/);
		// The log says what happened in one line, without a stack.
		expect(server.output()).toMatch(/the database cannot be written \(SQLITE_READONLY\); GET \/patients answered 503/);

		server.child.kill('SIGUSR2');
		await printed(server, 'sqlite-faults: read-only off');
		expect(await replay(plan, during)).toEqual({ 201: 10 });
		expect((await patientList(server.url, db.prepared.staff[0]!.token)).status).toBe(200);
		await server.stop();
		const stored = checkStored(
			db.databasePath,
			plan,
			plan.tablets.map((_, t) => (t === 0 ? [201, 201, 0] : [201, 201]))
		);
		expect(stored).toMatchObject({ acknowledgedStoredOnce: 20, missing: [], duplicated: [], strays: [], rows: 20 });
		expect(integrityCheck(db.databasePath)).toBe('ok');
	});
});

describe('the tablet while the database cannot be written', () => {
	it('keeps the answers on the tablet and sends them once the database takes them again', async () => {
		const db = await faultDatabase({ tablets: 1, capacity: 2 });
		cleanups.push(db.remove);
		const server = await serve(db.databasePath, { nodeOptions: ['--import', './tests/support/sqlite-faults.js'] });
		const tablet = db.prepared.tablets[0]!;
		const browser = await launchBrowser();
		cleanups.push(() => browser.close());
		const context = await browser.newContext({ baseURL: server.url, locale: 'nb-NO', viewport: { width: 820, height: 1180 } });
		context.setDefaultTimeout(10_000);
		// The tablet as its clinician handed it over: their session, in patient mode for the first handoff.
		await context.addCookies([{ name: SESSION_COOKIE, value: tablet.token, url: server.url }]);
		const page = await context.newPage();
		await page.goto('/rate');
		await page.locator('main[data-ready]').waitFor();
		for (const slider of await page.getByRole('slider').all()) await slider.click();
		const ratings = (): number => {
			const file = new Database(db.databasePath, { readonly: true });
			const n = (file.prepare('SELECT count(*) AS n FROM ratings WHERE appointment_id = ?').get(tablet.firstAppointmentId) as { n: number }).n;
			file.close();
			return n;
		};
		const kept = (): Promise<number> => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('stemme:pending:')).length);

		server.child.kill('SIGUSR2');
		await printed(server, 'sqlite-faults: read-only on');
		// The server answered, but cannot store: the tablet says so, not that the network is down.
		await page.getByRole('button', { name: 'Send svarene' }).click();
		await page.getByText('Lagret på dette nettbrettet – sendes så snart Stemme kan ta imot svarene igjen.').waitFor();
		expect(await kept()).toBe(1);
		expect(ratings()).toBe(0);

		server.child.kill('SIGUSR2');
		await printed(server, 'sqlite-faults: read-only off');
		// The page sends what it kept every 3 s.
		await page.getByText('Lagret.', { exact: true }).waitFor();
		expect(await kept()).toBe(0);
		expect(ratings()).toBe(1);
	});
});

describe('the disk is full', () => {
	it('answers 503 while it is, loses nothing acknowledged, and takes the retries once there is room', { timeout: LOAD_TEST_MS }, async ({ skip }) => {
		const mount = tmpfs('32m');
		if (mount === null) skip('mounting a tmpfs needs root (CAP_SYS_ADMIN); this test fills a real disk');
		cleanups.push(mount!.unmount);
		const db = await faultDatabase({ tablets: 20, capacity: faultCapacity(400), reserve: 1, dir: mount!.dir });
		const server = await serve(db.databasePath);
		const plan = tabletPlan(server.url, db.prepared, 60);
		// The load generator's files go elsewhere: this disk is about to be full.
		const scratch = mkdtempSync(join(tmpdir(), 'stemme-driver-'));
		cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
		const driver = drive(plan, scratch);
		// Ratings must be landing before the disk fills: twice as many as the tablets have in flight
		// (so some are acknowledged), or all the load has, however long the machine takes.
		const landed = await loadUnderway(db.databasePath, { rows: 2 * plan.tablets.length, driver });
		// SQLite writes into the WAL file's existing pages once a checkpoint lets it start over, so
		// with the disk full some writes still succeed, at times that depend on the checkpoints. A
		// reader holding its snapshot keeps the WAL from starting over: from here every write needs
		// new space on the disk, as it does once the WAL has grown past what was checkpointed.
		const reader = new Database(db.databasePath, { readonly: true });
		// Closed before the tmpfs is unmounted, whatever happens (an open file keeps it busy).
		cleanups.push(() => reader.open && reader.close());
		reader.prepare('BEGIN').run();
		reader.prepare('SELECT count(*) FROM ratings').get();
		const filler = fill(join(mount!.dir, 'filler'));
		// While it is full, every tablet sends its reserved rating (the load may have sent all of
		// its own by now): they are refused, 503. One may still fit in the WAL file's last page
		// (measured: 1 of 20 once), so 201 is allowed too. The load goes on meanwhile, and stops after.
		const reserved = plan.tablets.map((_, tablet) => ({ tablet, index: db.reserved(0) }));
		const whileFull = await replay(plan, reserved);
		expect(whileFull[503]).toBeGreaterThan(0);
		expect(Object.keys(whileFull).filter((status) => status !== '201' && status !== '503')).toEqual([]);
		const page = await patientList(server.url, db.prepared.staff[0]!.token);
		driver.stop();
		const result = await driver.done;
		const { statuses } = result;
		printLoad('disk full', db.prepared, result, { 'stored before the disk filled': landed });
		reader.prepare('COMMIT').run();
		reader.close();
		const codes = new Set(statuses.flat());
		expect(codes.has(201)).toBe(true);
		expect([...codes].filter((c) => ![0, 201, 503].includes(c))).toEqual([]);
		expect(page.status).toBe(503);
		expect(page.text).toContain('Stemme kan ikke lagre akkurat nå');
		expect(server.output()).toMatch(/the database cannot be written \(SQLITE_FULL\)/);
		const afterFull = checkStored(db.databasePath, plan, statuses);
		expect(afterFull.missing).toEqual([]);

		rmSync(filler);
		const { all, acknowledged } = sends(statuses);
		const retried = [...all.filter((s) => !acknowledged.includes(s)), ...reserved];
		const answers = await replay(plan, retried);
		expect(Object.keys(answers).filter((status) => status !== '200' && status !== '201')).toEqual([]);
		await server.stop();
		// Every slot sent, the load's and the reserved ones, stored once.
		const everySent = statuses.map((list) => list.map(() => 201));
		for (const { tablet, index } of reserved) everySent[tablet]![index] = 201;
		const final = checkStored(db.databasePath, plan, everySent);
		const sent = all.length + reserved.length;
		expect(final).toMatchObject({ acknowledgedStoredOnce: sent, missing: [], duplicated: [], strays: [], rows: sent });
		expect(integrityCheck(db.databasePath)).toBe('ok');
	});
});

/**
 * Started on a file the server's user may read but not write, as when the file belongs to
 * another user. Root writes any file whatever its mode, so as root the server runs as nobody.
 */
async function serveReadOnly(databasePath: string, dir: string): Promise<StartedServer> {
	chmodSync(dir, 0o777);
	chmodSync(databasePath, 0o444);
	const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
	const server = await startServer({ databasePath, anyAnswer: true, env: { STEMME_STORAGE_RETRY_SECONDS: '1' }, ...asNobody });
	cleanups.push(() => server.stop('SIGKILL'));
	return server;
}

describe('the server is started on a database it cannot write', () => {
	it('with no migration pending: starts, reads, answers every write 503, and /health says read-only', async () => {
		const db = await faultDatabase({ tablets: 2, capacity: 2 });
		cleanups.push(db.remove);
		const server = await serveReadOnly(db.databasePath, db.dir);
		const health = await fetch(`${server.url}/health`);
		expect(health.status).toBe(503);
		expect(await health.json()).toMatchObject({ database: 'read-only', problem: 'SQLITE_READONLY' });
		expect(server.output()).toContain('the database cannot be written (SQLITE_READONLY); serving it read-only');
		const plan = { ...tabletPlan(server.url, db.prepared, 1), runTag: 'readonly-start' };
		expect(
			await replay(plan, [
				{ tablet: 0, index: 0 },
				{ tablet: 1, index: 0 }
			])
		).toEqual({ 503: 2 });
		// The patient list audits the viewing: a write, so 503 with the page that says why.
		const page = await patientList(server.url, db.prepared.staff[0]!.token);
		expect(page.status).toBe(503);
		expect(page.text).toContain('Stemme kan ikke lagre akkurat nå');
		expect(page.text).not.toMatch(/SqliteError|at .*\.js:\d+/);
		expect((await fetch(`${server.url}/login`)).status).toBe(200);

		// The file can be written again: no restart, the next use after the retry interval opens it.
		writable(db.databasePath);
		await healthy(server.url, server.output);
		expect(server.output()).toContain('the database can be written again');
		expect(
			await replay(plan, [
				{ tablet: 0, index: 0 },
				{ tablet: 1, index: 0 }
			])
		).toEqual({ 201: 2 });
		expect((await patientList(server.url, db.prepared.staff[0]!.token)).status).toBe(200);
		await server.stop();
		expect(integrityCheck(db.databasePath)).toBe('ok');
	});

	it('with a migration pending: starts, answers 503 with the storage page, and /health says why', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-fault-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		const databasePath = join(dir, 'stemme.db');
		// Made by the version before the newest migration.
		copyFileSync(previousVersionDatabase(), databasePath);
		const server = await serveReadOnly(databasePath, dir);
		const health = await fetch(`${server.url}/health`);
		expect(health.status).toBe(503);
		expect(await health.json()).toMatchObject({ database: 'unavailable', problem: 'SQLITE_READONLY' });
		expect(server.output()).toMatch(/migration\(s\) pending and the database cannot be written/);
		const page = await patientList(server.url, 'someone.signed-in');
		expect(page.status).toBe(503);
		expect(page.text).toContain('Stemme kan ikke lagre akkurat nå');
		const submit = await fetch(`${server.url}/rate/submit`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url, cookie: staffCookie('someone.signed-in') },
			body: '{}'
		});
		expect(submit.status).toBe(503);
		expect(await submit.json()).toEqual({ ok: false, reason: 'storage_unavailable' });
		expect(server.child.exitCode).toBeNull();

		// Writable again: the pending migration is applied then, and every page works.
		writable(databasePath);
		await healthy(server.url);
		expect(server.output()).toContain('the database can be written again');
		expect((await fetch(`${server.url}/login`)).status).toBe(200);
		const migrated = new Database(databasePath, { readonly: true });
		try {
			const applied = migrated.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
			expect(applied.n).toBe(readdirSync('drizzle').filter((f) => f.endsWith('.sql')).length);
		} finally {
			migrated.close();
		}
	});
});

/** Makes the database file and its -wal and -shm companions, where there are any, writable for everyone. */
function writable(databasePath: string): void {
	for (const suffix of ['', '-wal', '-shm']) {
		if (existsSync(databasePath + suffix)) chmodSync(databasePath + suffix, 0o666);
	}
}

/** Resolves when /health answers 200 (the database writable), within 10 s. */
async function healthy(url: string, output: () => string = () => ''): Promise<void> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		if ((await fetch(`${url}/health`)).status === 200) return;
		if (Date.now() > deadline) throw new Error(`/health did not answer 200 within 10 s:\n${output()}`);
		await sleep(200);
	}
}

/** A small tmpfs of its own, or null where this machine may not mount one. */
function tmpfs(size: string): { dir: string; unmount(): void } | null {
	const dir = mkdtempSync(join(tmpdir(), 'stemme-full-'));
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'stemme-full', dir]);
	if (mounted.status !== 0) {
		rmSync(dir, { recursive: true, force: true });
		return null;
	}
	return {
		dir,
		unmount: () => {
			spawnSync('umount', [dir]);
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Writes `path` until the disk is full (ENOSPC); returns the path. */
function fill(path: string): string {
	const chunk = Buffer.alloc(1 << 20);
	const fd = openSync(path, 'w');
	try {
		for (;;) writeSync(fd, chunk);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
	} finally {
		closeSync(fd);
	}
	return path;
}

describe('online backup under load, and a restore', () => {
	it('`npm run backup` copies a consistent database while tablets rate, and the app starts on the copy with all of it', { timeout: LOAD_TEST_MS }, async () => {
		const db = await faultDatabase({ tablets: 20, capacity: faultCapacity(400), reserve: 1 });
		cleanups.push(db.remove);
		const server = await serve(db.databasePath);
		const plan = tabletPlan(server.url, db.prepared, 60);
		const driver = drive(plan, db.dir);
		// The backup starts once twice as many ratings have landed as the tablets have in flight
		// (so some were acknowledged before it), or all the load has; the load stops after it.
		const landed = await loadUnderway(db.databasePath, { rows: 2 * plan.tablets.length, driver });
		const backupPath = join(db.dir, 'backup', 'stemme-backup.db');
		const backupStarted = Date.now();
		const backup = spawnSync('npm', ['run', 'backup', '--', backupPath], { env: { ...process.env, DATABASE_URL: db.databasePath }, encoding: 'utf8', timeout: 60_000 });
		driver.stop();
		expect(backup.status, backup.stdout + backup.stderr).toBe(0);
		expect(backup.stdout).toContain('integrity_check: ok');
		const result = await driver.done;
		const { statuses, answeredAt } = result;
		await server.stop();

		// Everything acknowledged before the backup began is in the copy, exactly once.
		const beforeBackup = statuses.map((list, t) => list.map((status, i) => ((answeredAt[t]?.[i] ?? 0) < backupStarted ? status : 0)));
		const inCopy = checkStored(backupPath, plan, beforeBackup);
		printLoad('backup', db.prepared, result, { 'stored when the backup began': landed, 'acknowledged before it': inCopy.acknowledged });
		expect(inCopy.acknowledged).toBeGreaterThan(0);
		expect(inCopy).toMatchObject({ missing: [], duplicated: [], strays: [] });
		expect(checkStored(db.databasePath, plan, statuses).missing).toEqual([]);

		// Restore: the copy becomes a fresh installation's database, and the app starts on it.
		const restored = restoreCopy(backupPath);
		cleanups.push(restored.remove);
		const counts = tableCounts(restored.databasePath);
		const flagAuditsInCopy = flagAudits(restored.databasePath);
		const again = await serve(restored.databasePath);
		expect((await fetch(`${again.url}/health`).then((r) => r.json())) as unknown).toMatchObject({ database: 'ok' });
		const page = await patientList(again.url, db.prepared.staff[0]!.token);
		expect(page.status).toBe(200);
		expect(page.text).toContain('P-1001');
		// A tablet sends a rating the copy cannot hold (a reserved slot: prepared, never sent by the
		// load, however many the tablet sent): the restored app takes it.
		expect(await replay({ ...plan, url: again.url }, [{ tablet: 0, index: db.reserved(0) }])).toEqual({ 201: 1 });
		await again.stop();
		const after = tableCounts(restored.databasePath);
		// Every table as in the copy, and the one rating more. The app evaluates drop-out flags at
		// start and after a rating, so flags may be raised or resolved, each with its audit line;
		// besides those, the rating and the viewed list are audited, the list's one row linked to
		// each patient it showed.
		// episode_statistics is a cache the sweep refills at start (and a rating forgets one row of): left out.
		const { flags: flagsAfter, audit_events: auditAfter, audit_event_patients: linksAfter, episode_statistics: _cacheAfter, ...restAfter } = after;
		const { flags: flagsBefore, audit_events: auditBefore, audit_event_patients: linksBefore, episode_statistics: _cacheBefore, ...restBefore } = counts;
		expect(restAfter).toEqual({ ...restBefore, ratings: restBefore.ratings! + 1 });
		const shown = patientsShownByLastListView(restored.databasePath);
		expect(shown).toBeGreaterThan(0);
		expect(linksAfter! - linksBefore!).toBe(shown);
		expect(flagsAfter).toBeGreaterThanOrEqual(flagsBefore!);
		expect(auditAfter! - auditBefore!).toBe(2 + flagAudits(restored.databasePath) - flagAuditsInCopy);
		expect(integrityCheck(restored.databasePath)).toBe('ok');
	});
});

/** Copies a backup into a fresh folder as `stemme.db`, the way README's restore does. */
function restoreCopy(backupPath: string): { databasePath: string; remove(): void } {
	const dir = mkdtempSync(join(tmpdir(), 'stemme-restore-'));
	const databasePath = join(dir, 'stemme.db');
	copyFileSync(backupPath, databasePath);
	return { databasePath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Audit lines the flag evaluation wrote (raised or resolved by the data). */
/** How many patients the newest caseload view was linked to in the audit trail. */
function patientsShownByLastListView(path: string): number {
	const db = new Database(path, { readonly: true });
	try {
		const sql = `SELECT count(*) AS n FROM audit_event_patients WHERE event_id = (SELECT max(id) FROM audit_events WHERE action = 'viewed_patient_list')`;
		return (db.prepare(sql).get() as { n: number }).n;
	} finally {
		db.close();
	}
}

function flagAudits(path: string): number {
	const db = new Database(path, { readonly: true });
	try {
		return (db.prepare(`SELECT count(*) AS n FROM audit_events WHERE action IN ('flag_raised', 'flag_resolved')`).get() as { n: number }).n;
	} finally {
		db.close();
	}
}

/** Rows in every table of the database. */
function tableCounts(path: string): Record<string, number> {
	const file = new Database(path, { readonly: true });
	const tables = file.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
	const counts = Object.fromEntries(tables.map(({ name }) => [name, (file.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
	file.close();
	return counts;
}
