import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { replaceOneTimePassword } from '$lib/server/account';
import { parseNewPasswordForm } from '$lib/server/setup/setup-form';
import { passwordProblemMessage, PASSWORD_FIELD_MAX, PASSWORD_MIN_LENGTH } from '$lib/server/auth/password-rules';
import { safeNext } from '$lib/server/safe-next';
import { m } from '$lib/paraglide/messages';

/** The page a user on a one-time password reaches first, and the only one until it is replaced. */
export const load: PageServerLoad = (event) => {
	const { user } = requireUser(event.locals.ctx, { passwordChange: true });
	const next = event.url.searchParams.get('next') ?? '';
	const target = safeNext(next, event.url.origin);
	if (!target.ok) error(400, m.security_next_invalid());
	if (user.mustChangePassword !== true) redirect(303, target.path);
	return { displayName: user.displayName, next: next.slice(0, 500), minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_FIELD_MAX };
};

export const actions: Actions = {
	default: async (event) => {
		const { user, session } = requireUser(event.locals.ctx, { passwordChange: true });
		const parsed = parseNewPasswordForm(await event.request.formData(), user.username);
		if (!parsed.ok) return fail(400, { field: parsed.field, message: parsed.message });
		const target = safeNext(parsed.value.next, event.url.origin);
		if (!target.ok) return fail(400, { field: 'next', message: m.security_next_invalid() });
		const result = await replaceOneTimePassword(event.locals.ctx.db, user, session.id, parsed.value.password, event.locals.ctx.address, event.locals.ctx.now);
		if (!result.ok) {
			if (result.reason === 'weak_password') return fail(400, { field: 'password', message: passwordProblemMessage(result.problem, m.adm_new_password()) });
			if (result.reason === 'same_as_one_time') return fail(400, { field: 'password', message: m.adm_password_same_as_one_time() });
			redirect(303, target.path);
		}
		redirect(303, target.path);
	}
};
