import { MISSED_IN_WINDOW, MISSED_SHARE, MISSED_SHARE_MIN_APPOINTMENTS, MISSED_WINDOW_DAYS, TRANSITION_WITHIN_DAYS } from './clinical-constants';
import { calendarDaysBetween, osloDate } from './oslo-day';

/** Bumped whenever a rule below changes meaning; stored with every flag raised from it
 *  (docs/clinical/dropout-and-milestones.md, "Rule versions").
 *  2: the transition window counts Oslo calendar days, not UTC days. */
export const ATTENDANCE_RULES_VERSION = 2;

export const ATTENDANCE_RULES = ['missed-recently', 'missed-share', 'long-gap', 'transition-near'] as const;
export type AttendanceRule = (typeof ATTENDANCE_RULES)[number];

/** An appointment as the attendance rules see it: its date and what happened ('scheduled' = not yet). */
export interface AppointmentRecord {
	/** ISO 8601 date-time. */
	at: string;
	status: 'scheduled' | 'attended' | 'no_show' | 'late_cancellation' | 'cancelled';
}

export interface AttendanceConfig {
	windowDays: number;
	missedInWindow: number;
	missedShare: number;
	missedShareMinAppointments: number;
	/** The episode's planned interval between sessions, days. */
	plannedIntervalDays: number;
	transitionWithinDays: number;
}

export const DEFAULT_ATTENDANCE_CONFIG: Omit<AttendanceConfig, 'plannedIntervalDays'> = {
	windowDays: MISSED_WINDOW_DAYS,
	missedInWindow: MISSED_IN_WINDOW,
	missedShare: MISSED_SHARE,
	missedShareMinAppointments: MISSED_SHARE_MIN_APPOINTMENTS,
	transitionWithinDays: TRANSITION_WITHIN_DAYS
};

export interface AttendanceSignal {
	rule: AttendanceRule;
	rulesVersion: number;
	params: Readonly<Record<string, number>>;
	/** English fallback; the interface renders `rule` + `params` in the reader's language. */
	text: string;
}

const DAY_MS = 86_400_000;
const MISSED = new Set(['no_show', 'late_cancellation']);

function signal(rule: AttendanceRule, params: Record<string, number>, text: string): AttendanceSignal {
	return { rule, rulesVersion: ATTENDANCE_RULES_VERSION, params, text };
}

/**
 * The attendance signals that fire for an episode now (docs/clinical/dropout-and-milestones.md):
 * - missed-recently: at least `missedInWindow` no-shows or late cancellations in the last
 *   `windowDays` days (inclusive of both ends: an appointment exactly `windowDays` ago counts);
 * - missed-share: more than `missedShare` of all appointments due so far missed (strictly more;
 *   a cancellation made in time is not a miss but is a scheduled appointment), judged from
 *   `missedShareMinAppointments` appointments;
 * - long-gap: more than `plannedIntervalDays` whole days since the last attended session (or since
 *   the episode started, when no session has taken place yet);
 * - transition-near: a transition date within `transitionWithinDays` Oslo calendar days before
 *   or after today (both ends included; today is the Oslo date of `now`).
 * Appointments after `now` are not counted. Whole days are floor((now − then) / 24 h).
 * @example attendanceSignals([{ at: '2026-11-02T10:00Z', status: 'no_show' }, { at: '2026-11-16T10:00Z', status: 'no_show' }], { start: '2026-10-01', transition: null }, new Date('2026-11-23T12:00Z'), { ...DEFAULT_ATTENDANCE_CONFIG, plannedIntervalDays: 14 }).map((s) => s.rule)
 * // ['missed-recently', 'long-gap']  (2 appointments: too few for the share)
 */
export function attendanceSignals(appointments: readonly AppointmentRecord[], episode: { start: string; transition: string | null }, now: Date, config: AttendanceConfig): AttendanceSignal[] {
	const t = now.getTime();
	const due = appointments.filter((a) => a.status !== 'scheduled' && Date.parse(a.at) <= t);
	const fired: AttendanceSignal[] = [];

	const windowStart = t - config.windowDays * DAY_MS;
	const recent = due.filter((a) => MISSED.has(a.status) && Date.parse(a.at) >= windowStart).length;
	if (recent >= config.missedInWindow) {
		fired.push(signal('missed-recently', { missed: recent, days: config.windowDays }, `${recent} missed appointments in the last ${config.windowDays} days.`));
	}

	const missed = due.filter((a) => MISSED.has(a.status)).length;
	if (due.length >= config.missedShareMinAppointments && missed / due.length > config.missedShare) {
		fired.push(signal('missed-share', { missed, of: due.length, percent: Math.round((missed / due.length) * 100) }, `${missed} of ${due.length} appointments missed.`));
	}

	const attended = due.filter((a) => a.status === 'attended').map((a) => Date.parse(a.at));
	const since = attended.length > 0 ? Math.max(...attended) : Date.parse(episode.start);
	const days = Math.floor((t - since) / DAY_MS);
	if (days > config.plannedIntervalDays) {
		fired.push(
			signal(
				'long-gap',
				{ days, planned: config.plannedIntervalDays, attended: attended.length },
				attended.length > 0
					? `${days} days since the last attended session (planned every ${config.plannedIntervalDays}).`
					: `${days} days since the episode started and no session yet (planned every ${config.plannedIntervalDays}).`
			)
		);
	}

	if (episode.transition !== null) {
		// Oslo calendar days, so neither the time of day nor the UTC offset tips it over.
		const until = calendarDaysBetween(osloDate(now), episode.transition);
		if (Math.abs(until) <= config.transitionWithinDays) {
			fired.push(signal('transition-near', { days: until }, until >= 0 ? `A transition in ${until} days.` : `A transition ${-until} days ago.`));
		}
	}
	return fired;
}
