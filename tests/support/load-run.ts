// The fault tests' load: a database from the load script's own preparation, the load generator's
// plan, and waits bounded by counts as well as by time, so that a fast and a slow machine reach
// the same verdict. A tablet stops once it has sent its `capacity` ratings (scripts/load/driver.ts);
// slots kept in reserve beyond that are never sent by the load, so a test that sends one later
// names an appointment that exists and that no copy of the database can already hold.
//
// STEMME_FAULT_CAPACITY sets the capacity of the load-driven fault tests (the ratings each tablet
// can send): low (3) makes every tablet use it up during the load, high (2000) makes none. The
// tests give the same verdict either way; without it each test uses its own figure.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareLoadDatabase, type PreparedDatabase } from '../../scripts/load/prepare';
import type { DriverResult, LoadPlan, Phase } from '../../scripts/load/plan';
import type { RunningDriver } from '../../scripts/load/run-driver';

/** The ratings each tablet of a load-driven fault test can send: STEMME_FAULT_CAPACITY, or the test's own figure. */
export function faultCapacity(fallback: number): number {
	const raw = process.env.STEMME_FAULT_CAPACITY;
	if (raw === undefined || raw === '') return fallback;
	const capacity = Number(raw);
	if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`STEMME_FAULT_CAPACITY must be a whole number ≥ 1, not "${raw}"`);
	return capacity;
}

export interface FaultDatabase {
	dir: string;
	databasePath: string;
	/** The tablets as the load sees them: each stops after `capacity` ratings. */
	prepared: PreparedDatabase;
	/** The index of tablet slot `k` kept in reserve: prepared, never sent by the load. */
	reserved(k: number): number;
	remove(): void;
}

/**
 * A fault test's database: the demo clinic, `tablets` tablets that can each rate `capacity` times
 * under load, with `reserve` more handoffs each that the load leaves alone, and one clinician.
 */
export async function faultDatabase(o: { tablets: number; capacity: number; reserve?: number; dir?: string }): Promise<FaultDatabase> {
	const reserve = o.reserve ?? 0;
	const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'stemme-fault-'));
	const databasePath = join(dir, 'stemme.db');
	const all = await prepareLoadDatabase(databasePath, { clinic: 'demo', tablets: o.tablets, capacity: o.capacity + reserve, staff: 1, now: new Date() });
	const prepared = { ...all, tablets: all.tablets.map((t) => ({ ...t, capacity: o.capacity })) };
	const reserved = (k: number): number => {
		if (!(k >= 0 && k < reserve)) throw new Error(`slot ${k} is not in the reserve of ${reserve}`);
		return o.capacity + k;
	};
	return { dir, databasePath, prepared, reserved, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every tablet of the database sending ratings, closed loop, for at most `seconds` (or until each has sent its capacity). */
export function tabletPlan(url: string, prepared: PreparedDatabase, seconds: number): LoadPlan {
	const phase: Phase = { name: 'fault', seconds, warmupSeconds: 0, connections: { tablets: prepared.tablets.length } };
	return { url, runTag: `fault${Date.now().toString(36)}`, tablets: prepared.tablets, staff: [], phases: [phase], timeoutSeconds: 5 };
}

/** All the ratings the load can send: every tablet's capacity. */
export function loadTotal(prepared: PreparedDatabase): number {
	return prepared.tablets.reduce((n, t) => n + t.capacity, 0);
}

/**
 * Resolves once the database holds `rows` more ratings than when it was called, or the load
 * generator has finished (every tablet used up, where the load is smaller than `rows`), with the
 * ratings added by then. Rejects after `timeoutMs`: the load never got going.
 */
export async function loadUnderway(databasePath: string, o: { rows: number; driver: RunningDriver; timeoutMs?: number }): Promise<number> {
	let finished = false;
	o.driver.done.then(
		() => (finished = true),
		() => (finished = true)
	);
	const file = new Database(databasePath, { readonly: true });
	try {
		const count = (): number => (file.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number }).n;
		const start = count();
		const deadline = Date.now() + (o.timeoutMs ?? 60_000);
		for (;;) {
			const added = count() - start;
			if (added >= o.rows || finished) return added;
			if (Date.now() > deadline) throw new Error(`the load stored ${added} ratings in ${(o.timeoutMs ?? 60_000) / 1000} s, waiting for ${o.rows}`);
			await sleep(50);
		}
	} finally {
		file.close();
	}
}

/**
 * One line in the test output with what the load did, so a run on another machine can be
 * compared: tablets × capacity, ratings sent and acknowledged, tablets used up, and `more`.
 */
export function printLoad(name: string, prepared: PreparedDatabase, result: Pick<DriverResult, 'statuses' | 'exhausted'>, more: Record<string, number> = {}): void {
	const { all, acknowledged } = sends(result.statuses);
	const extra = Object.entries(more)
		.map(([k, v]) => `, ${k} ${v}`)
		.join('');
	console.log(
		`fault load · ${name}: ${prepared.tablets.length} tablets × ${prepared.tablets[0]?.capacity ?? 0}; sent ${all.length}, acknowledged ${acknowledged.length}, tablets used up ${result.exhausted}${extra}`
	);
}

/** (tablet, index) of every rating sent, and of those answered 2xx. */
export function sends(statuses: readonly (readonly number[])[]): { all: { tablet: number; index: number }[]; acknowledged: { tablet: number; index: number }[] } {
	const all = statuses.flatMap((list, tablet) => list.map((status, index) => ({ tablet, index, status })));
	return { all, acknowledged: all.filter((s) => s.status >= 200 && s.status < 300) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
