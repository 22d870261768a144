import { describe, expect, it } from 'vitest';
import { MEETING_ON_TIME_DAYS, meetingsOnTime } from './meetings';

describe('meetingsOnTime', () => {
	it('splits the meetings due into on time, late and not held', () => {
		expect(MEETING_ON_TIME_DAYS).toBe(7);
		const f = meetingsOnTime(
			[
				{ scheduled: '2026-03-02', held: '2026-03-02' }, // on the day: on time
				{ scheduled: '2026-03-02', held: '2026-03-09' }, // 7 days after: still on time
				{ scheduled: '2026-03-02', held: '2026-03-10' }, // 8 days: late
				{ scheduled: '2026-03-02', held: '2026-02-27' }, // held early: on time
				{ scheduled: '2026-03-20', held: null }, // 12 days before today, not held: counted as not held
				{ scheduled: '2026-03-25', held: null }, // 7 days before today: may still be held on time, not due
				{ scheduled: '2026-02-27', held: '2026-02-27' } // before the period: not counted
			],
			{ from: '2026-03-01', to: '2026-03-31' },
			'2026-04-01'
		);
		expect(f).toEqual({ due: 5, onTime: 3, late: 1, notHeld: 1 });
	});
});
