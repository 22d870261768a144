/**
 * Follow-up ratings after discharge: on which days an ended episode's patient is sent the outcome
 * form alone, and what state each point is in. Oslo days ('YYYY-MM-DD'); the norms:
 * docs/clinical/remote-rating.md, "After discharge".
 */
import { calendarDaysBetween } from './oslo-day';
import { FOLLOW_UP_DAYS } from './rating-links';

/** 1, 3 and 6 months after the end: the common choice (docs/clinical/remote-rating.md, "After discharge"). */
export const DEFAULT_FOLLOW_UP_MONTHS: readonly number[] = [1, 3, 6];
/** A follow-up goes out on its day from this Oslo hour, as the morning reminder does (remote-schedule.ts), not at midnight. */
export const FOLLOW_UP_SEND_HOUR = 8;
/** The latest follow-up an installation may configure, in months after the end. */
export const MAX_FOLLOW_UP_MONTHS = 24;

/**
 * The day `months` calendar months after `day`; a day the month does not have is its last day.
 * @example addMonths('2026-01-31', 1) // '2026-02-28'
 */
export function addMonths(day: string, months: number): string {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	const first = new Date(Date.UTC(y, m - 1 + months, 1));
	const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
	first.setUTCDate(Math.min(d, last));
	return first.toISOString().slice(0, 10);
}

export interface PlannedPoint {
	/** Months after the end; null for the date the discharge plan set. */
	months: number | null;
	dueOn: string;
}

/**
 * An ended episode's follow-up points: each configured month after the end, and the discharge
 * plan's own date when it falls after the end and on another day. Earliest first.
 * @example followUpPoints('2026-12-04', [1, 3], null) // [{ months: 1, dueOn: '2027-01-04' }, { months: 3, dueOn: '2027-03-04' }]
 */
export function followUpPoints(endDate: string, months: readonly number[], planDate: string | null): PlannedPoint[] {
	const points: PlannedPoint[] = months.map((n) => ({ months: n, dueOn: addMonths(endDate, n) }));
	if (planDate !== null && planDate > endDate && !points.some((p) => p.dueOn === planDate)) points.push({ months: null, dueOn: planDate });
	return points.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}

/**
 * Whether a point not sent yet may still go out today: from its day for as long as a follow-up
 * link would be open (FOLLOW_UP_DAYS), so a patient who could not be sent it on the day (a
 * message already went that day) gets it later, and one that was never sendable is expired.
 */
export function inSendWindow(dueOn: string, today: string): boolean {
	const late = calendarDaysBetween(dueOn, today);
	return late >= 0 && late < FOLLOW_UP_DAYS;
}

export const followUpStates = ['planned', 'due', 'sent', 'answered', 'expired'] as const;
export type FollowUpState = (typeof followUpStates)[number];

/**
 * A point's state: planned (its day has not come), due (its day has come and nothing is sent
 * yet), sent (its link is open), answered, or expired (its link closed unanswered, or it could
 * not be sent in its window: no consent, or stopped).
 */
export function followUpState(point: { dueOn: string; answeredAt: Date | null }, link: { expiresAt: Date; withdrawnAt: Date | null } | null, today: string, now: Date): FollowUpState {
	if (point.answeredAt !== null) return 'answered';
	if (link !== null) return link.withdrawnAt === null && now.getTime() < link.expiresAt.getTime() ? 'sent' : 'expired';
	if (point.dueOn > today) return 'planned';
	return inSendWindow(point.dueOn, today) ? 'due' : 'expired';
}
