import { json } from '@sveltejs/kit';
import type { TabletSubmitResult } from './patient-mode';

/** The HTTP status of each answer to a tablet's rating, wherever it is sent from. */
const STATUS = {
	malformed: 400,
	unknown_handoff: 404,
	invalid_values: 400,
	wrong_rater: 400,
	not_this_appointment: 403,
	already_rated: 409,
	client_id_reused: 409,
	not_correctable: 409,
	episode_closed: 410,
	unknown_instrument: 410
} as const;

/** 201 stored, 200 stored before (same client id), else the reason with its 4xx. */
export function submitResponse(result: TabletSubmitResult): Response {
	if (result.ok) return json({ ok: true, status: result.status }, { status: result.status === 'stored' ? 201 : 200 });
	return json(result, { status: STATUS[result.reason] });
}

/** Nothing was stored. A 5xx tells the tablet to keep the answers and send them again. */
export function storageUnavailable(): Response {
	return json({ ok: false, reason: 'storage_unavailable' }, { status: 503, headers: { 'retry-after': '10' } });
}

/** A script, not a person, calls these endpoints: 401 in JSON instead of a redirect to sign-in. */
export function signedOut(): Response {
	return json({ ok: false, reason: 'signed_out' }, { status: 401 });
}

/** The body as JSON, or null when it is not JSON at all. */
export async function jsonBody(request: Request): Promise<{ body: unknown } | null> {
	try {
		return { body: await request.json() };
	} catch {
		return null;
	}
}

export function notJson(): Response {
	return json({ ok: false, reason: 'malformed', field: 'body' }, { status: 400 });
}
