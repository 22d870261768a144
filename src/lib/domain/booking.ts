/**
 * Booking appointments: the dates of a series and the clinic's local time. Pure: the caller
 * passes today's date; time zones are Intl's (the IANA database), not the clock.
 */

/**
 * The most sessions one booking may create. Not a clinical number but a guard against a slip of
 * the keyboard: two years of weekly sessions is longer than any planned course in
 * docs/clinical/dropout-and-milestones.md (outpatient courses are reviewed every 3 months).
 */
export const MAX_SERIES_SESSIONS = 104;
/** How far ahead a booking may reach, in days (two years, the same bound as the series). */
export const BOOKING_HORIZON_DAYS = 730;
/** Shortest and longest appointment, in minutes (a brief check-in; a long group or family session). */
export const MIN_DURATION_MINUTES = 10;
export const MAX_DURATION_MINUTES = 240;
/** The usual length of an individual session, offered first in the form. */
export const DEFAULT_DURATION_MINUTES = 45;

export const repeats = ['none', 'weekly', 'fortnightly'] as const;
export type Repeat = (typeof repeats)[number];
/** Weeks between sessions of each kind of series. */
export const REPEAT_WEEKS: Record<Exclude<Repeat, 'none'>, number> = { weekly: 1, fortnightly: 2 };

/**
 * What can happen to an appointment: it took place, the patient did not come, it goes back to
 * planned, or it was cancelled — by the clinic, by the patient in time, or by the patient late.
 */
export const attendanceChanges = ['scheduled', 'attended', 'no_show', 'cancelled_by_clinic', 'cancelled_in_time', 'cancelled_late'] as const;
export type AttendanceChange = (typeof attendanceChanges)[number];

/**
 * How a session takes place. In the room the patient rates on the clinic's tablet (or scans the
 * link); after a video or a phone session the alliance form is sent to the patient's own phone
 * (src/lib/domain/remote-schedule.ts, docs/clinical/remote-rating.md).
 */
export const sessionModes = ['in_person', 'video', 'phone'] as const;
export type SessionMode = (typeof sessionModes)[number];

/** The clinic's time zone: every "today" and every booked time is Oslo's. */
export const CLINIC_TIME_ZONE = 'Europe/Oslo';

const DAY_MS = 86_400_000;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;
const HM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A real calendar date written 'YYYY-MM-DD' (not 2026-02-31). */
export function isCalendarDate(value: string): boolean {
	const m = YMD.exec(value);
	if (m === null) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.toISOString().slice(0, 10) === value && Number(m[1]) >= 1900;
}

/** A time of day written 'HH:MM', 24-hour. */
export function isClockTime(value: string): boolean {
	return HM.test(value);
}

/** @example addDays('2026-12-30', 3) // '2027-01-02' */
export function addDays(ymd: string, days: number): string {
	return new Date(Date.parse(`${ymd}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b`. @example daysFrom('2026-12-01', '2026-12-08') // 7 */
export function daysFrom(a: string, b: string): number {
	return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

const parts = new Intl.DateTimeFormat('en-GB', {
	timeZone: CLINIC_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

/** The Oslo wall-clock date and time of an instant. @example clinicWallClock(new Date('2026-12-01T09:00:00Z')) // { date: '2026-12-01', time: '10:00' } */
export function clinicWallClock(at: Date): { date: string; time: string } {
	const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
	return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/**
 * The instant of an Oslo wall-clock date and time. In the hour skipped in spring the time is read
 * as the hour after; in the hour repeated in autumn, as the first of the two.
 * @example clinicInstant('2026-07-01', '10:00').toISOString() // '2026-07-01T08:00:00.000Z'
 */
export function clinicInstant(date: string, time: string): Date {
	const asUtc = Date.parse(`${date}T${time}:00Z`);
	const offsetAt = (t: number): number => {
		const w = clinicWallClock(new Date(t));
		return Date.parse(`${w.date}T${w.time}:00Z`) - t;
	};
	// The offsets in force a day either side: the wall clock is one of them (or in the gap between).
	const before = offsetAt(asUtc - DAY_MS);
	const after = offsetAt(asUtc + DAY_MS);
	const fits = [asUtc - before, asUtc - after].filter((t) => {
		const w = clinicWallClock(new Date(t));
		return w.date === date && w.time === time;
	});
	return new Date(fits.length > 0 ? Math.min(...fits) : asUtc - before);
}

export type SeriesEnd = { kind: 'count'; sessions: number } | { kind: 'until'; date: string };

export type SeriesResult =
	{ ok: true; dates: string[] } | { ok: false; reason: 'too_many'; max: number } | { ok: false; reason: 'end_before_start' } | { ok: false; reason: 'beyond_horizon'; last: string };

/**
 * The dates of a booking: the first, then every one or two weeks on the same weekday, for a
 * number of sessions or until a date (inclusive). Refuses more than MAX_SERIES_SESSIONS, an end
 * before the first date, and anything past BOOKING_HORIZON_DAYS from today.
 * @example seriesDates('2026-12-01', 'weekly', { kind: 'count', sessions: 3 }, '2026-11-30') // { ok: true, dates: ['2026-12-01', '2026-12-08', '2026-12-15'] }
 */
export function seriesDates(first: string, repeat: Repeat, end: SeriesEnd | null, today: string): SeriesResult {
	const horizon = addDays(today, BOOKING_HORIZON_DAYS);
	if (repeat === 'none' || end === null) return first > horizon ? { ok: false, reason: 'beyond_horizon', last: first } : { ok: true, dates: [first] };
	const step = 7 * REPEAT_WEEKS[repeat];
	let count: number;
	if (end.kind === 'count') count = end.sessions;
	else {
		if (end.date < first) return { ok: false, reason: 'end_before_start' };
		count = Math.floor(daysFrom(first, end.date) / step) + 1;
	}
	if (count > MAX_SERIES_SESSIONS) return { ok: false, reason: 'too_many', max: MAX_SERIES_SESSIONS };
	if (count < 1) return { ok: false, reason: 'end_before_start' };
	const dates = Array.from({ length: count }, (_, i) => addDays(first, i * step));
	const last = dates[dates.length - 1]!;
	if (last > horizon) return { ok: false, reason: 'beyond_horizon', last };
	return { ok: true, dates };
}
