import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNewPassword, isCommonPassword, passwordField, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from './password-rules';

describe('password rules (NIST SP 800-63B: length, no composition rules, no known passwords)', () => {
	it.each([
		['11 characters', 'abcdefghijk', 'kari', 'too_short'],
		['12 characters', 'fjellvann-og', 'kari', null],
		// 'blåbærsylt' + 'ø' is 11 letters; typed with a decomposed å (a + combining ring) it is 12
		// UTF-16 units, but NFKC composes it back to 11: still too short.
		['a decomposed å counts once', 'blåbærsyltø'.normalize('NFD'), 'kari', 'too_short'],
		// 11 letters and an emoji: 12 code points (13 UTF-16 units).
		['an emoji counts once', 'hestehovene🐴', 'kari', null],
		[`${PASSWORD_MAX_LENGTH} characters`, 'a'.repeat(PASSWORD_MAX_LENGTH - 1) + 'b', 'kari', null],
		[`${PASSWORD_MAX_LENGTH + 1} characters`, 'a'.repeat(PASSWORD_MAX_LENGTH) + 'b', 'kari', 'too_long'],
		['the user name', 'kari.nordmann', 'Kari.Nordmann', 'same_as_username'],
		['a common password', '123456789012', 'kari', 'common'],
		['a common password in other case', 'PassWord1234', 'kari', 'common'],
		['a Norwegian keyboard row', 'QWERTYUIOPÅ', 'kari', 'too_short'],
		['a Norwegian keyboard row, long', 'qwertyuiopåæ', 'kari', 'common'],
		['a Norwegian season and year', 'Sommerferie2024', 'kari', 'common'],
		['a long passphrase', 'grå katt på blå benk', 'kari', null],
		['no composition rules: only lower case', 'fiskekakerogpotet', 'kari', null]
	])('%s', (_, password, username, expected) => {
		expect(passwordProblem(password, username)).toBe(expected);
	});

	it('ships a list of several hundred common passwords, compared case-insensitively', () => {
		expect(isCommonPassword('password')).toBe(true);
		expect(isCommonPassword('SOMMER2024')).toBe(true);
		expect(isCommonPassword('velkommen123')).toBe(true);
		expect(isCommonPassword('grå katt på blå benk')).toBe(false);
	});

	it('names the field in the message', () => {
		expect(checkNewPassword('kort', 'kari', 'Nytt passord')).toBe(`Nytt passord må ha minst ${PASSWORD_MIN_LENGTH} tegn. En passfrase av flere ord er lettest å huske.`);
		expect(checkNewPassword('password1234', 'kari', 'Startpassord')).toMatch(/^Startpassord er blant de vanligste/);
		expect(checkNewPassword('kari.nordmann', 'kari.nordmann', 'Startpassord')).toMatch(/^Startpassord kan ikke være det samme som brukernavnet/);
		expect(checkNewPassword('grå katt på blå benk', 'kari', 'Startpassord')).toBeNull();
	});
});

describe('one password length limit everywhere', () => {
	// The longest passwords the rule allows, typed in ways that take more UTF-16 units each:
	// 256 ASCII letters (256 units), 256 emoji (2 units each: 512), 256 Hangul syllables typed as
	// their three jamo, which NFKC composes into one character (3 units each: 768).
	const longest = [
		['256 ASCII letters', 'correct horse battery staple '.repeat(10).slice(0, PASSWORD_MAX_LENGTH)],
		['256 emoji', '\u{1F40E}\u{1F50B}'.repeat(PASSWORD_MAX_LENGTH / 2)],
		['256 Hangul syllables as jamo', '\u1112\u1161\u11AB\u1100\u1173\u11AF'.repeat(PASSWORD_MAX_LENGTH / 2)]
	] as const;
	it.each(longest)('%s can be set, and the sign-in field takes it', (_, password) => {
		expect(passwordProblem(password, 'kari')).toBeNull();
		expect(passwordField.safeParse(password).success).toBe(true);
	});

	it('no form has its own password limit: every schema uses passwordField, every field PASSWORD_FIELD_MAX', () => {
		const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
			.filter((f) => /\.(ts|svelte)$/.test(f) && !f.includes('paraglide') && !f.endsWith('.spec.ts'))
			.map((f) => join('src', f));
		const own: string[] = [];
		for (const file of files) {
			const text = readFileSync(file, 'utf8');
			// A zod string for a password field, other than the shared one.
			for (const hit of text.matchAll(/\b(password|current)\s*:\s*z\.string\(\)[^,\n]*\.max\(/g)) own.push(`${file}: ${hit[0]}`);
			// A password input with a fixed maxlength (PIN fields, numeric, excepted).
			for (const hit of text.matchAll(/<input[^>]*type="password"[^>]*>/gs)) {
				if (/maxlength="\d+"/.test(hit[0]) && !/inputmode="numeric"/.test(hit[0])) own.push(`${file}: ${hit[0].slice(0, 80)}`);
			}
		}
		expect(own).toEqual([]);
	});
});
