import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { getRegistry } from '$lib/server/instruments';
import { requireUser } from '$lib/server/auth/guards';
import { submitFromTablet, type TabletSubmitResult } from '$lib/server/tablet/patient-mode';
import { storageFailure } from '$lib/server/db/storage-failure';
import { groupCommit } from '$lib/server/db/group-commit';
import { refreshFlagsSoon } from '$lib/server/risk/refresh';
import { getRiskConfig } from '$lib/server/risk/config';

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

/**
 * The tablet's rating submission: JSON in, JSON out, safe to repeat (the client id decides).
 * It needs the staff session that handed the tablet over, not an open handoff: see submitFromTablet.
 */
export const POST: RequestHandler = async (event) => {
	if (event.locals.databaseError !== undefined) return storageUnavailable();
	// A script, not a person, calls this: answer 401 in JSON instead of a redirect to sign-in.
	if (event.locals.session === null) return json({ ok: false, reason: 'signed_out' }, { status: 401 });
	requireUser(event);
	const sessionId = event.locals.session.id;
	let body: unknown;
	try {
		body = await event.request.json();
	} catch {
		return json({ ok: false, reason: 'malformed', field: 'body' }, { status: 400 });
	}
	const db = getDb();
	let result: TabletSubmitResult;
	try {
		// Answered only once committed, together with the other ratings of this turn. Atomic: it
		// writes only in storeRating's transaction.
		result = await groupCommit(db)(() => submitFromTablet(db, getRegistry(), sessionId, body, new Date()), { atomic: true });
	} catch (error) {
		if (storageFailure(error) === null) throw error;
		return storageUnavailable();
	}
	if (result.ok && result.status === 'stored') refreshFlagsSoon(db, { registry: getRegistry(), config: getRiskConfig() }, { appointmentId: (body as { appointmentId: number }).appointmentId });
	if (result.ok) return json({ ok: true, status: result.status }, { status: result.status === 'stored' ? 201 : 200 });
	return json(result, { status: STATUS[result.reason] });
};

/** Nothing was stored. A 5xx tells the tablet to keep the answers and send them again. */
function storageUnavailable(): Response {
	return json({ ok: false, reason: 'storage_unavailable' }, { status: 503, headers: { 'retry-after': '10' } });
}
