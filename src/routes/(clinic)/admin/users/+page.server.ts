import { fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { createUser, findOrganisationUser, listOrganisationUsers, setUserDisabled } from '$lib/server/admin/users';
import { openTeams } from '$lib/server/admin/teams';
import { exactFields, parseId, parseNewUserForm, userFormLabels } from '$lib/server/admin/user-form';
import { passwordProblemMessage, PASSWORD_FIELD_MAX, PASSWORD_MIN_LENGTH } from '$lib/server/auth/password-rules';
import { roles, locales } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user: admin } = requireRole(ctx, ['admin']);
	const db = ctx.db;
	return {
		users: listOrganisationUsers(db, admin.organisationId),
		teams: openTeams(db, admin.organisationId),
		me: admin.id,
		roles,
		locales,
		minLength: PASSWORD_MIN_LENGTH,
		maxLength: PASSWORD_FIELD_MAX
	};
};

/** The form's fields, echoed back after a failure (never the password). */
function echo(form: FormData): Record<string, string> {
	const fields = ['username', 'displayName', 'role', 'preferredLocale'] as const;
	const teams = [...form.keys()].filter((k) => /^team-[1-9][0-9]{0,9}$/.test(k)).slice(0, 50);
	return { ...Object.fromEntries(fields.map((f) => [f, String(form.get(f) ?? '').slice(0, 100)])), ...Object.fromEntries(teams.map((t) => [t, 'on'])) };
}

async function create(event: RequestEvent) {
	const ctx = event.locals.ctx;
	const { user: admin } = requireRole(ctx, ['admin']);
	const form = await event.request.formData();
	const where = { action: 'create', values: echo(form) };
	const parsed = parseNewUserForm(form);
	if (!parsed.ok) return fail(400, { ...where, field: parsed.field, message: parsed.message });
	const result = await createUser(ctx.db, admin, parsed.value, ctx.address, ctx.now);
	if (!result.ok) {
		const labels = userFormLabels();
		if (result.reason === 'username_taken') return fail(400, { ...where, field: 'username', message: m.admin_user_username_taken({ username: parsed.value.username }) });
		if (result.reason === 'unknown_team') return fail(400, { ...where, field: 'teams', message: m.admin_user_team_unknown({ field: labels.teams }) });
		return fail(400, { ...where, field: 'password', message: passwordProblemMessage(result.problem, labels.password) });
	}
	return { action: 'create', done: m.admin_user_created({ username: result.user.username }) };
}

async function setDisabled(event: RequestEvent, admin: SessionUser, disabled: boolean) {
	const form = await event.request.formData();
	const fields = exactFields(form, ['user', 'confirm'], [], { user: m.admin_user_display_name(), confirm: m.adm_user_confirm_disable() });
	if (!fields.ok) return fail(400, { action: 'toggle', message: fields.message });
	const userId = parseId(fields.value.user) ?? 0;
	const ctx = event.locals.ctx;
	// Deactivating asks first: the first post names the person and what will happen, the second (confirm=yes) does it.
	if (disabled && fields.value.confirm !== 'yes') {
		if (userId === admin.id) return fail(400, { action: 'toggle', message: m.admin_user_self() });
		const target = findOrganisationUser(ctx.db, admin.organisationId, userId);
		if (target === null) return fail(404, { action: 'toggle', message: m.admin_user_not_found() });
		if (fields.value.confirm !== undefined) return fail(400, { action: 'toggle', message: m.field_invalid({ field: m.adm_user_confirm_disable() }) });
		return { action: 'confirm', user: target.id, name: target.displayName };
	}
	const result = setUserDisabled(ctx.db, admin, userId, disabled, ctx.address, ctx.now);
	if (!result.ok) return fail(result.reason === 'self' ? 400 : 404, { action: 'toggle', message: result.reason === 'self' ? m.admin_user_self() : m.admin_user_not_found() });
	const { username } = result;
	return { action: 'toggle', done: disabled ? m.admin_user_disabled_done({ username }) : m.admin_user_enabled_done({ username }) };
}

async function disable(event: RequestEvent) {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	return setDisabled(event, admin, true);
}

async function enable(event: RequestEvent) {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	return setDisabled(event, admin, false);
}

export const actions: Actions = { create, disable, enable };
