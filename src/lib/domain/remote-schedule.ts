/**
 * When Stemme sends a patient a rating link, and when it reminds them once. Oslo time; the norms
 * and the peers' defaults: docs/clinical/remote-rating.md.
 */
import { osloDate } from './oslo-day';

/** The outcome form goes out the evening before the appointment, at this Oslo hour (CheckWare and Norse send ahead). */
export const BEFORE_SEND_HOUR = 18;
/** The one reminder for a form sent ahead goes out the morning of the appointment, at this Oslo hour. */
export const BEFORE_REMINDER_HOUR = 8;
/** No reminder when the session starts this soon after it would go out: there is no time to answer. */
export const REMINDER_LEAD_MINUTES = 60;

/**
 * The instant of an Oslo wall-clock time on an Oslo calendar day ('YYYY-MM-DD'), across summer
 * time: the offset is read for that day, not assumed.
 * @example osloTime('2026-12-03', 18) // 2026-12-03T17:00:00Z (winter, UTC+1)
 */
export function osloTime(day: string, hour: number): Date {
	const guess = new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
	const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', hourCycle: 'h23' }).format(guess);
	const offsetHours = (Number(shown) - hour + 24) % 24;
	return new Date(guess.getTime() - offsetHours * 3600_000);
}

/** The Oslo calendar day before `day`. */
function dayBefore(day: string): string {
	return new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** When the outcome form for an appointment is sent ahead: the evening before, at BEFORE_SEND_HOUR. */
export function beforeSendAt(appointmentStart: Date): Date {
	return osloTime(dayBefore(osloDate(appointmentStart)), BEFORE_SEND_HOUR);
}

/**
 * When the one reminder for a form sent ahead goes out: the morning of the appointment; null when
 * the session starts too soon after that for the patient to answer.
 */
export function beforeReminderAt(appointmentStart: Date): Date | null {
	const at = osloTime(osloDate(appointmentStart), BEFORE_REMINDER_HOUR);
	return appointmentStart.getTime() - at.getTime() >= REMINDER_LEAD_MINUTES * 60_000 ? at : null;
}

/** Never more than one message a day to a patient (docs/clinical/remote-rating.md): whether one may go out now. */
export function mayMessageToday(lastMessageAt: Date | null, now: Date): boolean {
	return lastMessageAt === null || osloDate(lastMessageAt) !== osloDate(now);
}

/** Sending again after a failure: 1, 5, 30 minutes, then every 2 hours; given up after MAX_SEND_ATTEMPTS. */
export const MAX_SEND_ATTEMPTS = 6;
export function retryDelayMs(attempts: number): number {
	const minutes = [1, 5, 30][attempts - 1] ?? 120;
	return minutes * 60_000;
}

/**
 * After a video or phone session the alliance form goes out when the session ends (the booked
 * start plus its length) and stays answerable for AFTER_SESSION_HOURS (domain/rating-links.ts).
 * @example afterSendAt(new Date('2026-12-04T08:00:00Z'), 45) // 2026-12-04T08:45:00Z
 */
export function afterSendAt(appointmentStart: Date, durationMinutes: number): Date {
	return new Date(appointmentStart.getTime() + durationMinutes * 60_000);
}

/**
 * A session that ended longer ago than this gets no alliance form: the moment has passed (a
 * server that was down all afternoon does not send the morning's forms in the evening).
 */
export const AFTER_SEND_WINDOW_HOURS = 2;

/** Whether the alliance form of a session that ended at `end` is due now. */
export function afterSendDue(end: Date, now: Date): boolean {
	const since = now.getTime() - end.getTime();
	return since >= 0 && since < AFTER_SEND_WINDOW_HOURS * 3600_000;
}
