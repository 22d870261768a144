import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireSsoConfigured, TWO_FACTOR_PATH } from '$lib/server/auth/guards';
import { finishSingleSignOn } from '$lib/server/auth/sso';
import { SSO_ATTEMPT_COOKIE } from '$lib/server/auth/sso-cookie';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { setLocaleCookie } from '$lib/server/locale';
import { m } from '$lib/paraglide/messages';

/**
 * Where the provider sends the browser back. OpenID Connect makes this a GET that signs in: the
 * one GET that opens a session, after openid-client has checked state, PKCE and the ID token. Any
 * refusal is a page that says what to do (never a 500); the attempt is used once either way.
 */
export const load: PageServerLoad = async (event) => {
	const sso = requireSsoConfigured(event.locals.ctx);
	const { ctx } = event.locals;
	const attemptId = event.cookies.get(SSO_ATTEMPT_COOKIE);
	event.cookies.delete(SSO_ATTEMPT_COOKIE, { path: '/login/sso' });
	const result = await finishSingleSignOn(ctx.db, sso, { attemptId, url: event.url, address: ctx.address, clinicNetworks: ctx.config.clinicNetworks, limits: ctx.config.session }, ctx.now);
	if (result.ok) {
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		setLocaleCookie(event.cookies, result.user.preferredLocale);
		if (result.secondFactor !== null) redirect(303, `${TWO_FACTOR_PATH}?next=${encodeURIComponent(result.next)}`);
		redirect(303, result.next);
	}
	if (result.reason === 'waiting') return { provider: sso.name, outcome: 'waiting' as const };
	const message = result.reason === 'disabled' ? m.sso_disabled() : result.reason === 'weak' ? m.sso_weak({ provider: sso.name }) : m.sso_refused({ provider: sso.name });
	error(400, { message });
};
