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
