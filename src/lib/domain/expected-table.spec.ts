import { describe, expect, it } from 'vitest';
import { validateExpectedTable } from './expected-table';

const SOURCE = 'pack "kor-nb" (tables/ors.json)';
/** Two intake rows × two sessions; invented numbers, each row with critical ≤ target. */
const raw = {
	id: 'ors-expected',
	instrument: { id: 'ors', version: 2 },
	source: 'Example Licensing AS (invented numbers)',
	sessions: [2, 4],
	rows: [
		{ intake: 12, expected: [14, 16], target: [16, 18], critical: [11, 12] },
		{ intake: 24, expected: [25, 27], target: [27, 29], critical: [22, 24] }
	]
};

/** A deep copy of `raw`, changed by `edit`. */
function edited(edit: (t: any) => void): unknown {
	const copy = structuredClone(raw);
	edit(copy);
	return copy;
}

describe('validateExpectedTable', () => {
	it('accepts a sound table and fills in kind', () => {
		expect(validateExpectedTable(raw, SOURCE)).toEqual({ ok: true, value: { kind: 'table', ...raw } });
	});

	it('accepts a critical line equal to the target (must not exceed it)', () => {
		expect(
			validateExpectedTable(
				edited((t) => (t.rows[0].critical[0] = 16)),
				SOURCE
			).ok
		).toBe(true);
	});

	it.each([
		{ edit: (t: any) => (t.rows[1].intake = 12), error: 'rows[1].intake must be greater than the row before' },
		{ edit: (t: any) => (t.rows[1].intake = 11.9), error: 'rows[1].intake must be greater than the row before' },
		{ edit: (t: any) => t.rows[1].expected.push(30), error: 'rows[1].expected must have 2 values, one per session' },
		// 17 > target 16 at session 2
		{ edit: (t: any) => (t.rows[0].critical[0] = 17), error: 'rows[0].critical[0] must not exceed the target' },
		{ edit: (t: any) => (t.sessions = [4, 2]), error: 'sessions[1] must be greater than the one before' },
		// session 1 is the intake itself, never a column
		{ edit: (t: any) => (t.sessions[0] = 1), error: 'sessions[0]: Too small: expected number to be >=2' },
		{ edit: (t: any) => (t.rows = []), error: 'rows: Too small: expected array to have >=1 items' },
		{ edit: (t: any) => (t.instrument.version = 1.5), error: 'instrument.version: Invalid input: expected int, received number' },
		{ edit: (t: any) => (t.kind = 'model'), error: 'kind: Invalid input: expected "table"' },
		{ edit: (t: any) => (t.licence = 'x'), error: 'the top level has unknown field(s) "licence"' },
		{ edit: (t: any) => delete t.instrument, error: 'instrument is missing' }
	])('$error', ({ edit, error }) => {
		expect(validateExpectedTable(edited(edit), SOURCE)).toEqual({ ok: false, errors: [`${SOURCE}: ${error}`] });
	});

	it('lists every problem, each naming the source and the field', () => {
		const result = validateExpectedTable(
			edited((t) => ((t.id = ''), t.rows[0].target.pop())),
			SOURCE
		);
		expect(result).toEqual({
			ok: false,
			errors: [`${SOURCE}: id: Too small: expected string to have >=1 characters`, `${SOURCE}: rows[0].target must have 2 values, one per session`]
		});
	});
});
