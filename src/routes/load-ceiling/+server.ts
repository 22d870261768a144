import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { insertCeilingRow, loadCeilingEnabled } from '$lib/server/load-ceiling';

// Public: the load test's ceiling (a bare endpoint doing one prepared INSERT into a scratch
// table). It answers 404 unless the server was started with STEMME_LOAD_CEILING=1, which only
// `npm run load` does; it reads no cookie and touches no patient data.
export const POST: RequestHandler = async ({ request }) => {
	if (!loadCeilingEnabled(process.env)) error(404, 'Not Found');
	const body = await request.text();
	// Parsed like a rating submission, so the two differ by what Stemme does, not by the JSON.
	let clientId: unknown;
	try {
		clientId = (JSON.parse(body) as { clientId?: unknown }).clientId;
	} catch {
		clientId = null;
	}
	if (typeof clientId !== 'string') return json({ ok: false }, { status: 400 });
	insertCeilingRow(getDb(), clientId, body);
	return json({ ok: true }, { status: 201 });
};
