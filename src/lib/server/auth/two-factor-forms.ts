import { fail, type ActionFailure } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { CodeResult } from './two-factor';

/** The fields of the two-factor forms, as the pages name them in messages and `aria-describedby`. */
export type CodeField = 'code' | 'recovery' | 'key';

const label: Record<CodeField, () => string> = { code: m.tf_code_label, recovery: m.tf_recovery_label, key: m.tf_key_label };

type Form = Record<string, FormDataEntryValue>;

/** A six-digit code from the form (spaces a user types between groups allowed); null when it is not one. */
export function readCode(form: Form, name: 'code'): string | null {
	const raw = form[name];
	if (typeof raw !== 'string') return null;
	const code = raw.replace(/\s/g, '');
	return /^[0-9]{6}$/.test(code) ? code : null;
}

/** A recovery code as typed: letters, digits, spaces and dashes, at most 40 characters. */
export function readRecoveryCode(form: Form): string | null {
	const raw = form.recovery;
	if (typeof raw !== 'string' || raw.length > 40 || !/^[A-Za-z0-9\s-]+$/.test(raw) || raw.trim() === '') return null;
	return raw;
}

export function refuseField(field: CodeField, message: (input: { field: string }) => string): ActionFailure<{ field: CodeField; message: string }> {
	return fail(400, { field, message: message({ field: label[field]() }) });
}

/** The answer to a code that did not pass: wrong (or used), or too many tries (429). */
export function refuseCode(result: Exclude<CodeResult, { ok: true }>, field: 'code' | 'recovery'): ActionFailure<{ field: CodeField; message: string }> {
	if (result.reason === 'throttled') return fail(429, { field, message: m.tf_throttled({ seconds: result.retryAfterSeconds }) });
	return refuseField(field, field === 'code' ? m.tf_wrong_code : m.tf_recovery_wrong);
}
