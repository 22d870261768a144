import { describe, expect, it } from 'vitest';
import { type History, historyProblems, intakeScore, outcomeSeries } from './history';
import { buildHistory } from '../../../tests/support/history-builder';

describe('buildHistory', () => {
	it('numbers attended sessions; a missed appointment carries the next number', () => {
		const history = buildHistory([[17, 38], 'no_show', [21, null], 'late_cancellation', 'cancelled', [null, 35]]);
		expect(history.map((e) => [e.session, e.attendance, e.date])).toEqual([
			[1, 'attended', '2025-01-06'],
			[2, 'no_show', '2025-01-13'],
			[2, 'attended', '2025-01-20'],
			[3, 'late_cancellation', '2025-01-27'],
			[3, 'cancelled', '2025-02-03'],
			[3, 'attended', '2025-02-10']
		]);
	});

	it('splits a total over four items in tenths: 17.3 = 4.4 + 4.3 + 4.3 + 4.3', () => {
		const [entry] = buildHistory([[17.3, 36.2]], { start: '2025-03-01', intervalDays: 14 });
		expect(entry?.outcome).toEqual({
			instrumentId: 'stemme-outcome-adult',
			instrumentVersion: 1,
			total: 17.3,
			items: { self: 4.4, close: 4.3, daily: 4.3, overall: 4.3 }
		});
		// 36.2 → 362 tenths = 91 + 91 + 90 + 90
		expect(entry?.alliance?.items).toEqual({ heard: 9.1, goals: 9.1, approach: 9, overall: 9 });
	});
});

describe('outcomeSeries and intakeScore (nothing interpolated)', () => {
	it.each([
		{ name: 'empty', rows: [], series: [], intake: null },
		{ name: 'one rating', rows: [[17, 38]], series: [{ session: 1, total: 17 }], intake: 17 },
		{
			name: 'a gap stays a gap',
			rows: [[17, 38], [null, 38], 'no_show', [23, 39]],
			series: [
				{ session: 1, total: 17 },
				{ session: 3, total: 23 }
			],
			intake: 17
		},
		// the intake has no rating: no baseline, the later 20 is NOT used as intake
		{
			name: 'no intake rating',
			rows: [
				[null, 38],
				[20, 38]
			],
			series: [{ session: 2, total: 20 }],
			intake: null
		},
		// a no-show before the intake: the intake is the first attended session 1
		{ name: 'no-show before intake', rows: ['no_show', [15, 30]], series: [{ session: 1, total: 15 }], intake: 15 }
	] as const)('$name', ({ rows, series, intake }) => {
		const history = buildHistory(rows);
		expect(outcomeSeries(history)).toEqual(series);
		expect(intakeScore(history)).toBe(intake);
	});

	it('has no intake when the history starts after session 1', () => {
		const history: History = buildHistory([[20, 30]]).map((e) => ({ ...e, session: 2 }));
		expect(intakeScore(history)).toBeNull();
	});
});

describe('historyProblems', () => {
	const good = buildHistory([[17, 38], 'no_show', [21, null]]);
	it('finds none in a sound history', () => {
		expect(historyProblems(good)).toEqual([]);
	});
	it.each([
		{ name: 'decreasing numbers', edit: (h: any[]) => (h[2].session = 1), problem: 'entry 2: session 1 comes after session 2' },
		{ name: 'zero', edit: (h: any[]) => (h[0].session = 0), problem: 'entry 0: session must be a whole number from 1, got 0' },
		{ name: 'dates out of order', edit: (h: any[]) => (h[2].date = '2025-01-01'), problem: 'entry 2: date 2025-01-01 is before 2025-01-13' },
		{ name: 'attended twice', edit: (h: any[]) => (h[1] = { ...h[2], date: '2025-01-13', session: 2 }), problem: 'entry 2: session 2 is attended twice' },
		{ name: 'rating on a no-show', edit: (h: any[]) => (h[1].outcome = h[0].outcome), problem: 'entry 1: a session that did not take place has a rating' }
	])('$name', ({ edit, problem }) => {
		const history = structuredClone(good) as any[];
		edit(history);
		expect(historyProblems(history)).toContain(problem);
	});
});
