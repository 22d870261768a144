import { describe, expect, it } from 'vitest';
import { buildHistory } from '../../../tests/support/history-builder';
import { addDays, attendanceSince, changeSince, checkNextMeetingDate, checklistChanges, daysBetween, milestoneInterval, nextMeeting, PATHWAY_QUESTIONS } from './milestones';

describe('milestoneInterval', () => {
	it('is every fourth week unless configured', () => {
		expect(milestoneInterval('outpatient', {})).toEqual({ ok: true, days: 28 });
		expect(milestoneInterval('outpatient', { outpatient: 56 })).toEqual({ ok: true, days: 56 });
	});
	it('refuses an interval beyond the pathway minimum (8 weeks outpatient, 6 inpatient)', () => {
		expect(milestoneInterval('outpatient', { outpatient: 57 })).toEqual({ ok: false, max: 56 });
		expect(milestoneInterval('inpatient', { inpatient: 43 })).toEqual({ ok: false, max: 42 });
		expect(milestoneInterval('inpatient', { inpatient: 42 })).toEqual({ ok: true, days: 42 });
		expect(milestoneInterval('group', { group: 6 })).toEqual({ ok: false, max: 56 });
		expect(milestoneInterval('group', { group: 14.5 })).toEqual({ ok: false, max: 56 });
	});
});

describe('dates', () => {
	it('adds days across months and years', () => {
		expect(addDays('2026-12-20', 28)).toBe('2027-01-17');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(daysBetween('2026-11-23', '2026-11-20')).toBe(-3);
	});
});

describe('nextMeeting', () => {
	const base = { start: '2026-10-01', lastHeld: null, nextAgreed: null, planned: null, intervalDays: 28 };
	it('counts the interval from the start before any meeting', () => {
		expect(nextMeeting(base, '2026-10-10', 28)).toEqual({ date: '2026-10-29', source: 'interval', status: 'due' });
	});
	it('counts from the last held meeting, or takes the date it agreed', () => {
		expect(nextMeeting({ ...base, lastHeld: '2026-10-29' }, '2026-11-01', 14).date).toBe('2026-11-26');
		expect(nextMeeting({ ...base, lastHeld: '2026-10-29', nextAgreed: '2026-11-19' }, '2026-11-01', 28)).toMatchObject({ date: '2026-11-19', source: 'interval' });
	});
	it('takes a planned meeting first (one called early from a flag)', () => {
		expect(nextMeeting({ ...base, lastHeld: '2026-10-29', planned: '2026-11-05' }, '2026-11-01', 14)).toEqual({ date: '2026-11-05', source: 'planned', status: 'due' });
	});
	it('is overdue the day after its date, due on the day and up to the horizon, later beyond', () => {
		expect(nextMeeting(base, '2026-10-30', 14).status).toBe('overdue');
		expect(nextMeeting(base, '2026-10-29', 14).status).toBe('due');
		expect(nextMeeting(base, '2026-10-15', 14).status).toBe('due');
		expect(nextMeeting(base, '2026-10-14', 14).status).toBe('later');
	});
});

describe('changeSince', () => {
	// Sessions 1–5 with outcome totals; session 3 unrated.
	const history = buildHistory(
		[
			[15, 38],
			[18, 38],
			[null, 38],
			[21, 38],
			[24, 38]
		],
		{ start: '2026-10-01' }
	);
	const t = { cutoff: 25, rci: 5 };
	it('from the intake: 15 → 24 is reliable improvement not past the cutoff', () => {
		expect(changeSince(history, 1, t)).toEqual({ fromSession: 1, from: 15, latestSession: 5, latest: 24, change: 9, changeClass: 'improved' });
	});
	it('from the last meeting at session 3 (unrated): the rating before it, session 2', () => {
		expect(changeSince(history, 3, t)).toMatchObject({ fromSession: 2, from: 18, change: 6, changeClass: 'improved' });
	});
	it('from session 4: 21 → 24 is unchanged (3 < 5)', () => {
		expect(changeSince(history, 4, t)).toMatchObject({ change: 3, changeClass: 'unchanged' });
	});
	it('is null with nothing after the base', () => {
		expect(changeSince(history, 5, t)).toBeNull();
		expect(changeSince([], 1, t)).toBeNull();
	});
});

describe('attendanceSince', () => {
	const appts = [
		{ at: '2026-10-01T10:00:00Z', status: 'attended' },
		{ at: '2026-10-08T10:00:00Z', status: 'no_show' },
		{ at: '2026-10-15T10:00:00Z', status: 'attended' },
		{ at: '2026-10-22T10:00:00Z', status: 'late_cancellation' },
		{ at: '2026-10-29T10:00:00Z', status: 'cancelled' },
		{ at: '2026-11-05T10:00:00Z', status: 'scheduled' }
	];
	it('counts from the date (inclusive) to now', () => {
		expect(attendanceSince(appts, '2026-10-15', new Date('2026-11-01T00:00:00Z'))).toEqual({ attended: 1, noShow: 0, lateCancelled: 1, cancelled: 1 });
		expect(attendanceSince(appts, null, new Date('2026-11-01T00:00:00Z'))).toEqual({ attended: 2, noShow: 1, lateCancelled: 1, cancelled: 1 });
	});
});

describe('checklistChanges', () => {
	it('lists the factors whose answer changed; unanswered is unknown', () => {
		expect(checklistChanges({ a: 'no', b: 'yes' }, { a: 'yes', b: 'yes', c: 'unknown', d: 'no' })).toEqual([
			{ key: 'a', from: 'no', to: 'yes' },
			{ key: 'd', from: 'unknown', to: 'no' }
		]);
	});
});

describe('the pathway questions', () => {
	it('are the eight questions, in nb, nn and en', () => {
		expect(PATHWAY_QUESTIONS.map((q) => q.key)).toEqual(['useful', 'resources', 'followed-up', 'more-assessment', 'plan', 'municipal', 'children', 'peer']);
		for (const q of PATHWAY_QUESTIONS) expect(Object.keys(q.text).sort()).toEqual(['en', 'nb', 'nn']);
	});
});

describe('checkNextMeetingDate: the pathway limit (docs/clinical/dropout-and-milestones.md)', () => {
	it.each([
		// Outpatient: 56 days. 2026-12-02 + 56 = 2027-01-27 (29 days left in December + 27).
		{ setting: 'outpatient', next: '2027-01-27', expected: { ok: true, days: 56 } },
		{ setting: 'outpatient', next: '2027-01-28', expected: { ok: false, reason: 'beyond-limit', max: 56, latest: '2027-01-27' } },
		// Group follows the outpatient limit.
		{ setting: 'group', next: '2027-01-28', expected: { ok: false, reason: 'beyond-limit', max: 56, latest: '2027-01-27' } },
		// Inpatient: 42 days. 2026-12-02 + 42 = 2027-01-13 (29 + 13).
		{ setting: 'inpatient', next: '2027-01-13', expected: { ok: true, days: 42 } },
		{ setting: 'inpatient', next: '2027-01-14', expected: { ok: false, reason: 'beyond-limit', max: 42, latest: '2027-01-13' } },
		// The same day or earlier is not a next meeting.
		{ setting: 'inpatient', next: '2026-12-02', expected: { ok: false, reason: 'not-after', max: 42, latest: '2027-01-13' } },
		{ setting: 'outpatient', next: '2026-12-03', expected: { ok: true, days: 1 } }
	] as const)('$setting, held 2026-12-02, next $next', ({ setting, next, expected }) => {
		expect(checkNextMeetingDate(setting, '2026-12-02', next)).toEqual(expected);
	});
});
