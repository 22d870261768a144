import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareLoadDatabase, type PreparedDatabase } from '../../scripts/load/prepare';
import type { LoadPlan, Phase } from '../../scripts/load/plan';

/** A fault test's database: the demo clinic, `tablets` tablets that can each rate `capacity` times, one clinician. */
export async function faultDatabase(o: { tablets: number; capacity: number; dir?: string }): Promise<{ dir: string; databasePath: string; prepared: PreparedDatabase; remove(): void }> {
	const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'stemme-fault-'));
	const databasePath = join(dir, 'stemme.db');
	const prepared = await prepareLoadDatabase(databasePath, { clinic: 'demo', tablets: o.tablets, capacity: o.capacity, staff: 1, now: new Date() });
	return { dir, databasePath, prepared, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every tablet of the database sending ratings, closed loop, for `seconds`. */
export function tabletPlan(url: string, prepared: PreparedDatabase, seconds: number): LoadPlan {
	const phase: Phase = { name: 'fault', seconds, warmupSeconds: 0, connections: { tablets: prepared.tablets.length } };
	return { url, runTag: `fault${Date.now().toString(36)}`, tablets: prepared.tablets, staff: [], phases: [phase], timeoutSeconds: 5 };
}

/** (tablet, index) of every rating sent, and of those answered 2xx. */
export function sends(statuses: readonly (readonly number[])[]): { all: { tablet: number; index: number }[]; acknowledged: { tablet: number; index: number }[] } {
	const all = statuses.flatMap((list, tablet) => list.map((status, index) => ({ tablet, index, status })));
	return { all, acknowledged: all.filter((s) => s.status >= 200 && s.status < 300) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
