import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { requireUser, clientAddress } from '$lib/server/auth/guards';
import { invalidateSession, SESSION_COOKIE } from '$lib/server/auth/session';
import { sessionCookieOptions } from '$lib/server/auth/cookie';
import { recordAudit } from '$lib/server/audit';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	redirect(303, '/patients');
};

export const actions: Actions = {
	default: (event) => {
		const user = requireUser(event);
		const db = getDb();
		if (event.locals.session !== null) invalidateSession(db, event.locals.session.id);
		recordAudit(db, { userId: user.id, action: 'signed_out', address: clientAddress(event) }, new Date());
		event.cookies.delete(SESSION_COOKIE, sessionCookieOptions(event.url, null));
		redirect(303, '/login');
	}
};
