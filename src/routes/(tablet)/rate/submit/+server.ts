import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { getRegistry } from '$lib/server/instruments';
import { requireUser } from '$lib/server/auth/guards';
import { submitFromTablet, type TabletSubmitResult } from '$lib/server/tablet/patient-mode';
import { jsonBody, notJson, signedOut, storageUnavailable, submitResponse } from '$lib/server/tablet/submit-response';
import { storageFailure } from '$lib/server/db/storage-failure';
import { groupCommit } from '$lib/server/db/group-commit';
import { refreshFlagsSoon } from '$lib/server/risk/refresh';
import { getRiskConfig } from '$lib/server/risk/config';

/**
 * The tablet's rating submission: JSON in, JSON out, safe to repeat (the client id decides).
 * It needs the staff session that handed the tablet over, not an open handoff: see submitFromTablet.
 * Once that session has ended the tablet keeps the answers and the staff pages send them
 * (../../(clinic)/appointments/[id]/tablet-answers).
 */
export const POST: RequestHandler = async (event) => {
	if (event.locals.databaseError !== undefined) return storageUnavailable();
	if (event.locals.session === null) return signedOut();
	requireUser(event);
	const sessionId = event.locals.session.id;
	const read = await jsonBody(event.request);
	if (read === null) return notJson();
	const db = getDb();
	let result: TabletSubmitResult;
	try {
		// Answered only once committed, together with the other ratings of this turn. Atomic: it
		// writes only in storeRating's transaction.
		result = await groupCommit(db)(() => submitFromTablet(db, getRegistry(), sessionId, read.body, new Date()), { atomic: true });
	} catch (error) {
		if (storageFailure(error) === null) throw error;
		return storageUnavailable();
	}
	if (result.ok && result.status === 'stored') refreshFlagsSoon(db, { registry: getRegistry(), config: getRiskConfig() }, { appointmentId: result.rating.appointmentId });
	return submitResponse(result);
};
