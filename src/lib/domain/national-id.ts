/**
 * The Norwegian national identity number (fødselsnummer) and D-number: 11 digits, DDMMYY, a
 * three-digit individual number that also gives the century, and two modulus-11 check digits.
 * The rules are the Tax Administration's (Skatteetaten, "Fødselsnummer"; the weights below are
 * the published ones).
 *
 * - A D-number adds 4 to the first digit of the day (41–71).
 * - Synthetic test numbers of the national test data service (Tenor) add 80 to the month; they are
 *   accepted as `synthetic` so that test and training installations can use them.
 */

export type NationalIdKind = 'fodselsnummer' | 'd-number' | 'synthetic';

export type NationalIdCheck = { ok: true; value: string; kind: NationalIdKind; birthDate: string } | { ok: false; reason: 'format' | 'date' | 'check-digit' };

// Published weights of the two check digits (k1 over the first nine digits, k2 over the first ten).
const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
const D_NUMBER_DAY_OFFSET = 40;
const SYNTHETIC_MONTH_OFFSET = 80;

function checkDigit(digits: readonly number[], weights: readonly number[]): number | null {
	const sum = weights.reduce((total, weight, i) => total + weight * digits[i]!, 0);
	const digit = 11 - (sum % 11);
	if (digit === 11) return 0;
	return digit === 10 ? null : digit;
}

/** The four-digit year from the two-digit year and the individual number (Skatteetaten's table). */
function fullYear(yy: number, individual: number): number | null {
	if (individual <= 499) return 1900 + yy;
	if (individual <= 749 && yy >= 54) return 1800 + yy;
	if (individual >= 900 && yy >= 40) return 1900 + yy;
	if (yy <= 39) return 2000 + yy;
	return null;
}

/**
 * Checks a fødselsnummer or D-number. Spaces are ignored; anything else but 11 digits is `format`.
 *
 * @example checkNationalId('010190 12345') // depends on the check digits; see national-id.spec.ts
 */
export function checkNationalId(input: string): NationalIdCheck {
	const value = input.replace(/\s+/g, '');
	if (!/^[0-9]{11}$/.test(value)) return { ok: false, reason: 'format' };
	const digits = [...value].map(Number);
	const k1 = checkDigit(digits, K1_WEIGHTS);
	const k2 = checkDigit(digits, K2_WEIGHTS);
	if (k1 === null || k2 === null || k1 !== digits[9] || k2 !== digits[10]) return { ok: false, reason: 'check-digit' };
	let day = Number(value.slice(0, 2));
	let month = Number(value.slice(2, 4));
	let kind: NationalIdKind = 'fodselsnummer';
	if (day > D_NUMBER_DAY_OFFSET) {
		day -= D_NUMBER_DAY_OFFSET;
		kind = 'd-number';
	}
	if (month > SYNTHETIC_MONTH_OFFSET) {
		month -= SYNTHETIC_MONTH_OFFSET;
		kind = 'synthetic';
	}
	const year = fullYear(Number(value.slice(4, 6)), Number(value.slice(6, 9)));
	if (year === null || month < 1 || month > 12 || day < 1) return { ok: false, reason: 'date' };
	const date = new Date(Date.UTC(year, month - 1, day));
	if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return { ok: false, reason: 'date' };
	const birthDate = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
	return { ok: true, value, kind, birthDate };
}

/** Shown masked, as the clinic reads it on screen: the birth date, then five stars (`010190 *****`). */
export function maskNationalId(value: string): string {
	return `${value.slice(0, 6)} *****`;
}
