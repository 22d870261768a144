import { describe, expect, it } from 'vitest';
import { afterSendAt, afterSendDue, beforeReminderAt, beforeSendAt, mayMessageToday, osloTime, retryDelayMs } from './remote-schedule';

describe('osloTime', () => {
	it('is UTC+1 in winter and UTC+2 in summer', () => {
		expect(osloTime('2026-12-03', 18).toISOString()).toBe('2026-12-03T17:00:00.000Z');
		expect(osloTime('2026-07-01', 18).toISOString()).toBe('2026-07-01T16:00:00.000Z');
	});
	it('follows the change to summer time (29 March 2026)', () => {
		expect(osloTime('2026-03-28', 18).toISOString()).toBe('2026-03-28T17:00:00.000Z');
		expect(osloTime('2026-03-29', 18).toISOString()).toBe('2026-03-29T16:00:00.000Z');
	});
});

describe('sending ahead', () => {
	it('sends the evening before at 18:00 Oslo time', () => {
		// 09:00 Oslo on 4 December.
		expect(beforeSendAt(new Date('2026-12-04T08:00:00Z')).toISOString()).toBe('2026-12-03T17:00:00.000Z');
	});
	it('counts the Oslo day of an appointment just after midnight', () => {
		// 00:30 Oslo on 4 December is 23:30 UTC on the 3rd: the evening before is the 3rd.
		expect(beforeSendAt(new Date('2026-12-03T23:30:00Z')).toISOString()).toBe('2026-12-03T17:00:00.000Z');
	});
	it('reminds at 08:00 on the day, unless the session starts within the hour', () => {
		expect(beforeReminderAt(new Date('2026-12-04T09:00:00Z'))?.toISOString()).toBe('2026-12-04T07:00:00.000Z');
		expect(beforeReminderAt(new Date('2026-12-04T08:00:00Z'))?.toISOString()).toBe('2026-12-04T07:00:00.000Z');
		expect(beforeReminderAt(new Date('2026-12-04T07:30:00Z'))).toBeNull();
	});
});

describe('one message a day', () => {
	it('allows a message on another Oslo day only', () => {
		const now = new Date('2026-12-04T07:00:00Z');
		expect(mayMessageToday(null, now)).toBe(true);
		expect(mayMessageToday(new Date('2026-12-03T17:00:00Z'), now)).toBe(true);
		expect(mayMessageToday(new Date('2026-12-03T23:30:00Z'), now)).toBe(false);
	});
});

describe('retries', () => {
	it('waits 1, 5, 30 minutes, then 2 hours', () => {
		expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 5, 30, 120, 120]);
	});
});

describe('after a video or phone session', () => {
	it('sends when the booked time ends: start plus length', () => {
		// 09:00 Oslo (08:00 UTC) for 45 minutes ends 09:45 Oslo.
		expect(afterSendAt(new Date('2026-12-04T08:00:00Z'), 45).toISOString()).toBe('2026-12-04T08:45:00.000Z');
	});
	it.each([
		['before the end', '2026-12-04T08:44:59Z', false],
		['at the end', '2026-12-04T08:45:00Z', true],
		['1 h 59 min after', '2026-12-04T10:44:00Z', true],
		// AFTER_SEND_WINDOW_HOURS = 2: the moment has passed.
		['2 h after', '2026-12-04T10:45:00Z', false]
	])('is due %s: %s → %s', (_what, now, due) => {
		expect(afterSendDue(new Date('2026-12-04T08:45:00Z'), new Date(now))).toBe(due);
	});
});
