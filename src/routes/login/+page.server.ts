import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { signIn } from '$lib/server/auth/sign-in';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { safeNext } from '$lib/server/safe-next';
import { TWO_FACTOR_PATH } from '$lib/server/auth/guards';
import { passwordField } from '$lib/server/auth/password-rules';
import { setLocaleCookie } from '$lib/server/locale';
import { fieldErrorMessage } from '$lib/server/form';
import { m } from '$lib/paraglide/messages';
import { demoSignIn } from '$lib/server/setup/first-start';
import { inNetworks } from '$lib/domain/networks';

// Public: the sign-in page is where the guards send everyone who is signed out.
export const load: PageServerLoad = ({ locals: { ctx }, url }) => {
	const target = safeNext(url.searchParams.get('next'), url.origin);
	if (!target.ok) error(400, m.security_next_invalid());
	if (ctx.actor.kind !== 'anonymous') redirect(303, target.path);
	return {
		next: url.searchParams.get('next') ?? '',
		demo: demoSignIn(ctx.db, ctx.config.listening.host),
		locked: url.searchParams.has('locked'),
		setupDone: url.searchParams.get('setup') === 'done',
		sso: ctx.config.sso === null ? null : { name: ctx.config.sso.name },
		// The same for every account, so that it tells nothing about one.
		outside: !inNetworks(ctx.address, ctx.config.clinicNetworks)
	};
};

const SignInForm = z.object({
	username: z.string().trim().min(1).max(100),
	password: passwordField,
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
		const target = safeNext(parsed.data.next, event.url.origin);
		if (!target.ok) return fail(400, { username, message: m.security_next_invalid() });
		const { ctx } = event.locals;
		const result = await signIn(
			ctx.db,
			{ username: parsed.data.username, password: parsed.data.password, address: ctx.address, clinicNetworks: ctx.config.clinicNetworks, limits: ctx.config.session },
			ctx.now
		);
		if (!result.ok) {
			if (result.reason === 'throttled') {
				return fail(429, { username, message: m.login_throttled({ seconds: result.retryAfterSeconds }) });
			}
			return fail(400, { username, message: m.login_wrong() });
		}
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		setLocaleCookie(event.cookies, result.user.preferredLocale);
		if (result.secondFactor !== null) redirect(303, `${TWO_FACTOR_PATH}?next=${encodeURIComponent(target.path)}`);
		redirect(303, target.path);
	}
};
