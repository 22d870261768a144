import { fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { clientAddress, requireRole } from '$lib/server/auth/guards';
import { createUser, listOrganisationUsers, organisationTeams, setUserDisabled } from '$lib/server/admin/users';
import { parseNewUserForm, userFormLabels } from '$lib/server/admin/user-form';
import { passwordProblemMessage, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '$lib/server/auth/password-rules';
import { roles, locales } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const admin = requireRole(event, ['admin']);
	const db = getDb();
	return {
		users: listOrganisationUsers(db, admin.organisationId),
		teams: organisationTeams(db, admin.organisationId),
		me: admin.id,
		roles,
		locales,
		minLength: PASSWORD_MIN_LENGTH,
		maxLength: PASSWORD_MAX_LENGTH
	};
};

/** The form's fields, echoed back after a failure (never the password). */
function echo(form: FormData): Record<string, string> {
	const fields = ['username', 'displayName', 'role', 'team', 'preferredLocale'] as const;
	return Object.fromEntries(fields.map((f) => [f, String(form.get(f) ?? '').slice(0, 100)]));
}

async function create(event: RequestEvent) {
	const admin = requireRole(event, ['admin']);
	const form = await event.request.formData();
	const where = { action: 'create', values: echo(form) };
	const parsed = parseNewUserForm(form);
	if (!parsed.ok) return fail(400, { ...where, field: parsed.field, message: parsed.message });
	const result = await createUser(getDb(), admin, parsed.value, clientAddress(event), new Date());
	if (!result.ok) {
		const labels = userFormLabels();
		if (result.reason === 'username_taken') return fail(400, { ...where, field: 'username', message: m.admin_user_username_taken({ username: parsed.value.username }) });
		if (result.reason === 'unknown_team') return fail(400, { ...where, field: 'team', message: m.admin_user_team_unknown({ field: labels.team }) });
		return fail(400, { ...where, field: 'password', message: passwordProblemMessage(result.problem, labels.password) });
	}
	return { action: 'create', done: m.admin_user_created({ username: result.user.username }) };
}

async function setDisabled(event: RequestEvent, admin: SessionUser, disabled: boolean) {
	const raw = String((await event.request.formData()).get('user') ?? '');
	const userId = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : 0;
	const result = setUserDisabled(getDb(), admin, userId, disabled, clientAddress(event), new Date());
	if (!result.ok) return fail(result.reason === 'self' ? 400 : 404, { action: 'toggle', message: result.reason === 'self' ? m.admin_user_self() : m.admin_user_not_found() });
	const { username } = result;
	return { action: 'toggle', done: disabled ? m.admin_user_disabled_done({ username }) : m.admin_user_enabled_done({ username }) };
}

async function disable(event: RequestEvent) {
	const admin = requireRole(event, ['admin']);
	return setDisabled(event, admin, true);
}

async function enable(event: RequestEvent) {
	const admin = requireRole(event, ['admin']);
	return setDisabled(event, admin, false);
}

export const actions: Actions = { create, disable, enable };
