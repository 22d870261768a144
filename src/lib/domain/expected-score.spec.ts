import { describe, expect, it } from 'vitest';
import { expectedScore } from './expected-score';
import { type ExpectedTable, validateExpectedTable } from './expected-table';
import type { FittedModel } from './trajectory-model';

/** g00 4, g01 0.8, g10 3, g11 −0.05; bands: session 2 (+1.5 / −2.5), session 3 (+1.2 / −2.2). */
const model: FittedModel = {
	kind: 'fitted',
	method: 'ols',
	mixed: null,
	totalRange: { min: 0, max: 40 },
	version: 'v1',
	fittedAt: '2025-06-01T00:00:00.000Z',
	coefficients: { g00: 4, g01: 0.8, g10: 3, g11: -0.05 },
	episodes: 500,
	ratings: 4000,
	residualSd: 2,
	percentiles: { target: 50, critical: 10 },
	maxSession: 3,
	intakeRange: { min: 8, max: 30 },
	bands: [
		{ session: 2, ratings: 500, successfulRatings: 200, target: 1.5, critical: -2.5, targetFrom: 2, criticalFrom: 2 },
		{ session: 3, ratings: 400, successfulRatings: 150, target: 1.2, critical: -2.2, targetFrom: 3, criticalFrom: 3 }
	]
};

describe('expectedScore — fitted model', () => {
	it.each([
		// session 1 is the intake itself
		{ intake: 16, session: 1, expected: 16, target: 16, critical: 16, extrapolated: false },
		// 4 + 0.8·16 + (3 − 0.05·16)·ln 2 = 16.8 + 2.2 × 0.693147 = 18.3249; +1.5 / −2.5
		{ intake: 16, session: 2, expected: 18.3249, target: 19.8249, critical: 15.8249, extrapolated: false },
		// ln 3 = 1.098612: 16.8 + 2.2 × 1.098612 = 19.2169; +1.2 / −2.2
		{ intake: 16, session: 3, expected: 19.2169, target: 20.4169, critical: 17.0169, extrapolated: false },
		// beyond maxSession 3: mean follows ln 10 = 2.302585 → 16.8 + 2.2 × 2.302585 = 21.8657; last band offsets
		{ intake: 16, session: 10, expected: 21.8657, target: 23.0657, critical: 19.6657, extrapolated: false },
		// intake 35 is outside 8–30: 4 + 28 + (3 − 1.75)·ln 2 = 32.8664, marked extrapolated
		{ intake: 35, session: 2, expected: 32.8664, target: 34.3664, critical: 30.3664, extrapolated: true }
	])('intake $intake, session $session → $expected', ({ intake, session, expected, target, critical, extrapolated }) => {
		const result = expectedScore(model, intake, session);
		expect(result).toMatchObject({ ok: true, source: 'fitted', extrapolated });
		if (!result.ok) return;
		expect(result.expected).toBeCloseTo(expected, 3);
		expect(result.target).toBeCloseTo(target, 3);
		expect(result.critical).toBeCloseTo(critical, 3);
	});

	it.each([0, -1, 2.5, Number.NaN])('refuses session %s', (session) => {
		expect(expectedScore(model, 16, session)).toEqual({ ok: false, error: 'invalid-session' });
	});

	it('refuses a model with no bands', () => {
		expect(expectedScore({ ...model, bands: [] }, 16, 2)).toEqual({ ok: false, error: 'invalid-session' });
	});
});

const rawTable = {
	id: 'sample-expected',
	instrument: { id: 'sample-outcome', version: 1 },
	source: 'Example Licensing AS (invented numbers)',
	sessions: [2, 3, 5],
	rows: [
		{ intake: 10, expected: [12, 13, 14], target: [14, 15, 16], critical: [9, 9.5, 10] },
		{ intake: 20, expected: [22, 23, 24], target: [24, 26, 27], critical: [19, 20, 21] }
	]
};
const validated = validateExpectedTable(rawTable, 'test');
const table = (validated.ok ? validated.value : null) as ExpectedTable;

describe('expectedScore — licensed table (linear between intake rows)', () => {
	it.each([
		{ intake: 10, session: 2, expected: 12, target: 14, critical: 9, extrapolated: false },
		{ intake: 20, session: 3, expected: 23, target: 26, critical: 20, extrapolated: false },
		// halfway: 12 + 0.5 × (22 − 12) = 17; 14 + 0.5 × 10 = 19; 9 + 0.5 × 10 = 14
		{ intake: 15, session: 2, expected: 17, target: 19, critical: 14, extrapolated: false },
		// a quarter at session 3: 13 + 0.25 × 10 = 15.5; 15 + 0.25 × 11 = 17.75; 9.5 + 0.25 × 10.5 = 12.125
		{ intake: 12.5, session: 3, expected: 15.5, target: 17.75, critical: 12.125, extrapolated: false },
		// session 4 is not a column: the last column at or before it (3) is used
		{ intake: 10, session: 4, expected: 13, target: 15, critical: 9.5, extrapolated: false },
		// beyond the table: last column (5)
		{ intake: 20, session: 30, expected: 24, target: 27, critical: 21, extrapolated: false },
		// below / above the rows: nearest row, marked extrapolated
		{ intake: 5, session: 2, expected: 12, target: 14, critical: 9, extrapolated: true },
		{ intake: 35, session: 2, expected: 22, target: 24, critical: 19, extrapolated: true },
		{ intake: 35, session: 1, expected: 35, target: 35, critical: 35, extrapolated: true }
	])('intake $intake, session $session → $expected', ({ intake, session, ...want }) => {
		const result = expectedScore(table, intake, session);
		expect(result).toMatchObject({ ok: true, source: 'table', extrapolated: want.extrapolated });
		if (!result.ok) return;
		expect(result.expected).toBeCloseTo(want.expected, 9);
		expect(result.target).toBeCloseTo(want.target, 9);
		expect(result.critical).toBeCloseTo(want.critical, 9);
	});

	it('refuses a session before the first column', () => {
		expect(expectedScore({ ...table, sessions: [3, 4, 5] }, 15, 2)).toEqual({ ok: false, error: 'session-before-table' });
	});

	it('refuses a table without rows', () => {
		expect(expectedScore({ ...table, rows: [] }, 15, 2)).toEqual({ ok: false, error: 'session-before-table' });
	});
});

describe('expectedScore keeps the lines in the range and in order (docs/clinical/change.md)', () => {
	const steep: FittedModel = {
		...model,
		// Intake 38 at session 20: 4 + 0.8·38 + (3 − 0.05·38)·ln 20 = 34.4 + 1.1 × 2.995732 = 37.6953.
		bands: [
			// A band whose own target offset came out below 0 would invert target and expected;
			// a critical offset above 0 would put the critical line over the expected one.
			{ session: 2, ratings: 500, successfulRatings: 200, target: -1, critical: 0.5, targetFrom: 2, criticalFrom: 2 },
			{ session: 3, ratings: 400, successfulRatings: 150, target: 4, critical: -2.2, targetFrom: 3, criticalFrom: 3 }
		]
	};
	it.each([
		// 37.6953 + 4 = 41.6953 → kept at the top of the range, 40.
		{ intake: 38, session: 20, expected: 37.6953, target: 40, critical: 35.4953 },
		// Intake 45 is impossible on 0–40 but a pack could extrapolate: 4 + 36 + (3 − 2.25)·ln 3 = 40.824 → 40.
		{ intake: 45, session: 3, expected: 40, target: 40, critical: 38.624 },
		// Session 2, intake 16: expected 18.3249; target offset −1 → the expected line; critical +0.5 → the expected line.
		{ intake: 16, session: 2, expected: 18.3249, target: 18.3249, critical: 18.3249 }
	])('intake $intake, session $session → $critical ≤ $expected ≤ $target, all in 0–40', ({ intake, session, expected, target, critical }) => {
		const result = expectedScore(steep, intake, session);
		if (!result.ok) throw new Error('not ok');
		expect(result.expected).toBeCloseTo(expected, 3);
		expect(result.target).toBeCloseTo(target, 3);
		expect(result.critical).toBeCloseTo(critical, 3);
		expect(result.critical <= result.expected && result.expected <= result.target).toBe(true);
	});
});
