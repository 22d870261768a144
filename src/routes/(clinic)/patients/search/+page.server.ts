import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { SEARCH_LIMIT, searchPatients } from '$lib/server/patient-pages';

/** Longest query read; more is cut (nobody's code, name or number is longer). */
const QUERY_MAX = 100;

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	const query = (event.url.searchParams.get('q') ?? '').slice(0, QUERY_MAX).trim();
	const hits = query === '' ? [] : searchPatients(ctx.db, user, query, ctx.now, ctx.address);
	return { query, hits, limit: SEARCH_LIMIT };
};
