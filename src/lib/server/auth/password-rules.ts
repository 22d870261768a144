import breachedList from './breached-passwords.txt?raw';
import { m } from '$lib/paraglide/messages';

/**
 * NIST SP 800-63B §5.1.1.2 (memorized secrets): at least 8 characters, and verifiers SHOULD allow
 * at least 64; length matters more than composition rules, which it advises against. Staff
 * accounts here open health records, so the minimum is raised to 12 (as NSM's grunnprinsipper
 * for IKT-sikkerhet recommend for long passphrases); 256 bounds the argon2 input.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** The same guideline: compare against passwords known from breaches, dictionaries and the service's own name. */
const BREACHED: ReadonlySet<string> = new Set(
	breachedList
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '' && !line.startsWith('#'))
		.map((line) => line.normalize('NFKC').toLowerCase())
);

export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_username' | 'common';

/**
 * The first rule a new password breaks, or null when it may be used. Length counts Unicode code
 * points after NFKC normalisation, as the guideline asks, so "å" is one character.
 * @example passwordProblem('sommer2024', 'kari') // 'too_short'
 */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
	const normalised = password.normalize('NFKC');
	const length = [...normalised].length;
	if (length < PASSWORD_MIN_LENGTH) return 'too_short';
	if (length > PASSWORD_MAX_LENGTH) return 'too_long';
	const lower = normalised.toLowerCase();
	if (lower.trim() === username.trim().toLowerCase()) return 'same_as_username';
	if (BREACHED.has(lower) || BREACHED.has(lower.trim())) return 'common';
	return null;
}

export function isCommonPassword(password: string): boolean {
	return BREACHED.has(password.normalize('NFKC').toLowerCase().trim());
}

/** One sentence naming the field (its label on the form) and the rule. */
export function passwordProblemMessage(problem: PasswordProblem, field: string): string {
	switch (problem) {
		case 'too_short':
			return m.password_too_short({ field, min: PASSWORD_MIN_LENGTH });
		case 'too_long':
			return m.password_too_long({ field, max: PASSWORD_MAX_LENGTH });
		case 'same_as_username':
			return m.password_same_as_username({ field });
		case 'common':
			return m.password_common({ field });
	}
}

/** The rules and message together: null when the password may be used, else the message. */
export function checkNewPassword(password: string, username: string, field: string): string | null {
	const problem = passwordProblem(password, username);
	return problem === null ? null : passwordProblemMessage(problem, field);
}
