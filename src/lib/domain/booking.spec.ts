import { describe, expect, it } from 'vitest';
import { clinicInstant, clinicWallClock, isCalendarDate, isClockTime, MAX_SERIES_SESSIONS, seriesDates } from './booking';

describe('series dates', () => {
	it.each([
		// 1 Dec 2026 is a Tuesday; weekly: +7 days each.
		{ name: 'three weekly', first: '2026-12-01', repeat: 'weekly' as const, end: { kind: 'count' as const, sessions: 3 }, dates: ['2026-12-01', '2026-12-08', '2026-12-15'] },
		// Fortnightly over the new year: 29 Dec + 14 = 12 Jan.
		{ name: 'fortnightly over new year', first: '2026-12-29', repeat: 'fortnightly' as const, end: { kind: 'count' as const, sessions: 2 }, dates: ['2026-12-29', '2027-01-12'] },
		// Until 22 Dec inclusive: 1, 8, 15, 22.
		{
			name: 'weekly until a date (inclusive)',
			first: '2026-12-01',
			repeat: 'weekly' as const,
			end: { kind: 'until' as const, date: '2026-12-22' },
			dates: ['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22']
		},
		// Until 21 Dec: the 22nd is past it.
		{ name: 'until a date between sessions', first: '2026-12-01', repeat: 'weekly' as const, end: { kind: 'until' as const, date: '2026-12-21' }, dates: ['2026-12-01', '2026-12-08', '2026-12-15'] },
		{ name: 'a single appointment', first: '2026-12-01', repeat: 'none' as const, end: null, dates: ['2026-12-01'] }
	])('$name', ({ first, repeat, end, dates }) => {
		expect(seriesDates(first, repeat, end, '2026-11-30')).toEqual({ ok: true, dates });
	});

	it('refuses 10,000 sessions naming the limit, an end before the start, and two years ahead', () => {
		expect(seriesDates('2026-12-01', 'weekly', { kind: 'count', sessions: 10_000 }, '2026-11-30')).toEqual({ ok: false, reason: 'too_many', max: MAX_SERIES_SESSIONS });
		expect(seriesDates('2026-12-01', 'weekly', { kind: 'until', date: '2026-11-30' }, '2026-11-30')).toEqual({ ok: false, reason: 'end_before_start' });
		// 104 weekly sessions from 1 Dec 2026 end on 22 Nov 2028, past 30 Nov 2026 + 730 days (30 Nov 2028)? 103 weeks = 721 days: 22 Nov 2028, inside.
		expect(seriesDates('2026-12-01', 'weekly', { kind: 'count', sessions: 104 }, '2026-11-30').ok).toBe(true);
		// Fortnightly, 104 sessions: 103 × 14 = 1,442 days, far past the horizon.
		expect(seriesDates('2026-12-01', 'fortnightly', { kind: 'count', sessions: 104 }, '2026-11-30')).toMatchObject({ ok: false, reason: 'beyond_horizon' });
		// Until a date ten years on is more than 104 weekly sessions.
		expect(seriesDates('2026-12-01', 'weekly', { kind: 'until', date: '2036-12-01' }, '2026-11-30')).toEqual({ ok: false, reason: 'too_many', max: MAX_SERIES_SESSIONS });
	});
});

describe('Oslo wall clock', () => {
	it.each([
		// Summer time (UTC+2), winter time (UTC+1).
		['2026-07-01', '10:00', '2026-07-01T08:00:00.000Z'],
		['2026-12-01', '10:00', '2026-12-01T09:00:00.000Z'],
		// The hour repeated in autumn (25 Oct 2026, 03:00 → 02:00): 02:30 is the first of the two, UTC+2.
		['2026-10-25', '02:30', '2026-10-25T00:30:00.000Z'],
		// Midnight that night: still UTC+2.
		['2026-10-25', '00:00', '2026-10-24T22:00:00.000Z'],
		// The day after: UTC+1.
		['2026-10-26', '00:00', '2026-10-25T23:00:00.000Z'],
		// The skipped hour in spring (29 Mar 2026, 02:00 → 03:00) is read as the hour after.
		['2026-03-29', '02:30', '2026-03-29T01:30:00.000Z']
	])('%s %s is %s', (date, time, iso) => {
		expect(clinicInstant(date, time).toISOString()).toBe(iso);
	});

	it('reads an instant back as the same wall clock', () => {
		expect(clinicWallClock(clinicInstant('2026-12-08', '14:05'))).toEqual({ date: '2026-12-08', time: '14:05' });
		// 23:30 UTC on 23 Nov is already the 24th in Oslo.
		expect(clinicWallClock(new Date('2026-11-23T23:30:00Z')).date).toBe('2026-11-24');
	});

	it('knows real dates and times', () => {
		expect([isCalendarDate('2026-02-28'), isCalendarDate('2026-02-31'), isCalendarDate('2026-2-1'), isCalendarDate('9999-12-31')]).toEqual([true, false, false, true]);
		expect([isClockTime('09:05'), isClockTime('24:00'), isClockTime('9:05'), isClockTime('12:60')]).toEqual([true, false, false, false]);
	});
});
