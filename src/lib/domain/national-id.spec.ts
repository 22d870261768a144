import { describe, expect, it } from 'vitest';
import { checkNationalId, maskNationalId } from './national-id';

describe('checkNationalId', () => {
	it.each([
		// 010190 124: k1 = 11 − (3·0+7·1+6·0+1·1+8·9+9·0+4·1+5·2+2·4 = 102; 102 mod 11 = 3) = 8;
		// k2 = 11 − (5·0+4·1+3·0+2·1+7·9+6·0+5·1+4·2+3·4+2·8 = 110; mod 11 = 0) = 11 → 0.
		['01019012480', 'fodselsnummer', '1990-01-01'],
		['010190 12480', 'fodselsnummer', '1990-01-01'],
		// A D-number: day 41 = 1 + 40, same check-digit rule.
		['41019012393', 'd-number', '1990-01-01'],
		// A synthetic (Tenor) number: month 81 = 1 + 80.
		['01819012365', 'synthetic', '1990-01-01'],
		// 29 Feb 2000: individual number 500 with year 00 is the 2000s, a leap year.
		['29020050088', 'fodselsnummer', '2000-02-29']
	] as const)('accepts %s as %s born %s', (input, kind, birthDate) => {
		expect(checkNationalId(input)).toEqual({ ok: true, value: input.replace(' ', ''), kind, birthDate });
	});

	it.each([
		['0101901248', 'format'],
		['0101901248a', 'format'],
		['', 'format'],
		// The last check digit one off.
		['01019012481', 'check-digit'],
		// The first check digit one off.
		['01019012490', 'check-digit']
	] as const)('refuses %s (%s)', (input, reason) => {
		expect(checkNationalId(input)).toEqual({ ok: false, reason });
	});

	it('refuses an impossible date even when the check digits add up', () => {
		// 29 Feb 1900 (individual 125 is the 1900s, not a leap year) and 31 April.
		for (const prefix of ['290200125', '290200126', '310400125', '310400126', '310400127']) {
			const number = withCheckDigits(prefix);
			if (number !== null) expect(checkNationalId(number)).toEqual({ ok: false, reason: 'date' });
		}
	});
});

describe('maskNationalId', () => {
	it('shows the birth date and hides the rest', () => {
		expect(maskNationalId('01019012480')).toBe('010190 *****');
	});
});

/** The published check-digit arithmetic, written out independently of the module for the date cases. */
function withCheckDigits(prefix: string): string | null {
	const d = [...prefix].map(Number);
	const digit = (weights: number[]): number | null => {
		const r = 11 - (weights.reduce((t, w, i) => t + w * d[i]!, 0) % 11);
		return r === 11 ? 0 : r === 10 ? null : r;
	};
	const k1 = digit([3, 7, 6, 1, 8, 9, 4, 5, 2]);
	if (k1 === null) return null;
	d.push(k1);
	const k2 = digit([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
	return k2 === null ? null : prefix + k1 + k2;
}
