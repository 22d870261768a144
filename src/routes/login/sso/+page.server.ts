import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSsoConfigured } from '$lib/server/auth/guards';
import { startSingleSignOn, SSO_ATTEMPT_MS, SSO_CALLBACK_PATH } from '$lib/server/auth/sso';
import { SSO_ATTEMPT_COOKIE } from '$lib/server/auth/sso-cookie';
import { safeNext } from '$lib/server/safe-next';
import { m } from '$lib/paraglide/messages';

// Single sign-on starts with the button on the sign-in page (a POST). The load also runs after the
// action, so it must not send the browser away: opened by address, the page offers the way back.
export const load: PageServerLoad = ({ locals: { ctx } }) => {
	requireSsoConfigured(ctx);
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const sso = requireSsoConfigured(event.locals.ctx);
		const { ctx } = event.locals;
		const form = await event.request.formData();
		const next = form.get('next');
		const target = safeNext(typeof next === 'string' && next !== '' ? next.slice(0, 500) : null, event.url.origin);
		if (!target.ok) return fail(400, { message: m.security_next_invalid() });
		let started: { attemptId: string; url: string };
		try {
			started = await startSingleSignOn(ctx.db, sso, { redirectUri: `${event.url.origin}${SSO_CALLBACK_PATH}`, next: target.path }, ctx.now);
		} catch {
			// The provider could not be reached or refused the pushed request: say so, never a 500.
			return fail(503, { message: m.sso_unavailable({ provider: sso.name }) });
		}
		event.cookies.set(SSO_ATTEMPT_COOKIE, started.attemptId, { path: '/login/sso', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:', maxAge: SSO_ATTEMPT_MS / 1000 });
		// On to the provider by a page, not a redirect: the policy's form-action 'self' would block a
		// form's redirect to another site, and a navigation is not a form's.
		return { to: started.url, provider: sso.name };
	}
};
