import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { findOrganisationUser, resetPassword, resetPin, updateUser } from '$lib/server/admin/users';
import { listTeams } from '$lib/server/admin/teams';
import { resetSecondFactor } from '$lib/server/auth/two-factor';
import { doer } from '$lib/server/context';
import { exactFields, parseEditUserForm, parseId, parseIdentityForm, parseResetPasswordForm } from '$lib/server/admin/user-form';
import { setUserIdentity } from '$lib/server/admin/user-identity';
import { passwordProblemMessage, PASSWORD_FIELD_MAX, PASSWORD_MIN_LENGTH } from '$lib/server/auth/password-rules';
import { locales, roles } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';
import { m } from '$lib/paraglide/messages';

/** The user of the address, in the admin's organisation; anything else is 404. */
function target(event: RequestEvent, admin: SessionUser) {
	const id = parseId(event.params.id);
	const user = id === null ? null : findOrganisationUser(event.locals.ctx.db, admin.organisationId, id);
	if (user === null) error(404, m.admin_user_not_found());
	return user;
}

export const load: PageServerLoad = (event) => {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const user = target(event, admin);
	return {
		user,
		me: admin.id,
		teams: listTeams(event.locals.ctx.db, admin.organisationId).map((t) => ({ id: t.id, name: t.name, archived: t.archivedAt !== null })),
		roles,
		locales,
		provider: event.locals.ctx.config.sso?.name ?? null,
		minLength: PASSWORD_MIN_LENGTH,
		maxLength: PASSWORD_FIELD_MAX
	};
};

async function edit(event: RequestEvent) {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const user = target(event, admin);
	const parsed = parseEditUserForm(await event.request.formData());
	if (!parsed.ok) return fail(400, { action: 'edit', field: parsed.field, message: parsed.message });
	const result = updateUser(event.locals.ctx.db, admin, user.id, parsed.value, event.locals.ctx.address, event.locals.ctx.now);
	if (!result.ok) {
		if (result.reason === 'unknown_team') return fail(400, { action: 'edit', field: 'teams', message: m.admin_user_team_unknown({ field: m.adm_user_teams() }) });
		if (result.reason === 'self_role') return fail(400, { action: 'edit', field: 'role', message: m.adm_user_self_role() });
		return fail(404, { action: 'edit', field: 'user', message: m.admin_user_not_found() });
	}
	return { action: 'edit', done: m.adm_user_saved({ username: result.username }) };
}

async function password(event: RequestEvent) {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const user = target(event, admin);
	const parsed = parseResetPasswordForm(await event.request.formData(), user.username);
	if (!parsed.ok) return fail(400, { action: 'password', field: parsed.field, message: parsed.message });
	const result = await resetPassword(event.locals.ctx.db, admin, user.id, parsed.value, event.locals.ctx.address, event.locals.ctx.now);
	if (!result.ok) {
		if (result.reason === 'weak_password') return fail(400, { action: 'password', field: 'password', message: passwordProblemMessage(result.problem, m.adm_user_one_time_password()) });
		if (result.reason === 'self') return fail(400, { action: 'password', field: 'password', message: m.adm_user_reset_self() });
		return fail(404, { action: 'password', field: 'user', message: m.admin_user_not_found() });
	}
	return { action: 'password', done: m.adm_user_password_reset_done({ username: result.username }) };
}

async function pin(event: RequestEvent) {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const user = target(event, admin);
	const fields = exactFields(await event.request.formData(), [], [], {});
	if (!fields.ok) return fail(400, { action: 'pin', field: fields.field, message: fields.message });
	const result = resetPin(event.locals.ctx.db, admin, user.id, event.locals.ctx.address, event.locals.ctx.now);
	if (!result.ok) return fail(404, { action: 'pin', field: 'user', message: m.admin_user_not_found() });
	return { action: 'pin', done: m.adm_user_pin_reset_done({ username: result.username }) };
}

/** A lost phone: the user's authenticator and recovery codes go, and every session of theirs ends (audited). */
async function twoFactor(event: RequestEvent) {
	const { ctx } = event.locals;
	const { user: admin } = requireRole(ctx, ['admin']);
	const user = target(event, admin);
	const fields = exactFields(await event.request.formData(), [], [], {});
	if (!fields.ok) return fail(400, { action: 'twoFactor', field: fields.field, message: fields.message });
	const result = resetSecondFactor(ctx.db, doer(ctx, admin), user.id, ctx.now);
	if (!result.ok) {
		if (result.reason === 'self') return fail(400, { action: 'twoFactor', field: 'user', message: m.tf_admin_reset_self() });
		return fail(404, { action: 'twoFactor', field: 'user', message: m.admin_user_not_found() });
	}
	return { action: 'twoFactor', done: m.tf_admin_reset_done({ username: result.username }) };
}

/** The HPR number and e-mail a first single sign-on finds the account by (accounts made before it). */
async function identity(event: RequestEvent) {
	const { ctx } = event.locals;
	const { user: admin } = requireRole(ctx, ['admin']);
	const user = target(event, admin);
	const parsed = parseIdentityForm(await event.request.formData());
	if (!parsed.ok) return fail(400, { action: 'identity', field: parsed.field, message: parsed.message });
	const result = setUserIdentity(ctx.db, doer(ctx, admin), user.id, parsed.value, ctx.now);
	if (!result.ok) {
		if (result.reason === 'not_found') return fail(404, { action: 'identity', field: 'user', message: m.admin_user_not_found() });
		const field = result.reason === 'hpr_taken' ? 'hprNumber' : 'email';
		return fail(400, { action: 'identity', field, message: m.adm_user_identity_taken({ field: field === 'hprNumber' ? m.adm_user_hpr() : m.adm_user_email() }) });
	}
	return { action: 'identity', done: m.adm_user_identity_saved({ username: result.username }) };
}

export const actions: Actions = { edit, password, pin, twoFactor, identity };
