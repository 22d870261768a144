import { describe, expect, it } from 'vitest';
import { canReopen, daysBetween, earlierDropout, endingProblem, feedbackUse, isCalendarDate, REOPEN_WINDOW_DAYS, transitionForRisk } from './episode-course';

describe('calendar dates', () => {
	it.each([
		['2026-02-28', true],
		['2028-02-29', true],
		['2026-02-29', false],
		['2026-02-31', false],
		['2026-13-01', false],
		['9999-12-31', false],
		['1899-12-31', false],
		['2026-1-01', false],
		['2026-11-23T10:00:00Z', false]
	])('%s → %s', (value, ok) => expect(isCalendarDate(value)).toBe(ok));

	it('counts whole days across a month and a DST change', () => {
		// 2026-10-25 is the night clocks go back in Oslo; dates are calendar days, not hours.
		expect([daysBetween('2026-10-01', '2026-11-23'), daysBetween('2026-11-23', '2026-11-01')]).toEqual([53, -22]);
	});
});

describe('reopening within the window', () => {
	it.each([
		['2026-11-23', true], // ended today
		['2026-10-25', true], // 29 days
		['2026-10-24', false], // 30 days: a new episode
		['2026-11-24', false] // an end in the future is not an ended episode
	])('ended %s, today 2026-11-23 → %s', (end, ok) => expect(canReopen(end, '2026-11-23')).toBe(ok));
	it('is 30 days', () => expect(REOPEN_WINDOW_DAYS).toBe(30));
	it('an open episode is not reopened', () => expect(canReopen(null, '2026-11-23')).toBe(false));
});

describe('feedback used regularly', () => {
	const s = (status: string, ...kinds: string[]) => ({ status, kinds });
	it.each([
		// 3 of 4 attended with both = 0.75, at the default share, with 4 ≥ 3 sessions: regular.
		[
			[s('attended', 'outcome', 'alliance'), s('attended', 'outcome', 'alliance'), s('attended', 'alliance', 'outcome'), s('attended', 'outcome'), s('no_show')],
			{ attended: 4, withBoth: 3, share: 0.75, regular: true }
		],
		// 2 of 3 = 0.67 < 0.75.
		[[s('attended', 'outcome', 'alliance'), s('attended', 'outcome', 'alliance'), s('attended')], { attended: 3, withBoth: 2, share: 2 / 3, regular: false }],
		// Every session rated but only two sessions: too few to call regular.
		[[s('attended', 'outcome', 'alliance'), s('attended', 'outcome', 'alliance')], { attended: 2, withBoth: 2, share: 1, regular: false }],
		[[], { attended: 0, withBoth: 0, share: 0, regular: false }]
	])('%#', (sessions, expected) => expect(feedbackUse(sessions)).toEqual(expected));
});

describe('the earlier drop-out', () => {
	it('is the latest episode that ended in drop-out', () => {
		const eps = [
			{ id: 1, startDate: '2024-01-01', actualEnd: '2024-03-01', endReason: 'dropout' as const },
			{ id: 2, startDate: '2025-01-01', actualEnd: '2025-06-01', endReason: 'dropout' as const },
			{ id: 3, startDate: '2025-09-01', actualEnd: '2026-01-01', endReason: 'planned_completion' as const },
			{ id: 4, startDate: '2026-02-01', actualEnd: null, endReason: null }
		];
		expect(earlierDropout(eps)?.id).toBe(2);
		expect(earlierDropout(eps.slice(2))).toBeNull();
	});
});

describe('the transition date the risk rule reads', () => {
	it.each([
		[['2026-10-01', '2026-11-30'], null, '2026-11-30'], // 7 days ahead is nearer than 53 behind
		[['2026-11-20', '2026-12-30'], '2026-11-24', '2026-11-20'], // recorded wins over the checklist
		[[], '2026-11-24', '2026-11-24'],
		[[], null, null]
	] as const)('%j, checklist %s → %s', (recorded, checklist, expected) => expect(transitionForRisk(recorded, checklist, '2026-11-23')).toBe(expected));
});

describe('an ending', () => {
	const ep = { startDate: '2026-06-01', plannedEnd: '2026-12-01' };
	const end = (over: object) => endingProblem(ep, { reason: 'dropout', endDate: '2026-11-20', lastAttendedDate: '2026-11-01', ...over }, '2026-11-23');
	it.each([
		[{}, null],
		[{ endDate: '2026-05-31' }, 'endDate-before-start'],
		[{ endDate: '2026-11-24' }, 'endDate-in-future'],
		[{ lastAttendedDate: null }, 'lastAttended-required'],
		[{ lastAttendedDate: '2026-11-21' }, 'lastAttended-after-end'],
		[{ lastAttendedDate: '2026-05-01' }, 'lastAttended-before-start'],
		[{ reason: 'planned_completion', lastAttendedDate: null }, null]
	])('%j → %s', (over, expected) => expect(end(over)).toBe(expected));
	it('a drop-out is before the planned end', () => {
		expect(endingProblem({ startDate: '2026-01-01', plannedEnd: '2026-11-01' }, { reason: 'dropout', endDate: '2026-11-20', lastAttendedDate: '2026-10-01' }, '2026-11-23')).toBe(
			'dropout-after-planned-end'
		);
	});
});
