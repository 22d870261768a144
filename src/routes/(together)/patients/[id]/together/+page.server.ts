import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getRegistry } from '$lib/server/instruments';
import { requirePatient } from '$lib/server/auth/guards';
import { loadPatientRecord } from '$lib/server/patients';
import { trajectoryView } from '$lib/server/trajectory';
import { recordAudit } from '$lib/server/audit';
import { getLocale } from '$lib/paraglide/runtime';

/**
 * "Look at it together": the current episode's trajectory, larger, in plain words, for the
 * clinician to turn toward the patient. Only this patient's own course; no staff notes, no risk
 * flags unless the clinician chooses to show the signals.
 */
export const load: PageServerLoad = (event) => {
	const db = getDb();
	const now = new Date();
	const { user, patient } = requirePatient(event, db, event.params.id, now);
	const record = loadPatientRecord(db, getRegistry(), patient);
	const current = record.episodes[0];
	recordAudit(db, { userId: user.id, action: 'viewed_together', patientId: patient.id }, now);
	return {
		patient: { id: patient.id, displayName: patient.displayName },
		trajectory: current === undefined ? null : trajectoryView(db, getRegistry(), current, patient.birthYear, now, getLocale())
	};
};
