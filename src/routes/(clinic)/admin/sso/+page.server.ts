import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { approveSsoRequest, ssoApprovalsView, turnAwaySsoRequest } from '$lib/server/auth/sso';
import { parseSsoApprovalForm, parseTurnAwayForm } from '$lib/server/auth/sso-form';
import { doer } from '$lib/server/context';
import { roles } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const { db, config } = event.locals.ctx;
	return { provider: config.sso?.name ?? null, roles, ...ssoApprovalsView(db, admin.organisationId) };
};

export const actions: Actions = {
	approve: async (event) => {
		const { user: admin } = requireRole(event.locals.ctx, ['admin']);
		const { ctx } = event.locals;
		const parsed = parseSsoApprovalForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { field: parsed.field, message: parsed.message });
		const result = approveSsoRequest(ctx.db, doer(ctx, admin), parsed.value, ctx.now);
		if (!result.ok) {
			const message = { not_found: m.sso_admin_not_found, username_taken: m.sso_admin_username_taken, unknown_team: m.sso_admin_unknown_team, identity_taken: m.sso_admin_identity_taken }[
				result.reason
			]();
			return fail(result.reason === 'not_found' ? 404 : 400, { field: result.reason === 'username_taken' ? 'username' : 'request', message });
		}
		return { done: m.sso_admin_approved({ name: parsed.value.username, provider: ctx.config.sso?.name ?? '' }) };
	},
	/** The admin turns a waiting person away, with the reason; they leave the list. */
	turnAway: async (event) => {
		const { user: admin } = requireRole(event.locals.ctx, ['admin']);
		const { ctx } = event.locals;
		const parsed = parseTurnAwayForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { field: parsed.field, message: parsed.message });
		const result = turnAwaySsoRequest(ctx.db, doer(ctx, admin), parsed.value, ctx.now);
		if (!result.ok) return fail(404, { field: 'request', message: m.sso_admin_not_found() });
		return { done: m.sso_admin_turned_away({ name: result.name }) };
	}
};
