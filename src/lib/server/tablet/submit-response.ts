import { json } from '@sveltejs/kit';
import type { TabletSubmitResult } from './patient-mode';
import type { LinkSubmitResult } from '../links/rating-links';

/** The HTTP status of each answer to a tablet's rating, wherever it is sent from. */
const STATUS = {
	malformed: 400,
	unknown_handoff: 404,
	invalid_values: 400,
	wrong_rater: 400,
	not_this_appointment: 403,
	not_this_turn: 403,
	after_hand_back: 409,
	already_rated: 409,
	client_id_reused: 409,
	not_correctable: 409,
	episode_closed: 410,
	unknown_instrument: 410,
	// A rating link's own (src/lib/server/links/rating-links.ts).
	expired: 410,
	withdrawn: 410,
	already_answered: 409,
	// The birth date has not been given where the installation asks for it: the page asks first.
	gate: 403
} as const;

/**
 * 201 stored, 200 stored before (same client id), else the reason with its 4xx. A refusal names
 * the items and what is wrong with them, never the values sent: the client has them, and a value
 * echoed back could be anything (a 40,000-deep array overflows JSON.stringify's stack).
 */
export function submitResponse(result: TabletSubmitResult | LinkSubmitResult): Response {
	if (result.ok) return json({ ok: true, status: result.status }, { status: result.status === 'stored' ? 201 : 200 });
	if (result.reason === 'invalid_values') {
		return json({ ok: false, reason: result.reason, problems: result.problems.map(({ key, code }) => ({ key, code })) }, { status: STATUS[result.reason] });
	}
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

/**
 * A JSON endpoint reads only what says it is JSON: 415 for any other Content-Type (a form's
 * text/plain, or none at all), before the body is read. Null when the type is JSON.
 */
export function notJsonType(request: Request): Response | null {
	const type = request.headers.get('content-type') ?? '';
	if (/^application\/json\s*(;|$)/i.test(type)) return null;
	return json({ ok: false, reason: 'unsupported_media_type', field: 'content-type' }, { status: 415 });
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
