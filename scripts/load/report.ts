// The table `npm run load` prints, and the verdict: what failed, if anything.
import type { PreparedDatabase } from './prepare';
import type { DriverResult, LatencySummary, ScenarioResult } from './plan';
import type { StoredCheck } from './verify';

/** The load budget: staff pages under load answer at p99 under this, on this machine. */
export const STAFF_P99_LIMIT_MS = 250;
/** The load budget: Stemme's rating throughput as a share of the bare endpoint's, at least. */
export const RATIO_GOAL = 0.5;

export interface Report {
	machine: string;
	database: PreparedDatabase & { path: string };
	result: DriverResult;
	stored: StoredCheck;
	retries: { sent: number; statuses: Record<number, number> };
	integrity: string;
	coldPatientPageMs: number | null;
	serverOutput: string;
}

const LABEL: Record<ScenarioResult['scenario'], string> = {
	ceiling: 'bare INSERT (ceiling)',
	tablets: 'tablet ratings',
	staff: 'staff pages'
};
const count = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const pad = (s: string | number, n: number): string => String(s).padStart(n);
const row = (name: string, conns: string, answered: string, rate: string, l: LatencySummary, non2xx: string, errors: string): string =>
	`${name.padEnd(48)}${pad(conns, 6)}${pad(answered, 10)}${pad(rate, 9)}${pad(ms(l.p50), 9)}${pad(ms(l.p99), 9)}${pad(ms(l.max), 9)}${pad(non2xx, 8)}${pad(errors, 8)}`;

function find(result: DriverResult, phase: string, scenario: ScenarioResult['scenario']): ScenarioResult | undefined {
	return result.phases.find((p) => p.name === phase)?.scenarios.find((s) => s.scenario === scenario);
}

/** Prints the report; returns the reasons the run failed (none: it passed). */
export function printReport(r: Report, pageNames: readonly string[]): string[] {
	const failures: string[] = [];
	const { clinic } = r.database;
	console.log(`\nmachine   ${r.machine}; server and load generator on 127.0.0.1`);
	if (clinic !== null) {
		console.log(
			`database  ${count.format(clinic.patients)} patients, ${count.format(clinic.episodes)} episodes, ${count.format(clinic.appointments)} appointments, ` +
				`${count.format(clinic.ratings)} ratings; ${r.database.tablets.length} tablets, ${r.database.staff.length} clinicians; built in ${r.database.seconds.toFixed(1)} s`
		);
		const tabletEpisodes = r.database.tablets.reduce((n, t) => n + t.episodes, 0);
		const sessions = r.database.tablets[0] === undefined ? 0 : Math.ceil(r.database.tablets[0].capacity / r.database.tablets[0].episodes);
		console.log(`          and the tablets' own patients in a team of their own: ${count.format(tabletEpisodes)} open episodes of up to ${sessions} sessions, rated in turn`);
	}
	console.log(
		'\n' + `${'phase · scenario'.padEnd(48)}${pad('conns', 6)}${pad('2xx', 10)}${pad('2xx/s', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('non-2xx', 8)}${pad('errors', 8)}`
	);
	for (const phase of r.result.phases) {
		for (const s of phase.scenarios) {
			const paced = s.rate === null ? '' : ` at ${s.rate}/s each`;
			console.log(
				row(
					`${phase.name} (${phase.seconds} s) · ${LABEL[s.scenario]}${paced}`,
					String(s.connections),
					count.format(s.ok),
					count.format(s.throughput),
					s.latency,
					count.format(s.non2xx),
					count.format(s.errors)
				)
			);
			for (const name of pageNames) {
				const page = s.pages?.[name];
				if (page !== undefined) console.log(row(`    ${name}`, '', count.format(page.count), '', page, '', ''));
			}
			if (s.non2xx > 0 || s.errors > 0) failures.push(`${phase.name} · ${LABEL[s.scenario]}: ${s.non2xx} non-2xx (${JSON.stringify(s.statusCodes)}), ${s.errors} errors (${s.timeouts} timeouts)`);
			if (s.scenario === 'staff' && !(s.latency.p99 < STAFF_P99_LIMIT_MS)) failures.push(`${phase.name} · staff pages: p99 ${ms(s.latency.p99)} ms, limit < ${STAFF_P99_LIMIT_MS} ms`);
		}
	}
	const warmup = r.result.phases[0]?.scenarios[0];
	if (warmup !== undefined)
		console.log(`(latencies and 2xx/s: requests sent after each phase's first ${((r.result.phases[0]?.seconds ?? 0) - warmup.seconds).toFixed(0)} s; counts and errors: the whole phase)`);
	const ceiling = find(r.result, 'ceiling', 'ceiling');
	console.log('');
	if (r.coldPatientPageMs !== null) {
		console.log(`cold      first patient page after start: ${ms(r.coldPatientPageMs)} ms (while the server fits the expected trajectories in the background)`);
	}
	for (const phase of ['ratings', 'mixed']) {
		const ratings = find(r.result, phase, 'tablets');
		if (ceiling === undefined || ratings === undefined) continue;
		const ratio = ratings.throughput / ceiling.throughput;
		if (phase === 'mixed') {
			console.log(
				`ratio     mixed ratings / ceiling = ${count.format(ratings.throughput)} / ${count.format(ceiling.throughput)} = ${ratio.toFixed(2)} (for information: staff pages share the server, and go first)`
			);
			continue;
		}
		const verdict = ratio >= RATIO_GOAL ? 'meets' : 'below';
		console.log(`ratio     ratings / ceiling = ${count.format(ratings.throughput)} / ${count.format(ceiling.throughput)} = ${ratio.toFixed(2)} (${verdict} the goal of ≥ ${RATIO_GOAL})`);
		if (!(ratio >= RATIO_GOAL)) failures.push(`rating throughput ${ratio.toFixed(2)} of the ceiling, goal ≥ ${RATIO_GOAL}`);
	}
	const s = r.stored;
	console.log(
		`exactly once  ${count.format(s.acknowledged)} acknowledged of ${count.format(s.sent)} sent; ${count.format(s.acknowledgedStoredOnce)} stored exactly once; ` +
			`missing ${s.missing.length}; duplicated ${s.duplicated.length}; stray rows ${s.strays.length}; ` +
			`stored but unanswered when the run ended ${s.storedUnacknowledged}; rows of this run ${count.format(s.rows)}`
	);
	if (s.missing.length > 0) failures.push(`${s.missing.length} acknowledged ratings missing, e.g. ${s.missing.slice(0, 3).join(', ')}`);
	if (s.duplicated.length > 0) failures.push(`${s.duplicated.length} ratings stored more than once`);
	if (s.strays.length > 0) failures.push(`${s.strays.length} rows not sent as stored (wrong appointment or unknown id)`);
	const already = r.retries.statuses[200] ?? 0;
	console.log(`retries   ${count.format(r.retries.sent)} acknowledged ratings sent again: ${JSON.stringify(r.retries.statuses)} (200 = already stored; nothing new is stored)`);
	if (already !== r.retries.sent) failures.push(`retries: ${JSON.stringify(r.retries.statuses)}, expected ${r.retries.sent} × 200`);
	console.log(`integrity_check  ${r.integrity}`);
	if (r.integrity !== 'ok') failures.push(`integrity_check: ${r.integrity}`);
	const capacity = r.database.tablets[0]?.capacity ?? 0;
	if (r.result.exhausted > 0) {
		failures.push(`${r.result.exhausted} tablets sent all their ${capacity} ratings and stopped before the phases ended: give --capacity or raise TABLET_RATE_BOUND in scripts/load.ts`);
	}
	console.log(failures.length === 0 ? '\nPASS' : `\nFAIL\n${failures.map((f) => `  - ${f}`).join('\n')}`);
	return failures;
}
