import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';

export const load: PageServerLoad = (event) => {
	requireUser(event.locals.ctx);
	// A clinician starts the day on the day's list; the caseload is one click from it.
	redirect(303, '/today');
};
