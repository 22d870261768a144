import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireAppointment } from '$lib/server/auth/guards';
import { enterRating } from '$lib/server/appointment-actions';
import { bookableClinicians, changeAttendance, changeSessionMode, moveAppointment } from '$lib/server/booking';
import { bookingRefusal, parseAttendanceForm, parseMoveForm, parseSessionModeForm } from '$lib/server/booking-forms';
import { teamOfEpisode } from '$lib/server/episode-course';
import { loadAppointmentPage } from '$lib/server/views/appointment-page';
import { appointmentRatings, type storeRating } from '$lib/server/ratings';
import { savePinForm } from '$lib/server/tablet/pin-form';
import { handOver } from '$lib/server/tablet/hand-over';
import { itemValuesFromForm, scoreProblemsMessage } from '$lib/server/rating-forms';
import { getInstrument } from '$lib/domain/registry';
import { makeRatingLink } from '$lib/server/links/rating-links';
import { qrPicture } from '$lib/server/links/qr';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	return loadAppointmentPage(ctx, requireAppointment(ctx, event.params.id), getLocale());
};

const HandForm = z.object({
	kind: z.enum(['outcome', 'alliance']),
	rater: z.enum(['patient', 'collateral']).default('patient'),
	group: z.enum(['0', '1']).default('0')
});
const PaperForm = z.object({ instrument: z.string().min(1).max(80), rater: z.enum(['patient', 'collateral']) });
const CorrectForm = z.object({ rating: z.coerce.number().int().positive(), reason: z.string().trim().min(3).max(500) });

async function hand(event: RequestEvent<{ id: string }>) {
	const ctx = event.locals.ctx;
	const { db, now } = ctx;
	const { user, session, context } = requireAppointment(ctx, event.params.id);
	const parsed = HandForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) return fail(400, { action: 'hand', message: m.field_invalid({ field: m.appt_hand_title() }) });
	const result = handOver(
		db,
		ctx.registry,
		{ user, sessionId: session.id, context, kind: parsed.data.kind, rater: parsed.data.rater, wholeGroup: parsed.data.group === '1', preferred: ctx.config.preferredInstruments, address: ctx.address },
		now
	);
	if (!result.ok) {
		return fail(result.reason === 'already_filled_in' ? 409 : 400, { action: 'hand', message: HAND_REFUSAL[result.reason]() });
	}
	redirect(303, '/rate');
}

const HAND_REFUSAL = {
	no_pin: m.appt_no_pin,
	episode_closed: m.appt_closed,
	no_instrument: m.appt_no_instrument,
	not_group: m.appt_no_instrument,
	group_empty: m.appt_no_instrument,
	already_filled_in: m.appt_hand_already_filled_in
} as const;

async function status(event: RequestEvent<{ id: string }>) {
	const ctx = event.locals.ctx;
	const { db, now } = ctx;
	const { user, context } = requireAppointment(ctx, event.params.id);
	const parsed = parseAttendanceForm(await event.request.formData(), 'status');
	if (!parsed.ok) return fail(400, { action: 'status', message: parsed.message, field: parsed.field });
	changeAttendance(db, { registry: ctx.registry, config: ctx.config.risk }, user, context, parsed.value, now, ctx.address);
	return { action: 'status', saved: true };
}

/** In the room, by video or by phone: what is sent to the patient's phone after the session. */
async function mode(event: RequestEvent<{ id: string }>) {
	const ctx = event.locals.ctx;
	const access = requireAppointment(ctx, event.params.id);
	const parsed = parseSessionModeForm(await event.request.formData());
	if (!parsed.ok) return fail(400, { action: 'mode', message: parsed.message, field: parsed.field });
	changeSessionMode(ctx, access, parsed.value);
	return { action: 'mode', saved: true };
}

/** Moving a scheduled appointment: a new date, time, length or clinician. */
async function move(event: RequestEvent<{ id: string }>) {
	const ctx = event.locals.ctx;
	const { db, now } = ctx;
	const { user, context } = requireAppointment(ctx, event.params.id);
	const form = await event.request.formData();
	const values = Object.fromEntries(['date', 'time', 'duration', 'clinician'].map((k) => [k, String(form.get(k) ?? '').slice(0, 40)]));
	const parsed = parseMoveForm(form, bookableClinicians(db, teamOfEpisode(context.episode, context.patient)));
	if (!parsed.ok) return fail(400, { action: 'move', message: parsed.message, field: parsed.field, values });
	const result = moveAppointment(db, user, context, parsed.value, now, ctx.address);
	if (!result.ok) return fail(result.reason === 'same_day' ? 409 : 400, { action: 'move', ...bookingRefusal(result), values, sameDay: result.reason === 'same_day' });
	return { action: 'move', saved: true };
}

async function paper(event: RequestEvent<{ id: string }>) {
	const ctx = event.locals.ctx;
	const access = requireAppointment(ctx, event.params.id);
	const form = await event.request.formData();
	const parsed = PaperForm.safeParse({ instrument: form.get('instrument'), rater: form.get('rater') });
	const instrument = parsed.success ? getInstrument(ctx.registry, parsed.data.instrument) : null;
	if (!parsed.success || instrument === null) return fail(400, { action: 'paper', message: m.field_invalid({ field: m.appt_paper_kind() }) });
	const values = itemValuesFromForm(form, instrument.definition);
	const result = enterRating(ctx, access, { clientId: `paper-${crypto.randomUUID()}`, instrument, rater: parsed.data.rater, values, source: 'paper' });
	if (!result.ok) return fail(400, { action: 'paper', instrument: instrument.definition.id, values, message: ratingFailure(result, instrument.definition) });
	return { action: 'paper', saved: true };
}

async function correct(event: RequestEvent<{ id: string }>) {
	const ctx = event.locals.ctx;
	const access = requireAppointment(ctx, event.params.id);
	const { context } = access;
	const form = await event.request.formData();
	const parsed = CorrectForm.safeParse({ rating: form.get('rating'), reason: form.get('reason') });
	if (!parsed.success) {
		const field = parsed.error.issues[0]?.path[0] === 'reason' ? m.appt_correct_reason() : m.appt_correct();
		return fail(400, { action: 'correct', rating: Number(form.get('rating')), message: m.field_required({ field }) });
	}
	const original = appointmentRatings(ctx.db, context.appointment.id).find((r) => r.id === parsed.data.rating);
	const instrument = original === undefined ? null : getInstrument(ctx.registry, original.instrumentId, original.instrumentVersion);
	if (original === undefined || instrument === null) return fail(404, { action: 'correct', rating: parsed.data.rating, message: m.error_not_found() });
	const values = itemValuesFromForm(form, instrument.definition);
	const result = enterRating(ctx, access, {
		clientId: `correction-${crypto.randomUUID()}`,
		instrument,
		rater: original.rater,
		values,
		source: original.source,
		correction: { ratingId: original.id, reason: parsed.data.reason }
	});
	if (!result.ok) return fail(400, { action: 'correct', rating: original.id, message: ratingFailure(result, instrument.definition) });
	return { action: 'correct', saved: true };
}

async function pin(event: RequestEvent<{ id: string }>) {
	const ctx = event.locals.ctx;
	const { user } = requireAppointment(ctx, event.params.id);
	return savePinForm(ctx, user.id, await event.request.formData());
}

function ratingFailure(result: Exclude<ReturnType<typeof storeRating>, { ok: true }>, def: Parameters<typeof scoreProblemsMessage>[1]): string {
	if (result.reason === 'invalid_values') return scoreProblemsMessage(result.problems, def, getLocale());
	if (result.reason === 'episode_closed') return m.appt_closed();
	if (result.reason === 'already_rated') return m.rating_already();
	return m.field_invalid({ field: m.appt_paper_kind() });
}

const PhoneForm = z.object({ kind: z.enum(['outcome', 'alliance']) });

/** A link (QR code and address) that opens this appointment's outcome or alliance form on the patient's own phone. */
async function phone(event: RequestEvent<{ id: string }>) {
	const ctx = event.locals.ctx;
	const { user, context } = requireAppointment(ctx, event.params.id);
	const parsed = PhoneForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) return fail(400, { action: 'phone', message: m.field_invalid({ field: m.appt_phone_form() }) });
	const result = makeRatingLink(ctx.db, ctx.registry, { user, context, kind: 'in_room', form: parsed.data.kind, preferred: ctx.config.preferredInstruments, address: ctx.address }, ctx.now);
	if (!result.ok) return fail(409, { action: 'phone', message: PHONE_REFUSAL[result.reason]() });
	const url = `${event.url.origin}/r/${result.token}`;
	return { action: 'phone', link: { url, picture: await qrPicture(url), expiresAt: result.link.expiresAt } };
}

const PHONE_REFUSAL = {
	episode_closed: m.appt_phone_refused_episode_closed,
	cancelled: m.appt_phone_refused_cancelled,
	no_instrument: m.appt_phone_refused_no_instrument,
	already_rated: m.appt_phone_refused_already_rated
} as const;

export const actions: Actions = { hand, status, mode, move, paper, correct, pin, phone };
