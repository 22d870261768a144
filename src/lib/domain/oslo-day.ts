/**
 * Calendar days as the clinic counts them: in Europe/Oslo, not UTC
 * (docs/clinical/dropout-and-milestones.md, "All days are Oslo days"). Between 00:00 and 01:00
 * (02:00 in summer) Oslo is already on the next day while UTC is not.
 */
const OSLO_YMD = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });
const DAY_MS = 86_400_000;

/**
 * The Oslo calendar date of an instant, 'YYYY-MM-DD'.
 * @example osloDate(new Date('2026-12-02T23:30:00Z')) // '2026-12-03' (00:30 in Oslo)
 */
export function osloDate(instant: Date): string {
	return OSLO_YMD.format(instant);
}

/**
 * Whole calendar days from one 'YYYY-MM-DD' date to another (negative when `to` is earlier).
 * @example calendarDaysBetween('2026-12-03', '2026-12-17') // 14
 */
export function calendarDaysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / DAY_MS);
}
