import type { RequestHandler } from './$types';
import { requireStatisticsExport } from '$lib/server/statistics/scope';
import { exportCsv } from '$lib/server/statistics/export';

/** One row per rating or per episode of the treating team's scope and period, as CSV (`?kind=ratings|episodes`). */
export const GET: RequestHandler = (event) => {
	const ctx = event.locals.ctx;
	const request = requireStatisticsExport(ctx, event.url.searchParams);
	const { filename, body } = exportCsv(ctx, request.user, request, request.kind);
	return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` } });
};
