import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildHistory } from '../../../tests/support/history-builder';
import { validateExpectedTable, type ExpectedTable } from '$lib/domain/expected-table';
import type { FittedModel } from '$lib/domain/trajectory-model';
import { whyNumbers } from './why';

// The test pack's licensed table: rows for intakes 10, 20 and 30; columns for sessions 2, 3 and 4.
const raw: unknown = JSON.parse(readFileSync('tests/fixtures/packs/sample-licensed/tables/sample-outcome-expected.json', 'utf8'));
const validated = validateExpectedTable(raw, 'sample-outcome-expected.json');
const table = (validated.ok ? validated.value : null) as ExpectedTable;

// mean = (2 + 1·intake) + (3 + 0·intake)·ln(session); target +2, critical −4 in every band.
const fitted = {
	kind: 'fitted',
	method: 'ols',
	mixed: null,
	totalRange: { min: 0, max: 40 },
	coefficients: { g00: 2, g01: 1, g10: 3, g11: 0 },
	intakeRange: { min: 10, max: 30 },
	bands: [{ session: 2, ratings: 20, successfulRatings: 10, target: 2, critical: -4, targetFrom: 2, criticalFrom: 2 }]
} as FittedModel;

describe('whyNumbers', () => {
	it('reads the next session from the table row of an intake on a row', () => {
		// Two sessions so far → next is session 3 → column 3 of row 10: 13.5 / 16 / 9.
		const w = whyNumbers(
			buildHistory([
				[10, 38],
				[12, 38]
			]),
			table
		);
		expect(w).toEqual({ intake: 10, next: { session: 3, expected: 13.5, target: 16, critical: 9, extrapolated: false }, row: { kind: 'row', intake: 10, column: 3 } });
	});

	it('reads between two rows for an intake between them, and uses the last column for later sessions', () => {
		// Intake 15, half-way: at session 4 (the last column, also for session 6) (14.5 + 23.5) / 2 = 19.
		const w = whyNumbers(buildHistory([[15, 38], [16, 38], [17, 38], 'no_show', [18, 38], [19, 38]]), table);
		expect(w.next).toEqual({ session: 6, expected: 19, target: 21.5, critical: 14, extrapolated: false });
		expect(w.row).toEqual({ kind: 'between', lo: 10, hi: 20, column: 4 });
	});

	it('says when the intake lies outside the table (the nearest row is used)', () => {
		const w = whyNumbers(buildHistory([[35, 38]]), table);
		expect(w.next).toMatchObject({ session: 2, expected: 30.5, extrapolated: true });
		expect(w.row).toEqual({ kind: 'row', intake: 30, column: 2 });
	});

	it('gives the fitted model’s numbers and no table row', () => {
		// Intake 20, next session 2: mean 2 + 20 + 3·ln 2 = 24.08; target 26.08; critical 20.08.
		const w = whyNumbers(buildHistory([[20, 38]]), fitted);
		expect(w.row).toBeNull();
		expect(w.next!.expected).toBeCloseTo(24.079, 3);
		expect(w.next!.target).toBeCloseTo(26.079, 3);
		expect(w.next!.critical).toBeCloseTo(20.079, 3);
	});

	it('has no expected numbers without a model or without an intake rating', () => {
		expect(
			whyNumbers(
				buildHistory([
					[20, 38],
					[22, 38]
				]),
				null
			)
		).toEqual({ intake: 20, next: null, row: null });
		expect(
			whyNumbers(
				buildHistory([
					[null, 38],
					[22, 38]
				]),
				table
			)
		).toEqual({ intake: null, next: null, row: null });
	});
});
