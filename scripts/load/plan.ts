// What a load run does, as data: written by `npm run load` or a fault test, read by the load
// generator (driver.ts, a second process) and by the checks afterwards. Every rating a tablet
// sends is named by (tablet, index), so nothing needs to be kept per request but its answer.
import { SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { stemmeOutcomeAdult } from '../../src/lib/domain/instruments';
import type { LoadClinician, LoadTablet } from './actors';

export type Scenario = 'tablets' | 'staff' | 'ceiling';

/**
 * One stretch of load: the scenarios named run at the same time, each with its connections.
 * Without a rate a connection sends its next request as soon as the answer is in (a closed loop:
 * as much as the server takes); with one, at most `rates[scenario]` requests a second. The first
 * `warmupSeconds` are answered and checked but not timed (JIT, connections being accepted).
 */
export interface Phase {
	name: string;
	seconds: number;
	warmupSeconds: number;
	connections: Partial<Record<Scenario, number>>;
	rates?: Partial<Record<Scenario, number>>;
}

/** A staff page the clinicians load in turn; `paths` gives the URLs one clinician visits. */
export interface StaffPage {
	name: string;
	paths(clinician: LoadClinician): string[];
}

export interface LoadPlan {
	url: string;
	/** Starts every client id of this run, so its ratings are told from any other. */
	runTag: string;
	tablets: LoadTablet[];
	/** Each clinician's round of visits, cycled: page name and path. */
	staff: { token: string; visits: { page: string; path: string }[] }[];
	phases: Phase[];
	/** Seconds a request may wait for its answer before it counts as a timeout. */
	timeoutSeconds: number;
}

export interface Submission {
	handoffId: string;
	clientId: string;
	appointmentId: number;
	values: Record<string, number>;
}

export function clientId(plan: Pick<LoadPlan, 'runTag'>, tablet: number, index: number): string {
	return `${plan.runTag}-${tablet}-${index}`;
}

/** The rating tablet `tablet` sends the `index`-th time: item values on the 0.1 grid, all different. */
export function submission(plan: Pick<LoadPlan, 'runTag' | 'tablets'>, tablet: number, index: number): Submission {
	const t = plan.tablets[tablet]!;
	const values = Object.fromEntries(stemmeOutcomeAdult.items.map((item, k) => [item.key, ((tablet * 31 + index * 7 + k * 13) % 101) / 10]));
	return { handoffId: `${t.handoffPrefix}${index}`, clientId: clientId(plan, tablet, index), appointmentId: t.firstAppointmentId + index, values };
}

/** The cookie a tablet in patient mode sends: its clinician's session (the session row holds patient mode). */
export function tabletCookie(plan: Pick<LoadPlan, 'tablets'>, tablet: number, index: number): string {
	void index;
	const t = plan.tablets[tablet]!;
	return `${SESSION_COOKIE}=${t.token}`;
}

export function staffCookie(token: string): string {
	return `${SESSION_COOKIE}=${token}`;
}

/** Each clinician's round of visits: every page's paths in the order of `pages`, then again. */
export function staffVisits(pages: readonly StaffPage[], clinicians: readonly LoadClinician[]): LoadPlan['staff'] {
	return clinicians.map((c) => ({ token: c.token, visits: pages.flatMap((p) => p.paths(c).map((path) => ({ page: p.name, path }))) }));
}

export interface LatencySummary {
	count: number;
	p50: number;
	p99: number;
	max: number;
}

export interface ScenarioResult {
	scenario: Scenario;
	connections: number;
	/** Requests a second per connection, or null for a closed loop. */
	rate: number | null;
	/** The timed part of the phase (after the warm-up). */
	seconds: number;
	/** Answers with a 2xx status, warm-up included. */
	ok: number;
	/** 2xx answers per second in the timed part. */
	throughput: number;
	/** Of requests sent in the timed part. */
	latency: LatencySummary;
	statusCodes: Record<string, number>;
	non2xx: number;
	/** Connection errors and timeouts, as autocannon counts them. */
	errors: number;
	timeouts: number;
	/** Staff only: latency per page. */
	pages?: Record<string, LatencySummary>;
}

export interface DriverResult {
	phases: { name: string; seconds: number; scenarios: ScenarioResult[] }[];
	/** Per tablet, per index sent: the HTTP status of the answer, 0 for none (error, timeout, stopped). */
	statuses: number[][];
	/** Per tablet, per index: when the answer came (ms since the epoch), 0 for none. */
	answeredAt: number[][];
	/** Tablets that sent every rating they could (their `capacity`) and stopped before the phases ended. */
	exhausted: number;
	/** True when the driver was told to stop before its phases ended. */
	stopped: boolean;
}
