import { describe, expect, it } from 'vitest';
import { byReliableChange, monthlyTrend, monthOf, monthsBetween } from './monthly';
import { buildHistory } from '../../../../tests/support/history-builder';

describe('monthOf and monthsBetween', () => {
	it('takes the Oslo month near a month end', () => {
		// 23:30 UTC on 31 March is 01:30 on 1 April in Oslo (summer time, UTC+2); 21:59 UTC is still March.
		expect(monthOf('2026-03-31T23:30:00.000Z')).toBe('2026-04');
		expect(monthOf('2026-03-31T21:59:00.000Z')).toBe('2026-03');
		// 22:30 UTC on 31 January is 23:30 in Oslo (winter, UTC+1): still January.
		expect(monthOf('2026-01-31T22:30:00.000Z')).toBe('2026-01');
		expect(monthOf('2026-05-14')).toBe('2026-05');
	});

	it('lists every month across a year end', () => {
		expect(monthsBetween('2025-11-20', '2026-02-03')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
		expect(monthsBetween('2026-02-01', '2026-02-28')).toEqual(['2026-02']);
	});
});

describe('monthlyTrend', () => {
	it('counts sessions, rated sessions, endings and drop-outs per month', () => {
		const trend = monthlyTrend(
			[
				// Weekly from 2026-01-26: 26 Jan (both), 2 Feb (no alliance), 9 Feb no-show, 16 Feb (both). Dropped out 20 Feb.
				{ history: buildHistory([[15, 38], [16, null], 'no_show', [17, 37]], { start: '2026-01-26' }), ending: 'dropout', endDate: '2026-02-20' },
				// 23 Feb and 2 Mar, both rated; ended as planned 2 Mar.
				{
					history: buildHistory(
						[
							[15, 38],
							[20, 38]
						],
						{ start: '2026-02-23' }
					),
					ending: 'planned_completion',
					endDate: '2026-03-02'
				},
				// A session before the period (29 Dec) and an ending after it: neither counted.
				{ history: buildHistory([[15, 38]], { start: '2025-12-29' }), ending: 'dropout', endDate: '2026-04-02' }
			],
			'2026-01-01',
			'2026-03-31'
		);
		expect(trend).toEqual([
			{ month: '2026-01', attended: 1, rated: 1, ended: 0, dropouts: 0 },
			// 2 Feb, 16 Feb, 23 Feb attended; 16 and 23 rated fully
			{ month: '2026-02', attended: 3, rated: 2, ended: 1, dropouts: 1 },
			{ month: '2026-03', attended: 1, rated: 1, ended: 1, dropouts: 0 }
		]);
	});
});

describe('byReliableChange', () => {
	it('puts recovered and improved together', () => {
		expect(byReliableChange({ recovered: 4, improved: 6, unchanged: 9, deteriorated: 2 })).toEqual({ improved: 10, 'no-change': 9, deteriorated: 2 });
	});
});
