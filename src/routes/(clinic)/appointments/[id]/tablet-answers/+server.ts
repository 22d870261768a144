import type { RequestHandler } from './$types';
import { requireAppointment } from '$lib/server/auth/guards';
import { submitKeptAnswers } from '$lib/server/tablet/patient-mode';
import { jsonBody, notJson, notJsonType, signedOut, storageUnavailable, submitResponse } from '$lib/server/tablet/submit-response';
import { storageFailure } from '$lib/server/db/storage-failure';
import { refreshFlagsSoon } from '$lib/server/risk/refresh';

/**
 * Answers a patient gave on this browser's tablet that are still waiting on it (sent offline,
 * or the staff session behind the tablet ended), sent from the staff pages once a clinician is
 * signed in here again. Only for a clinician of the team treating the appointment (the guard
 * answers 404 otherwise, and the refusal is audited); the same body, checks and client id as the
 * tablet's own submission, so the rating is stored once.
 */
export const POST: RequestHandler = async (event) => {
	const ctx = event.locals.ctx;
	if (ctx.databaseError !== undefined) return storageUnavailable();
	if (ctx.actor.kind === 'anonymous') return signedOut();
	const { user, context } = requireAppointment(ctx, event.params.id);
	const wrongType = notJsonType(event.request);
	if (wrongType !== null) return wrongType;
	const read = await jsonBody(event.request);
	if (read === null) return notJson();
	try {
		const result = submitKeptAnswers(ctx, { userId: user.id, appointmentId: context.appointment.id, body: read.body });
		if (result.ok && result.status === 'stored') refreshFlagsSoon(ctx.db, { registry: ctx.registry, config: ctx.config.risk }, { appointmentId: context.appointment.id });
		return submitResponse(result);
	} catch (error) {
		if (storageFailure(error) === null) throw error;
		return storageUnavailable();
	}
};
