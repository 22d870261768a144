import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import type { RequestContext } from '$lib/server/context';
import type { SessionUser } from '$lib/server/auth/session';
import { SEARCH_LIMIT, searchPatients, shownQuery } from '$lib/server/patient-pages';

/** Longest query read; more is cut (nobody's code, name or number is longer). */
const QUERY_MAX = 100;

function search(ctx: RequestContext, user: SessionUser, raw: unknown) {
	const query = (typeof raw === 'string' ? raw : '').slice(0, QUERY_MAX).trim();
	const hits = query === '' ? [] : searchPatients(ctx.db, user, query, ctx.now, ctx.address);
	// The query comes back masked: a national identity number is never echoed in full.
	const shown = shownQuery(query);
	return { query: shown, refill: shown === query ? query : '', hits, limit: SEARCH_LIMIT };
}

/** A search linked to (`?q=P-1011`); the forms post, so a number typed never lands in an address or a log. */
export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	return search(ctx, user, event.url.searchParams.get('q'));
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = event.locals.ctx;
		const { user } = requireUser(ctx);
		return search(ctx, user, (await event.request.formData()).get('q'));
	}
};
