import { describe, expect, it } from 'vitest';
import { addMonths, followUpPoints, followUpState, inSendWindow } from './follow-up';

describe('addMonths', () => {
	it.each([
		['2026-12-04', 1, '2027-01-04'],
		['2026-12-04', 6, '2027-06-04'],
		// No 31 February: the month's last day (2027 is no leap year).
		['2027-01-31', 1, '2027-02-28'],
		['2027-08-31', 3, '2027-11-30']
	])('%s plus %i months is %s', (day, months, expected) => {
		expect(addMonths(day, months)).toBe(expected);
	});
});

describe('followUpPoints', () => {
	it('gives the configured months after the end, earliest first', () => {
		expect(followUpPoints('2026-12-04', [6, 1, 3], null)).toEqual([
			{ months: 1, dueOn: '2027-01-04' },
			{ months: 3, dueOn: '2027-03-04' },
			{ months: 6, dueOn: '2027-06-04' }
		]);
	});
	it("adds the discharge plan's own date, unless it is on a configured day or not after the end", () => {
		expect(followUpPoints('2026-12-04', [1], '2027-02-15')).toEqual([
			{ months: 1, dueOn: '2027-01-04' },
			{ months: null, dueOn: '2027-02-15' }
		]);
		expect(followUpPoints('2026-12-04', [1], '2027-01-04')).toHaveLength(1);
		expect(followUpPoints('2026-12-04', [1], '2026-12-04')).toHaveLength(1);
	});
	it('gives none when the service has no follow-up', () => {
		expect(followUpPoints('2026-12-04', [], null)).toEqual([]);
	});
});

describe('followUpState', () => {
	const now = new Date('2027-01-05T10:00:00Z');
	const link = (expiresAt: string, withdrawnAt: string | null = null) => ({ expiresAt: new Date(expiresAt), withdrawnAt: withdrawnAt === null ? null : new Date(withdrawnAt) });
	it.each([
		['planned: its day has not come', { dueOn: '2027-02-04', answeredAt: null }, null, 'planned'],
		['due: its day came, nothing sent', { dueOn: '2027-01-04', answeredAt: null }, null, 'due'],
		// FOLLOW_UP_DAYS = 4: sendable on 4 January and the three days after it, not on the fifth.
		['expired: never sent in its 4 days', { dueOn: '2027-01-01', answeredAt: null }, null, 'expired'],
		['sent: its link is open', { dueOn: '2027-01-04', answeredAt: null }, link('2027-01-08T10:00:00Z'), 'sent'],
		['expired: its link closed unanswered', { dueOn: '2026-12-28', answeredAt: null }, link('2027-01-01T10:00:00Z'), 'expired'],
		['answered wins', { dueOn: '2026-12-28', answeredAt: new Date('2026-12-29T10:00:00Z') }, link('2027-01-01T10:00:00Z'), 'answered']
	] as const)('%s', (_, point, l, expected) => {
		expect(followUpState(point, l, '2027-01-05', now)).toBe(expected);
	});
	it('keeps the send window to the days a link would be open', () => {
		expect([inSendWindow('2027-01-04', '2027-01-04'), inSendWindow('2027-01-04', '2027-01-07'), inSendWindow('2027-01-04', '2027-01-08'), inSendWindow('2027-01-04', '2027-01-03')]).toEqual([
			true,
			true,
			false,
			false
		]);
	});
});
