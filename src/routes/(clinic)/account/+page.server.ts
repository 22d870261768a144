import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { clientAddress, requireUser } from '$lib/server/auth/guards';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { sessionCookieOptions } from '$lib/server/auth/cookie';
import { changeOwnPassword, signOutEverywhere } from '$lib/server/account';
import { passwordProblemMessage, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '$lib/server/auth/password-rules';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { fieldErrorMessage } from '$lib/server/form';

export const load: PageServerLoad = (event) => {
	const user = requireUser(event);
	return { account: { username: user.username, displayName: user.displayName }, minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH };
};

/** The password form; the new password's own rules (length, common passwords) are checked by changeOwnPassword. */
const passwordForm = z.object({
	current: z.string().min(1).max(PASSWORD_MAX_LENGTH),
	next: z.string().min(1),
	repeat: z.string()
});

async function password(event: RequestEvent) {
	const user = requireUser(event);
	const form = Object.fromEntries(await event.request.formData());
	const where = { action: 'password' };
	const parsed = passwordForm.safeParse(form);
	if (!parsed.success) {
		const labels = { current: m.account_password_current(), next: m.account_password_new(), repeat: m.account_password_repeat() };
		return fail(400, { ...where, message: fieldErrorMessage(parsed.error, labels, form) });
	}
	const { current, next, repeat } = parsed.data;
	if (next !== repeat) return fail(400, { ...where, message: m.account_password_mismatch({ field: m.account_password_repeat() }) });
	const result = await changeOwnPassword(getDb(), user, event.locals.session?.id ?? '', { current, next }, clientAddress(event), new Date());
	if (!result.ok) {
		if (result.reason === 'throttled') return fail(429, { ...where, message: m.login_throttled({ seconds: result.retryAfterSeconds }) });
		const message = result.reason === 'wrong_current' ? m.account_password_wrong() : passwordProblemMessage(result.problem, m.account_password_new());
		return fail(400, { ...where, message });
	}
	return { ...where, saved: true };
}

function everywhere(event: RequestEvent): never {
	const user = requireUser(event);
	signOutEverywhere(getDb(), user, clientAddress(event), new Date());
	event.cookies.delete(SESSION_COOKIE, sessionCookieOptions(event.url, null));
	redirect(303, '/login');
}

export const actions: Actions = { password, everywhere };
