import { describe, expect, it } from 'vitest';
import { beforeReminderAt, beforeSendAt, mayMessageToday, osloTime, retryDelayMs } from './remote-schedule';

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
