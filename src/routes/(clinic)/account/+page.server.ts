import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { sessionCookieOptions } from '$lib/server/auth/cookie';
import { changeOwnPassword, signOutEverywhere } from '$lib/server/account';
import { passwordField, passwordProblemMessage, PASSWORD_FIELD_MAX, PASSWORD_MIN_LENGTH } from '$lib/server/auth/password-rules';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { fieldErrorMessage } from '$lib/server/form';
import { hasPin } from '$lib/server/tablet/handoff';
import { savePinForm } from '$lib/server/tablet/pin-form';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	return { account: { username: user.username, displayName: user.displayName }, hasPin: hasPin(ctx.db, user.id), minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_FIELD_MAX };
};

/** The password form; the new password's own rules (length, common passwords) are checked by changeOwnPassword. */
const passwordForm = z.object({
	current: passwordField,
	next: passwordField,
	repeat: z.string().max(PASSWORD_FIELD_MAX)
});

async function password(event: RequestEvent) {
	const ctx = event.locals.ctx;
	const { user, session } = requireUser(ctx);
	const form = Object.fromEntries(await event.request.formData());
	const where = { action: 'password' };
	const parsed = passwordForm.safeParse(form);
	if (!parsed.success) {
		const labels = { current: m.account_password_current(), next: m.account_password_new(), repeat: m.account_password_repeat() };
		return fail(400, { ...where, message: fieldErrorMessage(parsed.error, labels, form) });
	}
	const { current, next, repeat } = parsed.data;
	if (next !== repeat) return fail(400, { ...where, message: m.account_password_mismatch({ field: m.account_password_repeat() }) });
	const result = await changeOwnPassword(ctx.db, user, session.id, { current, next }, ctx.address, ctx.now);
	if (!result.ok) {
		if (result.reason === 'throttled') return fail(429, { ...where, message: m.login_throttled({ seconds: result.retryAfterSeconds }) });
		const message = result.reason === 'wrong_current' ? m.account_password_wrong() : passwordProblemMessage(result.problem, m.account_password_new());
		return fail(400, { ...where, message });
	}
	return { ...where, saved: true };
}

async function pin(event: RequestEvent) {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	return savePinForm(ctx, user.id, await event.request.formData());
}

function everywhere(event: RequestEvent): never {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	signOutEverywhere(ctx.db, user, ctx.address, ctx.now);
	event.cookies.delete(SESSION_COOKIE, sessionCookieOptions(event.url, null));
	redirect(303, '/login');
}

export const actions: Actions = { password, pin, everywhere };
