import { describe, expect, it } from 'vitest';
import { ageBand, dose, median } from './volume';
import { buildHistory } from '../../../../tests/support/history-builder';

describe('volume and dose', () => {
	it('puts ages in the field’s bands', () => {
		expect([null, 0, 17, 18, 24, 25, 80].map(ageBand)).toEqual([null, 'under-18', 'under-18', '18-24', '18-24', '25-plus', '25-plus']);
	});

	it('counts sessions per episode and weeks to the last session', () => {
		const d = dose([
			// weekly from 2025-01-06: attended on weeks 0, 1 and 3 (week 2 a no-show) → 3 sessions, 3 weeks
			{ startDate: '2025-01-06', history: buildHistory([[16, 38], [18, 38], 'no_show', [20, 38]]) },
			// one session on the start day → 1 session, 0 weeks
			{ startDate: '2025-01-06', history: buildHistory([[20, 30]]) },
			// none attended → 0 sessions, no weeks
			{ startDate: '2025-01-06', history: buildHistory(['no_show']) }
		]);
		// sessions 3, 1, 0: mean 4/3, median 1; weeks (3 + 0) / 2 = 1.5
		expect(d.episodes).toBe(3);
		expect(d.meanSessions).toBeCloseTo(4 / 3, 10);
		expect(d.medianSessions).toBe(1);
		expect(d.meanWeeks).toBe(1.5);
		expect(dose([])).toEqual({ episodes: 0, meanSessions: null, medianSessions: null, meanWeeks: null });
	});

	it('takes the median of an even count as the mean of the middle two', () => {
		expect(median([4, 1, 3, 2])).toBe(2.5);
	});
});
