// The load generator, run as its own process so that it does not share the server's CPU time
// slice: `node --import tsx scripts/load/driver.ts <plan.json> <result.json>`. Runs the plan's
// phases one after another with autocannon, the scenarios of a phase at the same time, and
// writes what every tablet sent and how it was answered. A tablet stops once it has sent each of
// its `capacity` ratings, so a run is bounded by counts as well as by time, and every rating it
// names exists however fast the machine is; a phase whose tablets have all stopped ends early.
// SIGTERM stops it early (a fault test that killed the server); what was measured so far is
// still written. 127.0.0.1 only.
import autocannon from 'autocannon';
import { readFileSync, writeFileSync } from 'node:fs';
import { percentileOfSorted } from '../../src/lib/domain/percentile';
import { staffCookie, submission, tabletCookie, type DriverResult, type LatencySummary, type LoadPlan, type Phase, type Scenario, type ScenarioResult } from './plan';

const [planFile, resultFile] = process.argv.slice(2);
if (planFile === undefined || resultFile === undefined) throw new Error('usage: driver.ts <plan.json> <result.json>');
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as LoadPlan;
if (new URL(plan.url).hostname !== '127.0.0.1') throw new Error(`the load generator sends to 127.0.0.1 only, not ${plan.url}`);

const next = plan.tablets.map(() => 0);
const result: DriverResult = { phases: [], statuses: plan.tablets.map(() => []), answeredAt: plan.tablets.map(() => []), exhausted: 0, stopped: false };
/** Tablets that have sent every rating they can. */
const usedUp = new Set<number>();
const running = new Set<autocannon.Instance>();
let stopped = false;
process.on('SIGTERM', () => {
	stopped = true;
	result.stopped = true;
	for (const instance of running) instance.stop();
});

function summary(latencies: number[]): LatencySummary {
	const sorted = Float64Array.from(latencies).sort();
	return { count: sorted.length, p50: percentileOfSorted(sorted, 50), p99: percentileOfSorted(sorted, 99), max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]! };
}

type Request = { method: string; path: string; headers: Record<string, string>; body?: string };
/**
 * What one connection does: builds its next request, and hears the answer with its latency.
 * `finished()` true: it has nothing more to send, and its connection closes instead.
 */
type Connection = { build(): Request; answered(status: number, ms: number, timed: boolean): void; finished(): boolean };

/** Tablet `t` sends its next rating each time, with its own cookies, until it has sent all `capacity`. */
function tabletConnection(t: number): Connection {
	let index = -1;
	const capacity = plan.tablets[t]!.capacity;
	return {
		build() {
			index = next[t]!;
			if (index >= capacity) throw new Error(`tablet ${t} has no handoff ${index}: it stops at ${capacity}`);
			next[t]! += 1;
			result.statuses[t]![index] ??= 0;
			const body = JSON.stringify(submission(plan, t, index));
			return { method: 'POST', path: '/rate/submit', headers: { 'content-type': 'application/json', accept: 'application/json', origin: plan.url, cookie: tabletCookie(plan, t, index) }, body };
		},
		answered(status) {
			result.statuses[t]![index] = status;
			result.answeredAt[t]![index] = Date.now();
		},
		finished() {
			if (next[t]! < capacity) return false;
			usedUp.add(t);
			result.exhausted = usedUp.size;
			return true;
		}
	};
}

function staffConnection(c: number, pages: Map<string, number[]>): Connection {
	const clinician = plan.staff[c % plan.staff.length]!;
	let visit = c;
	let page = '';
	return {
		build() {
			const v = clinician.visits[visit++ % clinician.visits.length]!;
			page = v.page;
			return { method: 'GET', path: v.path, headers: { accept: 'text/html', cookie: staffCookie(clinician.token) } };
		},
		answered(_status, ms, timed) {
			if (!timed) return;
			let list = pages.get(page);
			if (list === undefined) pages.set(page, (list = []));
			list.push(ms);
		},
		finished: () => false
	};
}

function ceilingConnection(c: number, counter: { n: number }): Connection {
	return {
		build() {
			const body = JSON.stringify({ ...submission(plan, c % plan.tablets.length, 0), clientId: `${plan.runTag}-ceiling-${counter.n++}` });
			return { method: 'POST', path: '/load-ceiling', headers: { 'content-type': 'application/json', accept: 'application/json', origin: plan.url }, body };
		},
		answered() {},
		finished: () => false
	};
}

/**
 * Starts a phase with every connection accepted by the server. Each connection first sends one
 * warm-up request (GET /health, not counted) and holds its next until every connection of the
 * instance has had its warm-up answered. A connection the kernel has opened may still wait to be
 * accepted by the server's process, which accepts one per turn of its event loop (see
 * src/lib/server/background.ts): connections opened into a server that the first of them
 * already saturate wait there for seconds, longer the more are running, and the phase would
 * measure that queue instead of the app. (Measured: at the start of the mixed phase, 250 new
 * connections were accepted at about 10 a second, and 460 requests timed out.) Tablets and
 * clinicians keep their connections open; they do not all open new ones at the same moment.
 *
 * With a `rate`, a connection then sends at most that many requests a second, starting at a
 * random moment of its first interval (autocannon's own rates go no lower than one a second).
 * A connection whose `finished()` says so is closed instead of sending (autocannon ends the
 * phase when all of its connections are closed).
 * Relies on autocannon 9's Client (`_doRequest`, `destroy`, `timeout`, `timeoutTicker`).
 */
type Client = { destroyed: boolean; timeout: number; timeoutTicker: { reschedule(ms: number): void }; _doRequest(...a: unknown[]): void; destroy(): void };
/** The longest a phase waits for every connection's warm-up before it starts anyway. */
const GATE_FALLBACK_MS = 20_000;
function pace(expected: number, rate: number | null): (client: Client, connection: Connection) => void {
	let warmed = 0;
	let open: () => void = () => {};
	const gate = new Promise<void>((resolve) => (open = () => setTimeout(resolve, 300)));
	const fallback = setTimeout(() => open(), GATE_FALLBACK_MS);
	const interval = rate === null ? 0 : 1000 / rate;
	return (client, connection) => {
		const send = client._doRequest.bind(client);
		// Every request after the warm-up comes through here, whichever path autocannon takes
		// (an answer, a reconnect after a timeout or a closed socket).
		const doRequest = (...a: unknown[]): void => {
			if (client.destroyed) return;
			if (connection.finished()) return client.destroy();
			send(...a);
		};
		let next = Number.NaN;
		const paced = (...a: unknown[]): void => {
			if (client.destroyed) return;
			const now = Date.now();
			if (Number.isNaN(next)) next = now + Math.random() * interval;
			const wait = next - now;
			next = Math.max(next, now) + interval;
			if (wait <= 0) return doRequest(...a);
			// autocannon times a connection from its last request: a pause is not a wait for an answer.
			client.timeoutTicker.reschedule(wait + client.timeout);
			setTimeout(() => !client.destroyed && doRequest(...a), wait);
		};
		let calls = 0;
		client._doRequest = (...a) => {
			calls++;
			// The warm-up goes at once; the call after it (its answer is in) waits for all the others.
			if (calls === 1) return send(...a);
			if (calls > 2) return paced(...a);
			if (++warmed === expected) {
				clearTimeout(fallback);
				open();
			}
			client.timeoutTicker.reschedule(GATE_FALLBACK_MS + client.timeout);
			void gate.then(() => paced(...a));
		};
	};
}

async function runScenario(scenario: Scenario, connections: number, phase: Phase): Promise<ScenarioResult> {
	const latencies: number[] = [];
	const pages = new Map<string, number[]>();
	const counter = { n: 0 };
	let made = 0;
	let timedOk = 0;
	const warmups = new Map<number, number>();
	const timedFrom = Date.now() + phase.warmupSeconds * 1000;
	const byClient = new Map<unknown, { connection: Connection; sentAt: number }>();
	const rate = phase.rates?.[scenario] ?? null;
	const paced = pace(connections, rate);
	const instance = autocannon({
		url: plan.url,
		connections,
		duration: phase.seconds,
		timeout: plan.timeoutSeconds,
		// A placeholder until setupClient gives each connection its own requests.
		requests: [{ method: 'GET', path: '/health' }],
		setupClient(client) {
			const n = made++;
			const connection = scenario === 'tablets' ? tabletConnection(n) : scenario === 'staff' ? staffConnection(n, pages) : ceilingConnection(n, counter);
			const state = { connection, sentAt: 0, warmupSent: false, warmedUp: false };
			byClient.set(client, state);
			paced(client, connection);
			client.setRequests([
				{
					setupRequest: (request: object) => {
						state.sentAt = Date.now();
						if (!state.warmupSent) {
							state.warmupSent = true;
							return { ...request, method: 'GET', path: '/health', headers: {} };
						}
						return { ...request, ...connection.build() };
					}
				}
			]);
		}
	});
	running.add(instance);
	instance.on('response', (client, status, _bytes, ms) => {
		const state = byClient.get(client);
		if (state === undefined) return;
		if (!state.warmedUp) {
			state.warmedUp = true;
			warmups.set(status, (warmups.get(status) ?? 0) + 1);
			return;
		}
		const timed = state.sentAt >= timedFrom;
		if (timed) {
			latencies.push(ms);
			if (status >= 200 && status < 300) timedOk++;
		}
		state.connection.answered(status, ms, timed);
	});
	const done = (await instance) as autocannon.Result;
	running.delete(instance);
	// The warm-ups' answers are not the phase's.
	const statusCodes = Object.fromEntries(
		Object.entries(done.statusCodeStats ?? {})
			.map(([code, s]) => [code, Number(s.count) - (warmups.get(Number(code)) ?? 0)])
			.filter(([, n]) => n !== 0)
	);
	const ok = Object.entries(statusCodes)
		.filter(([code]) => code.startsWith('2'))
		.reduce((sum, [, n]) => sum + Number(n), 0);
	const seconds = Math.max(0, done.duration - phase.warmupSeconds);
	return {
		scenario,
		connections,
		rate,
		seconds,
		ok,
		throughput: seconds > 0 ? timedOk / seconds : Number.NaN,
		latency: summary(latencies),
		statusCodes,
		non2xx: Object.entries(statusCodes)
			.filter(([code]) => !code.startsWith('2'))
			.reduce((sum, [, n]) => sum + Number(n), 0),
		errors: done.errors,
		timeouts: done.timeouts,
		...(scenario === 'staff' ? { pages: Object.fromEntries([...pages].map(([name, l]) => [name, summary(l)])) } : {})
	};
}

if (plan.tablets.length > 0 && plan.phases.some((p) => (p.connections.tablets ?? 0) > plan.tablets.length)) {
	throw new Error('more tablet connections than tablets in the plan');
}
for (const phase of plan.phases) {
	if (stopped) break;
	const scenarios = (Object.entries(phase.connections) as [Scenario, number][]).filter(([, n]) => n > 0);
	const results = await Promise.all(scenarios.map(([scenario, n]) => runScenario(scenario, n, phase)));
	result.phases.push({ name: phase.name, seconds: phase.seconds, scenarios: results });
}
writeFileSync(resultFile, JSON.stringify(result));
