import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSignedIn, requireUser } from '$lib/server/auth/guards';
import { invalidateSession } from '$lib/server/auth/session';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { recordAudit } from '$lib/server/audit';

export const load: PageServerLoad = (event) => {
	requireUser(event.locals.ctx);
	redirect(303, '/patients');
};

export const actions: Actions = {
	default: (event) => {
		const ctx = event.locals.ctx;
		// Signing out is allowed before a one-time password is replaced, or a second factor given, too.
		const { user, session } = requireSignedIn(ctx);
		invalidateSession(ctx.db, session.id);
		recordAudit(ctx.db, { userId: user.id, action: 'signed_out', address: ctx.address }, ctx.now);
		clearSessionCookie(event.cookies, event.url);
		redirect(303, '/login');
	}
};
