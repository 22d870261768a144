import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { requirePatient } from '$lib/server/auth/guards';
import { loadPatientRecord } from '$lib/server/patients';

export const load: PageServerLoad = (event) => {
	const db = getDb();
	const now = new Date();
	const { patient } = requirePatient(event, db, event.params.id, now);
	return { record: loadPatientRecord(db, patient), now: now.toISOString() };
};
