import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { completeSetup, setupTokenValid } from '$lib/server/setup/first-start';
import { parseSetupForm, setupFormLabels } from '$lib/server/setup/setup-form';
import { passwordProblemMessage, PASSWORD_FIELD_MAX, PASSWORD_MIN_LENGTH } from '$lib/server/auth/password-rules';
import { locales } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages';

// Public: the first start has no users yet; the one-time token printed in the server's log is
// what lets someone in, and only until the organisation exists.
export const load: PageServerLoad = (event) => {
	const url = event.url;
	const token = url.searchParams.get('token') ?? '';
	if (!setupTokenValid(event.locals.ctx.db, token.slice(0, 100), event.locals.ctx.now)) error(404, m.adm_setup_link_invalid());
	return { token, locales, minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_FIELD_MAX };
};

/** The fields echoed back after a failure (never the passwords or the token). */
function echo(form: FormData): Record<string, string> {
	return Object.fromEntries(['organisation', 'username', 'displayName', 'preferredLocale'].map((f) => [f, String(form.get(f) ?? '').slice(0, 120)]));
}

export const actions: Actions = {
	// Public: as the page; the token in the form is checked and spent in the same transaction.
	default: async (event) => {
		const form = await event.request.formData();
		const values = echo(form);
		const parsed = parseSetupForm(form);
		if (!parsed.ok) return fail(400, { values, field: parsed.field, message: parsed.message });
		const { token, ...admin } = parsed.value;
		const result = await completeSetup(event.locals.ctx.db, token, admin, event.locals.ctx.address, event.locals.ctx.now);
		if (!result.ok) {
			if (result.reason === 'weak_password') return fail(400, { values, field: 'password', message: passwordProblemMessage(result.problem, setupFormLabels().password!) });
			if (result.reason === 'username_taken') return fail(400, { values, field: 'username', message: m.admin_user_username_taken({ username: admin.username }) });
			return fail(403, { values, field: 'token', message: m.adm_setup_link_invalid() });
		}
		redirect(303, '/login?setup=done');
	}
};
