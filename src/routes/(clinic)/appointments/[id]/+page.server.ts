import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getRegistry } from '$lib/server/instruments';
import { requireAppointment } from '$lib/server/auth/guards';
import { appointmentStatuses } from '$lib/server/db/schema';
import { findGroupSessionForUser, setAppointmentStatus } from '$lib/server/appointments';
import { appointmentRatings, storeRating } from '$lib/server/ratings';
import { hasPin, isValidPin, setPin, TABLET_COOKIE } from '$lib/server/tablet/handoff';
import { handOver, preferredInstruments } from '$lib/server/tablet/hand-over';
import { forgetPatientLanguage } from '$lib/server/tablet/patient-language';
import { itemValuesFromForm, scoreProblemsMessage } from '$lib/server/rating-forms';
import { recordAudit } from '$lib/server/audit';
import { refreshEpisodeFlags } from '$lib/server/risk/flags';
import { getRiskConfig } from '$lib/server/risk/config';
import { chooseInstrument } from '$lib/domain/choose-instrument';
import { getInstrument } from '$lib/domain/registry';
import { ageFromBirthYear } from '$lib/domain/age';
import { textFor } from '$lib/domain/localized';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

const preferred = (): string[] => preferredInstruments(process.env.STEMME_INSTRUMENTS);

export const load: PageServerLoad = (event) => {
	const db = getDb();
	const registry = getRegistry();
	const now = new Date();
	const { user, context } = requireAppointment(event, db, event.params.id, now);
	const language = getLocale();
	const age = ageFromBirthYear(context.patient.birthYear, now);
	const group = context.appointment.groupSessionId === null ? null : findGroupSessionForUser(db, user, context.appointment.groupSessionId);
	const formFor = (kind: 'outcome' | 'alliance', rater: 'patient' | 'collateral') => {
		const found = chooseInstrument(registry, { kind, rater, age, preferred: preferred() });
		if (found === null) return null;
		const def = found.definition;
		return { id: def.id, kind, rater, name: textFor(def.name, language), items: def.items.map((i) => ({ key: i.key, label: textFor(i.label, language) })) };
	};
	const nameOf = (r: { instrumentId: string; instrumentVersion: number }) => {
		const def = getInstrument(registry, r.instrumentId, r.instrumentVersion)?.definition ?? null;
		return { def, name: def === null ? r.instrumentId : textFor(def.name, language) };
	};
	// After a round of the group: each member's ratings in force, beside a link to their appointment.
	const member = (x: NonNullable<typeof group>['members'][number]) => ({
		appointmentId: x.appointment.id,
		code: x.patient.code,
		status: x.appointment.status,
		ratings: appointmentRatings(db, x.appointment.id)
			.filter((r) => r.correctedBy === null)
			.map((r) => ({ id: r.id, name: nameOf(r).name, total: r.total }))
	});
	return {
		appointment: context.appointment,
		patient: { id: context.patient.id, code: context.patient.code, displayName: context.patient.displayName },
		episodeOpen: context.episode.actualEnd === null,
		hasPin: hasPin(db, user.id),
		group: group === null ? null : { title: group.group.title, members: group.members.map(member) },
		ratings: appointmentRatings(db, context.appointment.id).map((r) => {
			const { def, name } = nameOf(r);
			return { ...r, name, items: def === null ? [] : def.items.map((i) => ({ key: i.key, label: textFor(i.label, language) })) };
		}),
		paperForms: [formFor('outcome', 'patient'), formFor('alliance', 'patient'), formFor('outcome', 'collateral')].filter((f) => f !== null)
	};
};

const HandForm = z.object({
	kind: z.enum(['outcome', 'alliance']),
	rater: z.enum(['patient', 'collateral']).default('patient'),
	group: z.enum(['0', '1']).default('0')
});
const StatusForm = z.object({ status: z.enum(appointmentStatuses) });
const PaperForm = z.object({ instrument: z.string().min(1).max(80), rater: z.enum(['patient', 'collateral']) });
const CorrectForm = z.object({ rating: z.coerce.number().int().positive(), reason: z.string().trim().min(3).max(500) });
const PinForm = z.object({ pin: z.string().max(20), repeat: z.string().max(20) });

async function hand(event: RequestEvent<{ id: string }>) {
	const db = getDb();
	const now = new Date();
	const { user, context } = requireAppointment(event, db, event.params.id, now);
	const parsed = HandForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) return fail(400, { action: 'hand', message: m.field_invalid({ field: m.appt_hand_title() }) });
	const result = handOver(
		db,
		getRegistry(),
		{ user, sessionId: event.locals.session!.id, context, kind: parsed.data.kind, rater: parsed.data.rater, wholeGroup: parsed.data.group === '1', preferred: preferred() },
		now
	);
	if (!result.ok) {
		const message = result.reason === 'no_pin' ? m.appt_no_pin() : result.reason === 'episode_closed' ? m.appt_closed() : m.appt_no_instrument();
		return fail(400, { action: 'hand', message });
	}
	event.cookies.set(TABLET_COOKIE, result.handoff.id, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
	forgetPatientLanguage(event.cookies);
	redirect(303, '/rate');
}

async function status(event: RequestEvent<{ id: string }>) {
	const db = getDb();
	const now = new Date();
	const { user, context } = requireAppointment(event, db, event.params.id, now);
	const parsed = StatusForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) return fail(400, { action: 'status', message: m.field_invalid({ field: m.appt_status() }) });
	setAppointmentStatus(db, context.appointment.id, parsed.data.status);
	recordAudit(db, { userId: user.id, action: 'changed_record', patientId: context.patient.id, detail: `appointment ${context.appointment.id} status ${parsed.data.status}` }, now);
	refreshEpisodeFlags(db, getRegistry(), getRiskConfig(), context.episode.id, now);
	return { action: 'status', saved: true };
}

async function paper(event: RequestEvent<{ id: string }>) {
	const db = getDb();
	const now = new Date();
	const { user, context } = requireAppointment(event, db, event.params.id, now);
	const form = await event.request.formData();
	const parsed = PaperForm.safeParse({ instrument: form.get('instrument'), rater: form.get('rater') });
	const instrument = parsed.success ? getInstrument(getRegistry(), parsed.data.instrument) : null;
	if (!parsed.success || instrument === null) return fail(400, { action: 'paper', message: m.field_invalid({ field: m.appt_paper_kind() }) });
	const values = itemValuesFromForm(form, instrument.definition);
	const result = storeRating(
		db,
		{ clientId: `paper-${crypto.randomUUID()}`, appointmentId: context.appointment.id, instrument, rater: parsed.data.rater, values, source: 'paper', enteredById: user.id, auditUserId: user.id },
		now
	);
	if (!result.ok) return fail(400, { action: 'paper', instrument: instrument.definition.id, values, message: ratingFailure(result, instrument.definition) });
	refreshEpisodeFlags(db, getRegistry(), getRiskConfig(), context.episode.id, now);
	return { action: 'paper', saved: true };
}

async function correct(event: RequestEvent<{ id: string }>) {
	const db = getDb();
	const now = new Date();
	const { user, context } = requireAppointment(event, db, event.params.id, now);
	const form = await event.request.formData();
	const parsed = CorrectForm.safeParse({ rating: form.get('rating'), reason: form.get('reason') });
	if (!parsed.success) {
		const field = parsed.error.issues[0]?.path[0] === 'reason' ? m.appt_correct_reason() : m.appt_correct();
		return fail(400, { action: 'correct', rating: Number(form.get('rating')), message: m.field_required({ field }) });
	}
	const original = appointmentRatings(db, context.appointment.id).find((r) => r.id === parsed.data.rating);
	const instrument = original === undefined ? null : getInstrument(getRegistry(), original.instrumentId, original.instrumentVersion);
	if (original === undefined || instrument === null) return fail(404, { action: 'correct', rating: parsed.data.rating, message: m.error_not_found() });
	const values = itemValuesFromForm(form, instrument.definition);
	const result = storeRating(
		db,
		{
			clientId: `correction-${crypto.randomUUID()}`,
			appointmentId: context.appointment.id,
			instrument,
			rater: original.rater,
			values,
			source: original.source,
			enteredById: user.id,
			auditUserId: user.id,
			correction: { ratingId: original.id, reason: parsed.data.reason }
		},
		now
	);
	if (!result.ok) return fail(400, { action: 'correct', rating: original.id, message: ratingFailure(result, instrument.definition) });
	refreshEpisodeFlags(db, getRegistry(), getRiskConfig(), context.episode.id, now);
	return { action: 'correct', saved: true };
}

async function pin(event: RequestEvent<{ id: string }>) {
	const db = getDb();
	const now = new Date();
	const { user } = requireAppointment(event, db, event.params.id, now);
	const parsed = PinForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success || !isValidPin(parsed.data.pin)) return fail(400, { action: 'pin', message: m.pin_invalid() });
	if (parsed.data.pin !== parsed.data.repeat) return fail(400, { action: 'pin', message: m.pin_mismatch() });
	await setPin(db, user.id, parsed.data.pin, now);
	return { action: 'pin', saved: true };
}

function ratingFailure(result: Exclude<ReturnType<typeof storeRating>, { ok: true }>, def: Parameters<typeof scoreProblemsMessage>[1]): string {
	if (result.reason === 'invalid_values') return scoreProblemsMessage(result.problems, def, getLocale());
	if (result.reason === 'episode_closed') return m.appt_closed();
	if (result.reason === 'already_rated') return m.rating_already();
	return m.field_invalid({ field: m.appt_paper_kind() });
}

export const actions: Actions = { hand, status, paper, correct, pin };
