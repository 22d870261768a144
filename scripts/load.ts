// `npm run load` (after `npm run build`): Stemme under load on this machine, 127.0.0.1 only.
// Builds a fresh database in a temporary folder (the real migrations, a clinic of 2,000 active
// and 20,000 closed episodes, tablets and staff sessions), starts the built server on a free
// port, and runs autocannon in a second process, phase after phase:
//   ceiling  a bare SvelteKit endpoint doing one prepared INSERT (the stack's ceiling), added to
//            the built app by scripts/load/ceiling-server.js, which this script starts
//   ratings  200 tablets submitting ratings, nothing else
//   mixed    the same tablets and 50 clinicians loading staff pages at the same time
// The phases start once the server's start-up work (the expected trajectories, the flag sweep)
// is done; the first patient page is timed before, while it runs.
// Then it checks that every acknowledged rating is stored exactly once, sends some again as
// a tablet's retry would, and prints one table. Exits 1 on any error, a missing or duplicated
// rating, or staff pages at p99 ≥ 250 ms.
//
// Tablets are closed loops: each sends its next rating as soon as the answer is in, so the
// server is saturated all the time. Clinicians are people: each loads a page every 5 s
// (--staff-rate 0.2, pages a second each; a clinician reading a patient's course takes longer).
// --staff-rate 0 makes them closed loops too; --tablet-rate paces the tablets in the mixed phase.
//
// Options (or the LOAD_* variables): --seconds 60 per phase, --tablets 200, --staff 50,
// --active 2000, --closed 20000, --phases ceiling,ratings,mixed, --tablet-rate, --staff-rate 0.2,
// --capacity (ratings each tablet can send; by default TABLET_RATE_BOUND a second of tablet load),
// --keep (keep the database), --profile DIR (the server writes a V8 CPU profile there as it stops).
// A tablet that has sent all it can stops (the run is bounded by counts as well as time), and the
// run then fails: its throughput would no longer be the server's.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './lib/server.js';
import { prepareLoadDatabase } from './load/prepare';
import { startDriver } from './load/run-driver';
import { replay } from './load/replay';
import { checkStored, integrityCheck } from './load/verify';
import { printReport, type Report } from './load/report';
import { staffCookie, staffVisits, type Phase, type StaffPage } from './load/plan';
import type { LoadClinician } from './load/actors';

/** The staff pages the clinicians load in turn; a new page (the meeting list) is one more line. */
const STAFF_PAGES: StaffPage[] = [
	{ name: 'caseload /patients', paths: () => ['/patients'] },
	{ name: 'patient page /patients/[id]', paths: (c) => c.patientIds.slice(0, 3).map((id) => `/patients/${id}`) },
	{ name: 'meeting list /meetings', paths: () => ['/meetings'] }
];
/** Pages a second each clinician loads in the mixed phase: one every 5 s. */
const STAFF_PAGES_PER_SECOND = 0.2;
/** Seconds at the start of each phase that are answered and checked but not timed. */
const WARMUP_SECONDS = 5;
/** Ratings a tablet can send per second of tablet load, at the most; a run that needs more says so and fails (or give --capacity). */
const TABLET_RATE_BOUND = 15;
/** Acknowledged ratings sent again after the run, as a tablet's retry would. */
const RETRIES = 1000;

const { values: args } = parseArgs({
	options: {
		seconds: { type: 'string', default: process.env.LOAD_SECONDS ?? '60' },
		tablets: { type: 'string', default: process.env.LOAD_TABLETS ?? '200' },
		staff: { type: 'string', default: process.env.LOAD_STAFF ?? '50' },
		active: { type: 'string', default: process.env.LOAD_ACTIVE ?? '2000' },
		closed: { type: 'string', default: process.env.LOAD_CLOSED ?? '20000' },
		phases: { type: 'string', default: process.env.LOAD_PHASES ?? 'ceiling,ratings,mixed' },
		'tablet-rate': { type: 'string', default: process.env.LOAD_TABLET_RATE ?? '' },
		'staff-rate': { type: 'string', default: process.env.LOAD_STAFF_RATE ?? String(STAFF_PAGES_PER_SECOND) },
		capacity: { type: 'string', default: process.env.LOAD_CAPACITY ?? '' },
		keep: { type: 'boolean', default: false },
		profile: { type: 'string', default: process.env.LOAD_PROFILE ?? '' }
	}
});
const seconds = Number(args.seconds);
const tablets = Number(args.tablets);
const staff = Number(args.staff);
const warmupSeconds = Math.min(WARMUP_SECONDS, Math.floor(seconds / 5));
const rates: Phase['rates'] = {
	...(args['tablet-rate'] === '' ? {} : { tablets: Number(args['tablet-rate']) }),
	...(Number(args['staff-rate']) === 0 ? {} : { staff: Number(args['staff-rate']) })
};
const ALL_PHASES: Record<string, Phase> = {
	ceiling: { name: 'ceiling', seconds, warmupSeconds, connections: { ceiling: tablets } },
	ratings: { name: 'ratings', seconds, warmupSeconds, connections: { tablets } },
	mixed: { name: 'mixed', seconds, warmupSeconds, connections: { tablets, staff }, rates }
};
const phases = args.phases.split(',').map((name) => {
	const phase = ALL_PHASES[name.trim()];
	if (phase === undefined) throw new Error(`unknown phase ${name}: choose from ${Object.keys(ALL_PHASES).join(', ')}`);
	return phase;
});
// Bounded in time and count: at most 10 minutes a phase, 1,000 connections.
if (!(seconds > 0 && seconds <= 600) || !(tablets > 0 && tablets <= 1000) || !(staff >= 0 && staff <= 1000)) {
	throw new Error('--seconds must be 1–600, --tablets 1–1000, --staff 0–1000');
}
if (!(Number(args['staff-rate']) >= 0) || (args['tablet-rate'] !== '' && !(Number(args['tablet-rate']) > 0))) {
	throw new Error('--staff-rate must be a number ≥ 0 (0: no pause), --tablet-rate a number > 0');
}
if (args.capacity !== '' && !(Number.isInteger(Number(args.capacity)) && Number(args.capacity) >= 1 && Number(args.capacity) <= 100_000)) {
	throw new Error('--capacity must be a whole number 1–100000');
}
if (!existsSync('build/index.js')) {
	console.error('build/ is missing: run `npm run build` first (npm run load does not build).');
	process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'stemme-load-'));
const databasePath = join(dir, 'stemme.db');
const tabletSeconds = phases.filter((p) => (p.connections.tablets ?? 0) > 0).length * seconds;
console.log(`Stemme load run: ${phases.map((p) => p.name).join(', ')}, ${seconds} s each; database in ${dir}`);
const prepared = await prepareLoadDatabase(databasePath, {
	clinic: { active: Number(args.active), closed: Number(args.closed) },
	tablets,
	capacity: args.capacity === '' ? Math.max(10, tabletSeconds * TABLET_RATE_BOUND) : Number(args.capacity),
	staff,
	now: new Date()
});
console.log(`database ready in ${prepared.seconds.toFixed(1)} s (${(prepared.bytes / 1e6).toFixed(0)} MB); starting the server`);

// Node refuses --cpu-prof in NODE_OPTIONS: the server gets it on its command line.
const nodeOptions = args.profile === '' ? [] : ['--cpu-prof', '--cpu-prof-dir', args.profile];
// The built server with the ceiling's route added (scripts/load/ceiling-server.js): not in the app.
const server = await startServer({ databasePath, entry: 'scripts/load/ceiling-server.js', nodeOptions });
const serverUp = performance.now();
let report: Report;
try {
	const plan = {
		url: server.url,
		runTag: `load${Date.now().toString(36)}`,
		tablets: prepared.tablets,
		staff: staffVisits(STAFF_PAGES, prepared.staff),
		phases,
		timeoutSeconds: 10
	};
	const cold = await coldPatientPage(server.url, prepared.staff[0]);
	const startWork = await startWorkDone(server, serverUp);
	console.log(`the server's start-up work (expected trajectories, drop-out flag sweep) took ${startWork.toFixed(1)} s; the phases start now`);
	const result = await startDriver(plan, dir).done;
	// The tablets' retries: acknowledged ratings sent again must be answered "already stored".
	const acknowledged = result.statuses.flatMap((list, tablet) => list.flatMap((s, index) => (s >= 200 && s < 300 ? [{ tablet, index }] : [])));
	const step = Math.max(1, Math.floor(acknowledged.length / RETRIES));
	const retried = acknowledged.filter((_, i) => i % step === 0).slice(0, RETRIES);
	const retryStatuses = await replay(plan, retried);
	await server.stop();
	report = {
		machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node}`,
		database: { ...prepared, path: databasePath },
		result,
		stored: checkStored(databasePath, plan, result.statuses),
		retries: { sent: retried.length, statuses: retryStatuses },
		integrity: integrityCheck(databasePath),
		coldPatientPageMs: cold,
		serverOutput: server.output()
	};
} finally {
	await server.stop('SIGKILL');
	if (!args.keep) rmSync(dir, { recursive: true, force: true });
}
/**
 * Waits until the server has fitted the expected trajectories and swept the drop-out flags, as
 * it does once after every start (in the background, while answering), and returns the seconds
 * since the server answered first. The phases measure a running server: started during that
 * work, the first phase would share the CPU with it and the second not, and the ratio of their
 * throughputs would depend on which phase came first.
 */
async function startWorkDone(server: { output(): string }, since: number, timeoutMs = 300_000): Promise<number> {
	while (!/drop-out flags checked on|drop-out flag sweep failed/.test(server.output())) {
		if (performance.now() - since > timeoutMs) throw new Error(`the server's start-up work did not finish in ${timeoutMs / 1000} s:\n${server.output()}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	return (performance.now() - since) / 1000;
}

/**
 * The first patient page after a start, timed alone before the phases: the server is fitting the
 * expected trajectories on every closed episode in the background then, and the page must not
 * wait for it.
 */
async function coldPatientPage(url: string, clinician: LoadClinician | undefined): Promise<number | null> {
	const id = clinician?.patientIds[0];
	if (clinician === undefined || id === undefined) return null;
	const started = performance.now();
	const response = await fetch(`${url}/patients/${id}`, { headers: { cookie: staffCookie(clinician.token) } });
	await response.arrayBuffer();
	if (response.status !== 200) throw new Error(`the first patient page answered ${response.status}`);
	return performance.now() - started;
}

const failures = printReport(
	report,
	STAFF_PAGES.map((p) => p.name)
);
if (args.keep) console.log(`\nkept: ${databasePath}`);
process.exit(failures.length > 0 ? 1 : 0);
