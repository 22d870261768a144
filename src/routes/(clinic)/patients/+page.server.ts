import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { loadCaseloadPage } from '$lib/server/views/caseload-page';
import { getLocale } from '$lib/paraglide/runtime';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	return loadCaseloadPage(ctx, user, event.url, getLocale());
};
