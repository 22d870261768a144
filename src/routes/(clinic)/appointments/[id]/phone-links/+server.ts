import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireAppointment } from '$lib/server/auth/guards';
import { linkStates } from '$lib/server/links/rating-links';

/**
 * The states of this appointment's rating links (open, answered, expired, withdrawn), which the
 * appointment page asks for every few seconds while one is open, to say "answered" when it lands.
 * Only ids and states, no scores and nothing about the patient: the page view itself was audited,
 * and the page reloads (audited again) once an answer is in.
 */
export const GET: RequestHandler = (event) => {
	const ctx = event.locals.ctx;
	const { context } = requireAppointment(ctx, event.params.id);
	return json(linkStates(ctx.db, context.appointment.id, ctx.now));
};
