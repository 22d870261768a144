import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { loadMeetingListPage } from '$lib/server/views/meeting-list-page';
import { getLocale } from '$lib/paraglide/runtime';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	return loadMeetingListPage(ctx, user, event.url, getLocale());
};
