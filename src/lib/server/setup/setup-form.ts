import { z } from 'zod';
import { locales } from '../db/schema';
import { CONTROL_CHARACTERS, fieldErrorMessage } from '../form';
import { checkNewPassword, passwordField, PASSWORD_FIELD_MAX, PASSWORD_MAX_LENGTH } from '../auth/password-rules';
import { exactFields, type ParsedForm } from '../admin/user-form';
import type { FirstAdmin } from './first-start';
import { m } from '$lib/paraglide/messages';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;
const NAME = (max: number) =>
	z
		.string()
		.trim()
		.min(1)
		.max(max)
		.refine((v) => !CONTROL_CHARACTERS.test(v));

const SetupForm = z.object({
	token: z.string().max(100),
	organisation: NAME(120),
	username: z.string().trim().toLowerCase().min(1).max(40).regex(USERNAME),
	displayName: NAME(100),
	preferredLocale: z.enum(locales),
	password: passwordField,
	repeat: z.string().max(PASSWORD_FIELD_MAX)
});

export function setupFormLabels(): Record<string, string> {
	return {
		token: m.adm_setup_token(),
		organisation: m.adm_setup_organisation(),
		username: m.login_username(),
		displayName: m.admin_user_display_name(),
		preferredLocale: m.admin_user_language(),
		password: m.login_password(),
		repeat: m.adm_password_repeat()
	};
}

/** The setup page: the organisation and its first administrator, the password twice and by the rules. */
export function parseSetupForm(form: FormData): ParsedForm<FirstAdmin & { token: string }> {
	const labels = setupFormLabels();
	const names = ['token', 'organisation', 'username', 'displayName', 'preferredLocale', 'password', 'repeat'];
	const fields = exactFields(
		form,
		names,
		names.filter((n) => n !== 'repeat'),
		labels
	);
	if (!fields.ok) return fields;
	const parsed = SetupForm.safeParse({ repeat: '', ...fields.value });
	if (!parsed.success) return { ok: false, field: String(parsed.error.issues[0]?.path[0] ?? ''), message: fieldErrorMessage(parsed.error, labels, fields.value) };
	const { repeat, ...value } = parsed.data;
	const weak = checkNewPassword(value.password, value.username, labels.password!);
	if (weak !== null) return { ok: false, field: 'password', message: weak };
	if (repeat !== value.password) return { ok: false, field: 'repeat', message: m.adm_password_mismatch() };
	return { ok: true, value };
}

/** The forced change after a one-time password: the new password twice. */
export function parseNewPasswordForm(form: FormData, username: string): ParsedForm<{ password: string; next: string }> {
	const labels = { password: m.adm_new_password(), repeat: m.adm_password_repeat(), next: 'next' };
	const fields = exactFields(form, ['password', 'repeat', 'next'], ['password'], labels);
	if (!fields.ok) return fields;
	const { password = '', repeat = '', next = '' } = fields.value;
	if (password.length > PASSWORD_FIELD_MAX) return { ok: false, field: 'password', message: m.field_too_long({ field: labels.password, max: PASSWORD_MAX_LENGTH }) };
	if (next.length > 500) return { ok: false, field: 'next', message: m.field_invalid({ field: 'next' }) };
	const weak = checkNewPassword(password, username, labels.password);
	if (weak !== null) return { ok: false, field: 'password', message: weak };
	if (repeat !== password) return { ok: false, field: 'repeat', message: m.adm_password_mismatch() };
	return { ok: true, value: { password, next } };
}
