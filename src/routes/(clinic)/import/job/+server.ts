import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { importJobStatus, importStep } from '$lib/server/import/endpoint';

/** How far the user's import has come (the page polls this for its progress bar). */
export const GET: RequestHandler = (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireRole(ctx, ['team_lead']);
	const status = importJobStatus(ctx, user, event.url.searchParams.get('job') ?? '');
	if (status === null) error(404, 'Not found');
	return json(status);
};

/** One step of an import: start (JSON with the team), append a piece of the CSV, check (the dry run), run. */
export const POST: RequestHandler = async (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireRole(ctx, ['team_lead']);
	const answer = await importStep(ctx, user, event.url.searchParams, event.request);
	return json(answer.body, { status: answer.status });
};
