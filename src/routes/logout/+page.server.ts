import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSignedIn, requireUser } from '$lib/server/auth/guards';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { signOut } from '$lib/server/auth/sso';

export const load: PageServerLoad = (event) => {
	requireUser(event.locals.ctx);
	redirect(303, '/patients');
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = event.locals.ctx;
		// Signing out is allowed before a one-time password is replaced, or a second factor given, too.
		const { user, session } = requireSignedIn(ctx);
		// A session opened by single sign-on goes on to the provider's sign-out, where it offers one.
		const then = await signOut(ctx.db, ctx.config.sso, { user, session, address: ctx.address, signedOutUrl: `${event.url.origin}/login` }, ctx.now);
		clearSessionCookie(event.cookies, event.url);
		redirect(303, then);
	}
};
