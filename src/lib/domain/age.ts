/**
 * Age in whole years from a birth year: the age reached during the calendar year of `now`
 * (UTC). With only a birth year the exact birthday is unknown, so this can be one year ahead
 * until the birthday; it is the Norwegian "age this year" convention. Null when the birth year is
 * not a whole number or lies after `now`.
 * @example ageFromBirthYear(2008, new Date('2025-03-01')) // 17
 */
export function ageFromBirthYear(birthYear: number, now: Date): number | null {
	if (!Number.isInteger(birthYear)) return null;
	const age = now.getUTCFullYear() - birthYear;
	return age >= 0 ? age : null;
}

/**
 * The age (see `ageFromBirthYear`) on the day of a rating or appointment, 'YYYY-MM-DD' or an ISO
 * date-time: the age band of a rating is the patient's age at that rating
 * (docs/clinical/measures.md, "Which band applies"), never today's age.
 * @example ageAt(2013, '2025-11-03') // 12, even when asked in 2026
 */
export function ageAt(birthYear: number, date: string): number | null {
	const t = Date.parse(date.length === 10 ? `${date}T12:00:00Z` : date);
	return Number.isNaN(t) ? null : ageFromBirthYear(birthYear, new Date(t));
}
