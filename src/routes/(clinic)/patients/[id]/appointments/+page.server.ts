import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { openEpisode } from '$lib/server/appointments';
import { teamOfEpisode } from '$lib/server/episode-course';
import { bookableClinicians, bookAppointments, loadBookingPage } from '$lib/server/booking';
import { bookingRefusal, parseBookingForm } from '$lib/server/booking-forms';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user, patient } = requirePatient(ctx, event.params.id);
	return loadBookingPage(ctx, user, patient);
};

/** The fields sent back to the form when it is refused, so nothing typed is lost. */
function echo(form: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of ['date', 'time', 'duration', 'clinician', 'mode', 'repeat', 'endKind', 'sessions', 'until']) {
		const v = form.get(name);
		if (typeof v === 'string') out[name] = v.slice(0, 40);
	}
	return out;
}

export const actions: Actions = {
	book: async (event) => {
		const ctx = event.locals.ctx;
		const { db, now } = ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		const episode = openEpisode(db, patient.id);
		if (episode === null) return fail(409, { message: m.patient_no_open_episode(), field: 'date', values: {} as Record<string, string>, sameDay: null });
		const form = await event.request.formData();
		const parsed = parseBookingForm(form, { clinicians: bookableClinicians(db, teamOfEpisode(episode, patient)), plannedEnd: episode.plannedEnd });
		if (!parsed.ok) return fail(400, { message: parsed.message, field: parsed.field, values: echo(form), sameDay: null });
		const result = bookAppointments(db, user, { patient, episode }, parsed.value, now, ctx.address);
		if (!result.ok) {
			const refusal = bookingRefusal(result);
			return fail(result.reason === 'same_day' ? 409 : 400, { ...refusal, values: echo(form), sameDay: result.reason === 'same_day' ? result.days : null });
		}
		redirect(303, `/patients/${patient.id}/appointments?booked=${result.appointmentIds.length}`);
	}
};
