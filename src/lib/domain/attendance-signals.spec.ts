import { describe, expect, it } from 'vitest';
import { attendanceSignals, ATTENDANCE_RULES_VERSION, DEFAULT_ATTENDANCE_CONFIG, type AppointmentRecord } from './attendance-signals';

const NOW = new Date('2026-11-23T12:00:00Z');
const config = { ...DEFAULT_ATTENDANCE_CONFIG, plannedIntervalDays: 14 };
const daysAgo = (d: number, status: AppointmentRecord['status']): AppointmentRecord => ({ at: new Date(NOW.getTime() - d * 86_400_000).toISOString(), status });
const episode = { start: '2026-09-01', transition: null };
const rules = (appts: AppointmentRecord[], ep: { start: string; transition: string | null } = episode) => attendanceSignals(appts, ep, NOW, config).map((s) => s.rule);

describe('missed-recently: ≥ 2 no-shows or late cancellations in the last 28 days', () => {
	it.each([
		{ name: 'one miss', appts: [daysAgo(3, 'attended'), daysAgo(10, 'no_show')], fires: false },
		{ name: 'two misses', appts: [daysAgo(3, 'attended'), daysAgo(10, 'no_show'), daysAgo(20, 'late_cancellation')], fires: true },
		// exactly 28 days ago is inside the window (inclusive)
		{ name: 'second miss exactly 28 days ago', appts: [daysAgo(3, 'attended'), daysAgo(10, 'no_show'), daysAgo(28, 'no_show')], fires: true },
		{ name: 'second miss 29 days ago', appts: [daysAgo(3, 'attended'), daysAgo(10, 'no_show'), daysAgo(29, 'no_show')], fires: false },
		// a cancellation made in time is not a miss
		{ name: 'two cancellations in time', appts: [daysAgo(3, 'attended'), daysAgo(10, 'cancelled'), daysAgo(17, 'cancelled')], fires: false },
		// a future no-show cannot exist, but a future appointment is never counted
		{ name: 'future appointments ignored', appts: [daysAgo(3, 'attended'), daysAgo(-5, 'no_show'), daysAgo(10, 'no_show')], fires: false }
	])('$name → $fires', ({ appts, fires }) => {
		expect(rules(appts).includes('missed-recently')).toBe(fires);
	});
});

describe('missed-share: more than one in three appointments missed, from 3 appointments', () => {
	it.each([
		// 1 of 3 = 33.3 % is not MORE than 1/3
		{ name: '1 of 3', appts: [daysAgo(3, 'attended'), daysAgo(40, 'no_show'), daysAgo(60, 'attended')], fires: false },
		// 2 of 5 = 40 % > 33.3 %
		{ name: '2 of 5', appts: [daysAgo(3, 'attended'), daysAgo(40, 'no_show'), daysAgo(50, 'attended'), daysAgo(60, 'no_show'), daysAgo(70, 'attended')], fires: true },
		// 1 of 2 = 50 %, but fewer than 3 appointments: not judged
		{ name: '1 of 2', appts: [daysAgo(3, 'attended'), daysAgo(40, 'no_show')], fires: false }
	])('$name → $fires', ({ appts, fires }) => {
		expect(rules(appts).includes('missed-share')).toBe(fires);
	});

	it('says how many of how many', () => {
		const s = attendanceSignals([daysAgo(3, 'attended'), daysAgo(40, 'no_show'), daysAgo(50, 'attended'), daysAgo(60, 'no_show'), daysAgo(70, 'attended')], episode, NOW, config);
		expect(s.find((x) => x.rule === 'missed-share')).toMatchObject({ params: { missed: 2, of: 5, percent: 40 }, rulesVersion: ATTENDANCE_RULES_VERSION, text: '2 of 5 appointments missed.' });
	});
});

describe('long-gap: more than the planned interval since the last attended session', () => {
	it.each([
		{ name: '14 days (= planned)', appts: [daysAgo(14, 'attended')], fires: false },
		{ name: '15 days', appts: [daysAgo(15, 'attended')], fires: true },
		{ name: '15 days with a no-show since', appts: [daysAgo(15, 'attended'), daysAgo(7, 'no_show')], fires: true },
		// no session yet: counted from the episode start (2026-09-01 → 83 days)
		{ name: 'no session yet', appts: [], fires: true }
	])('$name → $fires', ({ appts, fires }) => {
		expect(rules(appts).includes('long-gap')).toBe(fires);
	});

	it('counts whole days', () => {
		const s = attendanceSignals([daysAgo(20.9, 'attended')], episode, NOW, config);
		expect(s.find((x) => x.rule === 'long-gap')?.params).toEqual({ days: 20, planned: 14, attended: 1 });
	});
});

describe('transition-near: a transition within 14 calendar days either side', () => {
	it.each([
		{ transition: '2026-12-07', fires: true, days: 14 },
		{ transition: '2026-12-08', fires: false, days: null },
		{ transition: '2026-11-09', fires: true, days: -14 },
		{ transition: '2026-11-08', fires: false, days: null },
		{ transition: '2026-11-23', fires: true, days: 0 }
	])('$transition → $fires', ({ transition, fires, days }) => {
		const s = attendanceSignals([daysAgo(3, 'attended')], { start: '2026-09-01', transition }, NOW, config).find((x) => x.rule === 'transition-near');
		expect(s !== undefined).toBe(fires);
		if (days !== null) expect(s?.params.days).toBe(days);
	});

	it.each([
		// 23:30 UTC on 22 November is 00:30 on 23 November in Oslo (UTC+1 in winter): today is the
		// 23rd, so a transition on 7 December is 14 Oslo days away and fires (UTC days would say 15).
		{ now: '2026-11-22T23:30:00Z', transition: '2026-12-07', days: 14 },
		// Summer (UTC+2): 22:30 UTC on 30 June is 00:30 on 1 July in Oslo; 15 July is 14 days away.
		{ now: '2026-06-30T22:30:00Z', transition: '2026-07-15', days: 14 },
		// 22:59 UTC on 23 November is still 23:59 on the 23rd in Oslo: 14 days to 7 December.
		{ now: '2026-11-23T22:59:00Z', transition: '2026-12-07', days: 14 },
		// One minute later it is 24 November in Oslo: 13 days.
		{ now: '2026-11-23T23:00:00Z', transition: '2026-12-07', days: 13 }
	])('counts Oslo days: at $now, $transition is $days days away (docs/clinical/dropout-and-milestones.md)', ({ now, transition, days }) => {
		const at = new Date(now);
		const s = attendanceSignals([{ at: new Date(at.getTime() - 3 * 86_400_000).toISOString(), status: 'attended' }], { start: '2026-01-01', transition }, at, config);
		expect(s.find((x) => x.rule === 'transition-near')?.params.days).toBe(days);
	});

	it('says which way', () => {
		const ahead = attendanceSignals([daysAgo(3, 'attended')], { start: '2026-09-01', transition: '2026-11-30' }, NOW, config);
		const past = attendanceSignals([daysAgo(3, 'attended')], { start: '2026-09-01', transition: '2026-11-20' }, NOW, config);
		expect([ahead[0]?.text, past[0]?.text]).toEqual(['A transition in 7 days.', 'A transition 3 days ago.']);
	});
});

it('fires nothing for a steady episode', () => {
	expect(rules([daysAgo(3, 'attended'), daysAgo(10, 'attended'), daysAgo(17, 'cancelled'), daysAgo(24, 'attended')])).toEqual([]);
});
