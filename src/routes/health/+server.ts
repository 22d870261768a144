import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { databaseState, getDb } from '$lib/server/db';
import { checkHealth } from '$lib/server/health';

// Public: load balancers and the start script ask it. Says nothing about patients.
export const GET: RequestHandler = () => {
	const health = checkHealth(() => getDb(), databaseState);
	return json(health, { status: health.database === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
