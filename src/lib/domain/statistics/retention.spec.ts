import { describe, expect, it } from 'vitest';
import { retention } from './retention';

describe('retention (Kaplan–Meier)', () => {
	// Seven episodes, in weeks: drop-outs at 2, 2, 5; censored at 2 (planned end), 4 (transfer), 6, 6 (open).
	const steps = retention([
		{ days: 14, dropout: true },
		{ days: 20, dropout: true },
		{ days: 37, dropout: true },
		{ days: 16, dropout: false },
		{ days: 30, dropout: false },
		{ days: 42, dropout: false },
		{ days: 48, dropout: false }
	]);

	it('lists every week with the number at risk', () => {
		expect(steps.map((s) => s.week)).toEqual([0, 1, 2, 3, 4, 5, 6]);
		// 7 until week 2; after week 2 (2 drop-outs + 1 censored) 4; after week 4 (1 censored) 3; after week 5 (1 drop-out) 2
		expect(steps.map((s) => s.atRisk)).toEqual([7, 7, 7, 4, 4, 3, 2]);
	});

	it('estimates the share still in treatment, censored ties counted at risk', () => {
		// week 2: 1 × (1 − 2/7) = 5/7 = 0.7143 (the one censored in week 2 is at risk in it)
		// week 5: 5/7 × (1 − 1/3) = 10/21 = 0.4762; censorings change nothing
		const expected = [1, 1, 5 / 7, 5 / 7, 5 / 7, 10 / 21, 10 / 21];
		steps.forEach((s, i) => expect(s.retained).toBeCloseTo(expected[i]!, 12));
		expect(steps[6]).toMatchObject({ dropouts: 0, censored: 2 });
	});

	it('is empty without episodes and falls to 0 when all drop out', () => {
		expect(retention([])).toEqual([]);
		// 2 at risk, both drop out in week 0: 1 − 2/2 = 0
		expect(
			retention([
				{ days: 1, dropout: true },
				{ days: 3, dropout: true }
			])
		).toEqual([{ week: 0, atRisk: 2, dropouts: 2, censored: 0, retained: 0 }]);
	});
});
