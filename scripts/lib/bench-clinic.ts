/**
 * What the benchmarks share: the timing (median of several runs after a warm-up), the clock they
 * pretend it is, and the bench clinic of bench-server.ts and bench-fhir.ts in a throw-away
 * database with the real migrations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/lib/server/db/open';
import { builtInInstruments } from '../../src/lib/domain/instruments';
import { createRegistry, type Registry } from '../../src/lib/domain/registry';
import { generateBulkClinic } from './bulk-clinic';

/** The benches' "now": a Monday morning in the clinic. */
export const BENCH_NOW = new Date('2026-11-23T09:00:00Z');
export const BENCH_RUNS = 7;

/** Median wall time in ms of `runs` runs after one warm-up run. */
export function medianMs(run: () => unknown, runs = BENCH_RUNS): number {
	run();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		run();
		times.push(performance.now() - start);
	}
	return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? Number.NaN;
}

export interface BenchClinic {
	db: ReturnType<typeof openDatabase>;
	registry: Registry;
	clinic: ReturnType<typeof generateBulkClinic>;
	/** How long generating the clinic took. */
	generateMs: number;
}

/** One team of 2,000 active and 2,000 closed episodes (10 clinicians) in a new database, removed after `use`. */
export async function withBenchClinic(name: string, use: (bench: BenchClinic) => Promise<void> | void): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), `stemme-${name}-`));
	try {
		const db = openDatabase(join(dir, 'bench.db'));
		const made = createRegistry(builtInInstruments, []);
		if (!made.ok) throw new Error(made.errors.join('\n'));
		const started = performance.now();
		const clinic = generateBulkClinic(db, { activeEpisodes: 2_000, closedEpisodes: 2_000, teams: 1, cliniciansPerTeam: 10, now: BENCH_NOW });
		await use({ db, registry: made.registry, clinic, generateMs: performance.now() - started });
		db.$client.close();
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
