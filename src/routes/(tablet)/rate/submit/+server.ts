import type { RequestHandler } from './$types';
import { requireSession } from '$lib/server/auth/guards';
import { submitFromTablet, type TabletSubmitResult } from '$lib/server/tablet/patient-mode';
import { jsonBody, notJson, notJsonType, signedOut, storageUnavailable, submitResponse } from '$lib/server/tablet/submit-response';
import { storageFailure } from '$lib/server/db/storage-failure';
import { groupCommit } from '$lib/server/db/group-commit';
import { refreshFlagsSoon } from '$lib/server/risk/refresh';

/**
 * The tablet's rating submission: JSON in, JSON out, safe to repeat (the client id decides).
 * It needs the staff session that handed the tablet over (in patient mode or taken back), not an
 * open handoff: see submitFromTablet. Once that session has ended the tablet keeps the answers and
 * the staff pages send them (../../(clinic)/appointments/[id]/tablet-answers).
 */
export const POST: RequestHandler = async (event) => {
	const ctx = event.locals.ctx;
	if (ctx.databaseError !== undefined) return storageUnavailable();
	if (ctx.actor.kind === 'anonymous') return signedOut();
	const { actor } = requireSession(ctx);
	const wrongType = notJsonType(event.request);
	if (wrongType !== null) return wrongType;
	const read = await jsonBody(event.request);
	if (read === null) return notJson();
	const db = ctx.db;
	let result: TabletSubmitResult;
	try {
		// Answered only once committed, together with the other ratings of this turn. Atomic: it
		// writes only in storeRating's transaction.
		result = await groupCommit(db)(() => submitFromTablet(ctx, actor, read.body), { atomic: true });
	} catch (error) {
		if (storageFailure(error) === null) throw error;
		return storageUnavailable();
	}
	if (result.ok && result.status === 'stored') refreshFlagsSoon(db, { registry: ctx.registry, config: ctx.config.risk }, { appointmentId: result.rating.appointmentId });
	return submitResponse(result);
};
