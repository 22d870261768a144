import { describe, expect, it } from 'vitest';
import { completeness } from './completeness';
import { buildHistory } from '../../../../tests/support/history-builder';

describe('completeness', () => {
	it('counts ratings, skipped feedback and missed appointments on worked histories', () => {
		const c = completeness([
			// 3 attended (one without alliance), 1 no-show, 1 cancelled in time (not due)
			buildHistory([[16, 38], 'no_show', [20, null], 'cancelled', [22, 36]]),
			// 2 attended: the first without an outcome, so only one outcome rating: fewer than two
			buildHistory([[null, 30], [18, 31], 'late_cancellation']),
			// nothing attended
			buildHistory(['no_show'])
		]);
		// due: 4 + 3 + 1 = 8; attended 3 + 2 = 5; missed: 1 + 1 + 1 = 3
		expect(c).toEqual({ due: 8, attended: 5, noShows: 3, withOutcome: 4, withAlliance: 4, skipped: 2, episodes: 3, twoOrMoreRatings: 1 });
	});
});
