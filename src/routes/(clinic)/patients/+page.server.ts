import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { requireUser, clientAddress } from '$lib/server/auth/guards';
import { listPatients } from '$lib/server/patients';
import { recordAudit } from '$lib/server/audit';

export const load: PageServerLoad = (event) => {
	const user = requireUser(event);
	const db = getDb();
	const patients = listPatients(db, user);
	recordAudit(db, { userId: user.id, action: 'viewed_patient_list', detail: `${patients.length} patients`, address: clientAddress(event) }, new Date());
	return { patients };
};
