import type { RequestHandler } from './$types';
import { requireRatingLink } from '$lib/server/auth/guards';
import { submitFromLink, type LinkSubmitResult } from '$lib/server/links/rating-links';
import { jsonBody, notJson, notJsonType, storageUnavailable, submitResponse } from '$lib/server/tablet/submit-response';
import { storageFailure } from '$lib/server/db/storage-failure';
import { groupCommit } from '$lib/server/db/group-commit';
import { refreshFlagsSoon } from '$lib/server/risk/refresh';

/**
 * The patient's phone sends its rating here: JSON in, JSON out, safe to repeat (the client id
 * decides), exactly as the tablet's. The link in the path is the only grant: no session.
 */
export const POST: RequestHandler = async (event) => {
	const ctx = event.locals.ctx;
	if (ctx.databaseError !== undefined) return storageUnavailable();
	const grant = requireRatingLink(ctx);
	const wrongType = notJsonType(event.request);
	if (wrongType !== null) return wrongType;
	const read = await jsonBody(event.request);
	if (read === null) return notJson();
	let result: LinkSubmitResult;
	try {
		// The rating and the link's "answered" in one transaction, answered once committed.
		result = await groupCommit(ctx.db)(() => submitFromLink(ctx, grant, read.body));
	} catch (error) {
		if (storageFailure(error) === null) throw error;
		return storageUnavailable();
	}
	if (result.ok && result.status === 'stored' && 'rating' in result) refreshFlagsSoon(ctx.db, { registry: ctx.registry, config: ctx.config.risk }, { appointmentId: result.rating.appointmentId });
	return submitResponse(result);
};
