import { z } from 'zod';
import { locales, roles } from '../db/schema';
import { CONTROL_CHARACTERS, fieldErrorMessage } from '../form';
import { checkNewPassword, PASSWORD_MAX_LENGTH } from '../auth/password-rules';
import type { NewUser } from './users';
import { m } from '$lib/paraglide/messages';

/** Lower-case letters, digits, dot, dash and underscore; what people type on a tablet without surprises. */
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

const NewUserForm = z.object({
	username: z.string().trim().toLowerCase().min(1).max(40).regex(USERNAME),
	displayName: z.string().trim().min(1).max(100).refine((v) => !CONTROL_CHARACTERS.test(v)),
	role: z.enum(roles),
	team: z.string().regex(/^([1-9][0-9]{0,9})?$/),
	preferredLocale: z.enum(locales),
	password: z.string().min(1).max(PASSWORD_MAX_LENGTH * 4)
});

export function userFormLabels(): Record<keyof z.infer<typeof NewUserForm>, string> {
	return {
		username: m.login_username(),
		displayName: m.admin_user_display_name(),
		role: m.admin_user_role(),
		team: m.admin_user_team(),
		preferredLocale: m.admin_user_language(),
		password: m.admin_user_password()
	};
}

export type ParsedUserForm = { ok: true; value: NewUser } | { ok: false; message: string; field: string };

/** The new-user form: every field checked, the first problem named by its label. */
export function parseNewUserForm(form: FormData): ParsedUserForm {
	const input = Object.fromEntries(form);
	const labels = userFormLabels();
	const parsed = NewUserForm.safeParse({ ...input, team: input.team ?? '' });
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]?.path[0] ?? '');
		return { ok: false, field, message: fieldErrorMessage(parsed.error, labels, input) };
	}
	const { username, displayName, role, team, preferredLocale, password } = parsed.data;
	if (team === '' && role !== 'admin') return { ok: false, field: 'team', message: m.field_required({ field: labels.team }) };
	const weak = checkNewPassword(password, username, labels.password);
	if (weak !== null) return { ok: false, field: 'password', message: weak };
	return { ok: true, value: { username, displayName, role, teamId: team === '' ? null : Number(team), preferredLocale, password } };
}
