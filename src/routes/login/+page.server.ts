import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { signIn } from '$lib/server/auth/sign-in';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { sessionCookieOptions } from '$lib/server/auth/cookie';
import { clientAddress } from '$lib/server/auth/guards';
import { safeNext } from '$lib/server/safe-next';
import { setLocaleCookie } from '$lib/server/locale';
import { fieldErrorMessage } from '$lib/server/form';
import { m } from '$lib/paraglide/messages';

// Public: the sign-in page is where the guards send everyone who is signed out.
export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user !== null) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: url.searchParams.get('next') ?? '', demo: process.env.STEMME_DEMO !== 'off', locked: url.searchParams.has('locked') };
};

const SignInForm = z.object({
	username: z.string().trim().min(1).max(100),
	password: z.string().min(1).max(200),
	next: z.string().max(500).optional()
});

export const actions: Actions = {
	default: async (event) => {
		const form = Object.fromEntries(await event.request.formData());
		const username = typeof form.username === 'string' ? form.username.slice(0, 100) : '';
		const parsed = SignInForm.safeParse(form);
		if (!parsed.success) {
			const labels = { username: m.login_username(), password: m.login_password(), next: 'next' };
			return fail(400, { username, message: fieldErrorMessage(parsed.error, labels, form) });
		}
		const result = await signIn(
			getDb(),
			{ username: parsed.data.username, password: parsed.data.password, address: clientAddress(event) },
			new Date()
		);
		if (!result.ok) {
			if (result.reason === 'throttled') {
				return fail(429, { username, message: m.login_throttled({ seconds: result.retryAfterSeconds }) });
			}
			return fail(400, { username, message: m.login_wrong() });
		}
		event.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(event.url, result.expiresAt));
		setLocaleCookie(event.cookies, result.user.preferredLocale);
		redirect(303, safeNext(parsed.data.next ?? null));
	}
};
