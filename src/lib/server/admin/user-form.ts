import { z } from 'zod';
import { locales, roles, rolesWithoutTeams } from '../db/schema';
import { CONTROL_CHARACTERS, fieldErrorMessage } from '../form';
import { checkNewPassword, passwordField, PASSWORD_FIELD_MAX, PASSWORD_MAX_LENGTH } from '../auth/password-rules';
import type { NewUser, UserEdit } from './users';
import type { SsoIdentity } from './user-identity';
import { m } from '$lib/paraglide/messages';

/** Lower-case letters, digits, dot, dash and underscore; what people type on a tablet without surprises. */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

const NAME = z
	.string()
	.trim()
	.min(1)
	.max(100)
	.refine((v) => !CONTROL_CHARACTERS.test(v));

const NewUserForm = z.object({
	username: z.string().trim().toLowerCase().min(1).max(40).regex(USERNAME),
	displayName: NAME,
	role: z.enum(roles),
	preferredLocale: z.enum(locales),
	password: passwordField
});

const EditUserForm = z.object({
	displayName: NAME,
	role: z.enum(roles),
	preferredLocale: z.enum(locales)
});

/** Team check boxes are named `team-<id>` (one field each: a form may not repeat a field). */
const TEAM_FIELD = /^team-([1-9][0-9]{0,9})$/;

export function userFormLabels(): Record<keyof z.infer<typeof NewUserForm> | 'teams', string> {
	return {
		username: m.login_username(),
		displayName: m.admin_user_display_name(),
		role: m.admin_user_role(),
		teams: m.adm_user_teams(),
		preferredLocale: m.admin_user_language(),
		password: m.admin_user_password()
	};
}

export type ParsedUserForm = { ok: true; value: NewUser } | { ok: false; message: string; field: string };
export type ParsedForm<T> = { ok: true; value: T } | { ok: false; message: string; field: string };

/**
 * Splits a form into its named fields and its team check boxes; a field the form does not have is
 * refused by name (a form that sends what it was never given is not one of ours).
 */
export function fieldsAndTeams(form: FormData, allowed: readonly string[]): { ok: true; input: Record<string, string>; teamIds: number[] } | { ok: false; field: string; message: string } {
	const input: Record<string, string> = {};
	const teamIds: number[] = [];
	for (const [name, value] of form.entries()) {
		const team = TEAM_FIELD.exec(name);
		if (team !== null) {
			if (value !== 'on') return { ok: false, field: 'teams', message: m.field_invalid({ field: m.adm_user_teams() }) };
			teamIds.push(Number(team[1]));
		} else if (allowed.includes(name)) input[name] = String(value);
		else return { ok: false, field: name.slice(0, 60), message: m.adm_unknown_field({ field: name.slice(0, 60) }) };
	}
	if (teamIds.length > 50) return { ok: false, field: 'teams', message: m.field_invalid({ field: m.adm_user_teams() }) };
	return { ok: true, input, teamIds };
}

/** The new-user form: every field checked, the first problem named by its label. */
export function parseNewUserForm(form: FormData): ParsedUserForm {
	const split = fieldsAndTeams(form, ['username', 'displayName', 'role', 'preferredLocale', 'password']);
	if (!split.ok) return split;
	const { input, teamIds } = split;
	const labels = userFormLabels();
	const parsed = NewUserForm.safeParse(input);
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]?.path[0] ?? '');
		return { ok: false, field, message: fieldErrorMessage(parsed.error, labels, input) };
	}
	const { username, displayName, role, preferredLocale, password } = parsed.data;
	if (teamIds.length === 0 && !rolesWithoutTeams.includes(role)) return { ok: false, field: 'teams', message: m.adm_user_teams_required({ field: labels.teams }) };
	const weak = checkNewPassword(password, username, labels.password);
	if (weak !== null) return { ok: false, field: 'password', message: weak };
	return { ok: true, value: { username, displayName, role, teamIds: rolesWithoutTeams.includes(role) ? [] : teamIds, preferredLocale, password } };
}

/** The edit form: name, role, language and teams (a clinician or team lead is on at least one). */
export function parseEditUserForm(form: FormData): ParsedForm<UserEdit> {
	const split = fieldsAndTeams(form, ['displayName', 'role', 'preferredLocale']);
	if (!split.ok) return split;
	const { input, teamIds } = split;
	const labels = userFormLabels();
	const parsed = EditUserForm.safeParse(input);
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]?.path[0] ?? '');
		return { ok: false, field, message: fieldErrorMessage(parsed.error, labels, input) };
	}
	if (teamIds.length === 0 && !rolesWithoutTeams.includes(parsed.data.role)) return { ok: false, field: 'teams', message: m.adm_user_teams_required({ field: labels.teams }) };
	return { ok: true, value: { ...parsed.data, teamIds: rolesWithoutTeams.includes(parsed.data.role) ? [] : teamIds } };
}

/** Exactly these fields, each once, as strings; anything else names the field. */
export function exactFields(form: FormData, allowed: readonly string[], required: readonly string[], labels: Record<string, string>): ParsedForm<Record<string, string>> {
	const input: Record<string, string> = {};
	for (const [name, value] of form.entries()) {
		if (!allowed.includes(name)) return { ok: false, field: name.slice(0, 60), message: m.adm_unknown_field({ field: name.slice(0, 60) }) };
		input[name] = String(value);
	}
	for (const name of required) {
		if ((input[name] ?? '').trim() === '') return { ok: false, field: name, message: m.field_required({ field: labels[name] ?? name }) };
	}
	return { ok: true, value: input };
}

/** A record id from a form or the address: digits only, no leading zero. */
export function parseId(raw: string | undefined): number | null {
	return raw !== undefined && /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : null;
}

/** The reset-password form: a new one-time password, by the password rules. */
export function parseResetPasswordForm(form: FormData, username: string): ParsedForm<string> {
	const label = m.adm_user_one_time_password();
	const fields = exactFields(form, ['password'], ['password'], { password: label });
	if (!fields.ok) return fields;
	const password = fields.value.password!;
	if (password.length > PASSWORD_FIELD_MAX) return { ok: false, field: 'password', message: m.field_too_long({ field: label, max: PASSWORD_MAX_LENGTH }) };
	const weak = checkNewPassword(password, username, label);
	return weak === null ? { ok: true, value: password } : { ok: false, field: 'password', message: weak };
}

/** An HPR number as the register gives it: digits only (Stemme does not look it up in the register). */
const HPR_NUMBER = /^[0-9]{1,10}$/;
const HPR_MAX = 10;
/** Something@domain.tld without spaces: the form of an address, not proof that it is one. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_MAX = 254;

/** The HPR number and e-mail a first single sign-on is matched by; an empty field clears it. */
export function parseIdentityForm(form: FormData): ParsedForm<SsoIdentity> {
	const labels = { hprNumber: m.adm_user_hpr(), email: m.adm_user_email() };
	const fields = exactFields(form, ['hprNumber', 'email'], [], labels);
	if (!fields.ok) return fields;
	// Both fields are on the form (either may be empty): a form without one is not ours.
	for (const name of ['hprNumber', 'email'] as const) if (fields.value[name] === undefined) return { ok: false, field: name, message: m.field_required({ field: labels[name] }) };
	const hprNumber = (fields.value.hprNumber ?? '').replace(/\s/g, '');
	const email = (fields.value.email ?? '').trim().toLowerCase();
	if (hprNumber !== '' && !HPR_NUMBER.test(hprNumber)) return { ok: false, field: 'hprNumber', message: m.adm_user_hpr_invalid({ field: labels.hprNumber, max: HPR_MAX }) };
	if (email.length > EMAIL_MAX) return { ok: false, field: 'email', message: m.field_too_long({ field: labels.email, max: EMAIL_MAX }) };
	if (email !== '' && (!EMAIL.test(email) || CONTROL_CHARACTERS.test(email))) return { ok: false, field: 'email', message: m.adm_user_email_invalid({ field: labels.email }) };
	return { ok: true, value: { hprNumber: hprNumber === '' ? null : hprNumber, email: email === '' ? null : email } };
}
