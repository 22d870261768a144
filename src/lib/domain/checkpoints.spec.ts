import { describe, expect, it } from 'vitest';
import { checkpoints } from './checkpoints';
import { CHECKPOINT_CHANGE_APPROACH_SESSION, CHECKPOINT_DISCUSS_SESSION, OUTCOME_RELIABLE_CHANGE } from './clinical-constants';
import { type HistoryRow, buildHistory } from '../../../tests/support/history-builder';

// docs/clinical/change.md: no reliable improvement by session 3 → discuss; by 6 → change approach; rci 5 (docs/clinical/measures.md)
const config = { discussSession: CHECKPOINT_DISCUSS_SESSION, changeApproachSession: CHECKPOINT_CHANGE_APPROACH_SESSION, rci: OUTCOME_RELIABLE_CHANGE };
const o = (total: number | null): HistoryRow => [total, 38];

describe('checkpoints — improvement checkpoints', () => {
	it.each([
		{ name: 'empty history', rows: [] as HistoryRow[], discuss: { status: 'pending', evaluatedAt: null, change: null } },
		{ name: 'one rating', rows: [o(17)], discuss: { status: 'pending', evaluatedAt: null, change: null } },
		// 17 → 19 → 21: +4 < 5 at session 3 → discuss
		{ name: '+4 at session 3', rows: [o(17), o(19), o(21)], discuss: { status: 'triggered', evaluatedAt: 3, change: 4 } },
		// 17 → 22: +5 = rci counts as reliable (≥ convention)
		{ name: '+5 at session 3', rows: [o(17), o(18), o(22)], discuss: { status: 'improved', evaluatedAt: 3, change: 5 } },
		// rating missed at 3, given at 4: judged at 4 (20 − 17 = 3)
		{ name: 'missed at 3, judged at 4', rows: [o(17), o(18), o(null), o(20)], discuss: { status: 'triggered', evaluatedAt: 4, change: 3 } },
		// reached session 3 but no rating since: not interpolated from session 2
		{ name: 'no rating at or after 3', rows: [o(17), o(25), o(null)], discuss: { status: 'missing-rating', evaluatedAt: null, change: null } },
		{ name: 'no intake rating', rows: [o(null), o(18), o(25)], discuss: { status: 'no-intake', evaluatedAt: null, change: null } },
		// a no-show does not count as session 3: last attended is 2 → pending
		{ name: 'no-show at 3', rows: [o(17), o(18), 'no_show' as const], discuss: { status: 'pending', evaluatedAt: null, change: null } }
	])('$name → discuss $discuss.status', ({ rows, discuss }) => {
		expect(checkpoints(buildHistory(rows), config).discuss).toEqual({ session: 3, ...discuss });
	});

	it.each([
		// 17 → 21.9 at 6: +4.9 → change approach
		{ rows: [o(17), o(18), o(20), o(20), o(21), o(21.9)], status: 'triggered', change: 4.9 },
		// 17 → 22 at 6: +5 → improved
		{ rows: [o(17), o(18), o(20), o(20), o(21), o(22)], status: 'improved', change: 5 },
		{ rows: [o(17), o(18), o(20), o(20), o(21)], status: 'pending', change: null }
	])('change-approach at session 6: $status', ({ rows, status, change }) => {
		expect(checkpoints(buildHistory(rows), config).changeApproach).toMatchObject({ session: 6, status, change });
	});

	it('takes the session numbers from configuration', () => {
		// checkpoint at 2: 17 → 19 is +2 → triggered
		const result = checkpoints(buildHistory([o(17), o(19)]), { ...config, discussSession: 2 });
		expect(result.discuss).toEqual({ session: 2, status: 'triggered', evaluatedAt: 2, change: 2 });
	});
});

describe('checkpoints — deterioration (review now)', () => {
	it.each([
		{ name: 'no intake', rows: [o(null), o(10)], expected: { status: 'no-intake', firstSession: null, latestDeteriorated: false } },
		{ name: 'only intake', rows: [o(20)], expected: { status: 'pending', firstSession: null, latestDeteriorated: false } },
		// 20 → 15.1: −4.9 → clear
		{ name: '−4.9', rows: [o(20), o(15.1)], expected: { status: 'clear', firstSession: null, latestDeteriorated: false } },
		// 20 → 15: −5 → triggered at 2, still there
		{ name: '−5', rows: [o(20), o(15)], expected: { status: 'triggered', firstSession: 2, latestDeteriorated: true } },
		// 20 → 14 → 19: deteriorated at 2, recovered by 3
		{ name: 'dip and back', rows: [o(20), o(14), o(19)], expected: { status: 'triggered', firstSession: 2, latestDeteriorated: false } }
	])('$name', ({ rows, expected }) => {
		expect(checkpoints(buildHistory(rows), config).deterioration).toEqual(expected);
	});
});
