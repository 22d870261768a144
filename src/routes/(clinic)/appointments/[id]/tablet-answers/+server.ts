import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { getRegistry } from '$lib/server/instruments';
import { requireAppointment } from '$lib/server/auth/guards';
import { submitKeptAnswers } from '$lib/server/tablet/patient-mode';
import { jsonBody, notJson, signedOut, storageUnavailable, submitResponse } from '$lib/server/tablet/submit-response';
import { storageFailure } from '$lib/server/db/storage-failure';
import { refreshFlagsSoon } from '$lib/server/risk/refresh';
import { getRiskConfig } from '$lib/server/risk/config';

/**
 * Answers a patient gave on this browser's tablet that are still waiting on it (sent offline,
 * or the staff session behind the tablet ended), sent from the staff pages once a clinician is
 * signed in here again. Only for a clinician of the team treating the appointment (the guard
 * answers 404 otherwise, and audits the attempt); the same body, checks and client id as the
 * tablet's own submission, so the rating is stored once.
 */
export const POST: RequestHandler = async (event) => {
	if (event.locals.databaseError !== undefined) return storageUnavailable();
	if (event.locals.session === null) return signedOut();
	const db = getDb();
	const now = new Date();
	const { user, context } = requireAppointment(event, db, event.params.id, now);
	const read = await jsonBody(event.request);
	if (read === null) return notJson();
	try {
		const result = submitKeptAnswers(db, getRegistry(), { userId: user.id, appointmentId: context.appointment.id, body: read.body }, now);
		if (result.ok && result.status === 'stored') refreshFlagsSoon(db, { registry: getRegistry(), config: getRiskConfig() }, { appointmentId: context.appointment.id });
		return submitResponse(result);
	} catch (error) {
		if (storageFailure(error) === null) throw error;
		return storageUnavailable();
	}
};
