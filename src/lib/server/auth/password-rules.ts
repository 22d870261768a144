import { z } from 'zod';
import breachedList from './breached-passwords.txt?raw';
import { PASSWORD_FIELD_MAX, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '$lib/password-length';
import { m } from '$lib/paraglide/messages';

// The limits and their sources: $lib/password-length.ts (shared with the forms' maxlength).
export { PASSWORD_FIELD_MAX, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/**
 * A password field as every form's schema reads it: not empty, and no longer than the field
 * takes. A password that passes the rules below always fits, so whatever can be set can be used.
 */
export const passwordField = z.string().min(1).max(PASSWORD_FIELD_MAX);

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
