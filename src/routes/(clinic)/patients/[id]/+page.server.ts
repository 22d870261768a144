import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getRegistry } from '$lib/server/instruments';
import { requirePatient } from '$lib/server/auth/guards';
import { loadPatientRecord } from '$lib/server/patients';
import { createAppointmentNow, openEpisode, todaysAppointments } from '$lib/server/appointments';
import { recordAudit } from '$lib/server/audit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { trajectoryView } from '$lib/server/trajectory';

export const load: PageServerLoad = (event) => {
	const db = getDb();
	const now = new Date();
	const { user, patient } = requirePatient(event, db, event.params.id, now);
	const registry = getRegistry();
	const record = loadPatientRecord(db, registry, patient);
	const language = getLocale();
	const [current, ...earlier] = record.episodes;
	return {
		record,
		user: { displayName: user.displayName },
		trajectory: current === undefined ? null : trajectoryView(db, registry, current, patient.birthYear, now, language),
		earlier: earlier.map((e) => trajectoryView(db, registry, e, patient.birthYear, now, language)),
		today: todaysAppointments(db, patient.id, now),
		hasOpenEpisode: openEpisode(db, patient.id) !== null,
		now: now.toISOString()
	};
};

export const actions: Actions = {
	now: (event) => {
		const db = getDb();
		const now = new Date();
		const { user, patient } = requirePatient(event, db, event.params.id, now);
		const result = createAppointmentNow(db, user, patient, now);
		if (!result.ok) return fail(400, { message: m.patient_no_open_episode() });
		recordAudit(db, { userId: user.id, action: 'changed_record', patientId: patient.id, detail: `created appointment ${result.appointment.id}` }, now);
		redirect(303, `/appointments/${result.appointment.id}`);
	}
};
