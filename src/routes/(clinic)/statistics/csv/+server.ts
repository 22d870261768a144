import type { RequestHandler } from './$types';
import { requireStatistics } from '$lib/server/statistics/scope';
import { statisticsCsv } from '$lib/server/statistics/csv';

/** One table of the statistics page as CSV, for the same scope and filters (`?table=…`). */
export const GET: RequestHandler = (event) => {
	const ctx = event.locals.ctx;
	const request = requireStatistics(ctx, event.url.searchParams);
	const { filename, body } = statisticsCsv(ctx, request.user, request, event.url.searchParams.get('table'));
	return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` } });
};
