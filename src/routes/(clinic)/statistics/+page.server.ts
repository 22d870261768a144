import type { PageServerLoad } from './$types';
import { requireStatistics } from '$lib/server/statistics/scope';
import { loadStatisticsPage } from '$lib/server/views/statistics-page';
import { getLocale } from '$lib/paraglide/runtime';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const request = requireStatistics(ctx, event.url.searchParams);
	return loadStatisticsPage(ctx, request.user, request, getLocale());
};
