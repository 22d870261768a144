import { calendarDaysBetween } from '../oslo-day';

/**
 * A milestone meeting counts as held on time when it took place no later than this many days after
 * the date set for it (Stemme's own rule, docs/clinical/statistics.md, "Milestone meetings on time").
 */
export const MEETING_ON_TIME_DAYS = 7;

export interface MeetingsOnTime {
	/** Meetings whose date lies in the period and whose time to be held on time is over by today, or that were held. */
	due: number;
	/** Held no later than the date set plus MEETING_ON_TIME_DAYS. */
	onTime: number;
	/** Held, but later than that. */
	late: number;
	/** Not held, and the time to hold it on time is over. */
	notHeld: number;
}

/**
 * Milestone meetings held on time (docs/clinical/statistics.md, "Data completeness"), all dates Oslo
 * calendar dates 'YYYY-MM-DD'. A meeting not yet held whose date plus the grace has not passed is not yet due.
 * @example meetingsOnTime([{ scheduled: '2026-03-02', held: '2026-03-05' }, { scheduled: '2026-03-02', held: null }], { from: '2026-01-01', to: '2026-03-31' }, '2026-04-01')
 * // { due: 2, onTime: 1, late: 0, notHeld: 1 }
 */
export function meetingsOnTime(meetings: readonly { scheduled: string; held: string | null }[], period: { from: string; to: string }, today: string): MeetingsOnTime {
	const f: MeetingsOnTime = { due: 0, onTime: 0, late: 0, notHeld: 0 };
	for (const m of meetings) {
		if (m.scheduled < period.from || m.scheduled > period.to) continue;
		if (m.held === null) {
			if (calendarDaysBetween(m.scheduled, today) <= MEETING_ON_TIME_DAYS) continue;
			f.due++;
			f.notHeld++;
			continue;
		}
		f.due++;
		if (calendarDaysBetween(m.scheduled, m.held) <= MEETING_ON_TIME_DAYS) f.onTime++;
		else f.late++;
	}
	return f;
}
