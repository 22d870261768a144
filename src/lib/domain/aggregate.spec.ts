import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate';
import type { Episode } from './episode';
import { type HistoryRow, buildHistory } from '../../../tests/support/history-builder';

const thresholds = { cutoff: 25, rci: 5 }; // docs/clinical/measures.md, adults
const episode = (rows: HistoryRow[], ending: Episode['ending']): Episode => ({ history: buildHistory(rows), ending, thresholds });

// Four used episodes (closed, intake + later rating):
//  A 16 → 26  +10 recovered (16 < 25 ≤ 26)      sessions: 3 attended, all with both ratings
//  B 12 → 20   +8 improved (20 < 25)            3 attended, one without alliance
//  C 20 → 22   +2 unchanged                     2 attended + 1 no-show
//  D 22 → 16   −6 deteriorated                  2 attended
// Excluded (closed): E no intake rating; F intake only. Open: G.
const episodes: Episode[] = [
	episode(
		[
			[16, 38],
			[20, 38],
			[26, 39]
		],
		'planned_completion'
	),
	episode(
		[
			[12, 36],
			[15, null],
			[20, 37]
		],
		'planned_completion'
	),
	episode([[20, 30], 'no_show', [22, 31]], 'dropout'),
	episode(
		[
			[22, 35],
			[16, 33]
		],
		'dropout'
	),
	episode(
		[
			[null, 38],
			[25, 38]
		],
		'transfer'
	),
	episode([[18, 36]], 'dropout'),
	episode(
		[
			[10, 30],
			[30, 30]
		],
		null
	)
];

describe('aggregate', () => {
	const result = aggregate(episodes, { minEpisodesForComparison: 5 });

	it('counts used, open and excluded episodes with reasons', () => {
		expect(result).toMatchObject({
			n: 7,
			open: 1,
			used: 4,
			excluded: { total: 2, byReason: { 'no-sessions': 0, 'no-intake-rating': 1, 'fewer-than-two-ratings': 1 } },
			enoughForComparison: false
		});
	});

	it('computes means, SD and effect size', () => {
		// mean intake (16 + 12 + 20 + 22) / 4 = 17.5
		expect(result.meanIntake).toBe(17.5);
		// mean change (10 + 8 + 2 − 6) / 4 = 3.5
		expect(result.meanChange).toBe(3.5);
		// SD: deviations −1.5, −5.5, 2.5, 4.5 → squares 2.25 + 30.25 + 6.25 + 20.25 = 59 → √(59 / 3) = 4.4347
		expect(result.sdIntake).toBeCloseTo(4.4347, 4);
		// effect size 3.5 / 4.4347 = 0.7892
		expect(result.effectSize).toBeCloseTo(0.7892, 4);
	});

	it('gives counts and shares of the change classes', () => {
		expect(result.counts).toEqual({ recovered: 1, improved: 1, unchanged: 1, deteriorated: 1 });
		expect(result.shares).toEqual({ recovered: 0.25, improved: 0.25, unchanged: 0.25, deteriorated: 0.25 });
	});

	it('computes drop-out rate and completeness', () => {
		// drop-outs C, D, F of 6 closed = 0.5
		expect(result.dropOutRate).toBe(0.5);
		// attended sessions: A3 + B3 + C2 + D2 + E2 + F1 + G2 = 15; with both ratings: 3 + 2 + 2 + 2 + 1 + 1 + 2 = 13
		expect(result.completeness).toBeCloseTo(13 / 15, 10);
	});

	it('answers nulls for an empty list', () => {
		expect(aggregate([])).toEqual({
			n: 0,
			open: 0,
			used: 0,
			excluded: { total: 0, byReason: { 'no-sessions': 0, 'no-intake-rating': 0, 'fewer-than-two-ratings': 0 } },
			meanIntake: null,
			meanChange: null,
			sdIntake: null,
			effectSize: null,
			counts: { recovered: 0, improved: 0, unchanged: 0, deteriorated: 0 },
			shares: null,
			dropOutRate: null,
			completeness: null,
			enoughForComparison: true
		});
	});

	it('has no SD or effect size with one used episode, and none with equal intakes', () => {
		const one = aggregate([episodes[0]!, episode(['no_show'], 'dropout')]);
		expect(one).toMatchObject({ used: 1, meanIntake: 16, sdIntake: null, effectSize: null });
		expect(one.excluded.byReason['no-sessions']).toBe(1);
		const same = aggregate([
			episode(
				[
					[16, 38],
					[20, 38]
				],
				'planned_completion'
			),
			episode(
				[
					[16, 38],
					[18, 38]
				],
				'planned_completion'
			)
		]);
		expect(same).toMatchObject({ sdIntake: 0, effectSize: null, enoughForComparison: true });
	});
});
