import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requirePatient } from '$lib/server/auth/guards';
import { recordAudit } from '$lib/server/audit';

/** Notes in the audit trail that the patient page (or, with ?what=meeting, the milestone meeting page) was printed. */
export const POST: RequestHandler = (event) => {
	const db = getDb();
	const now = new Date();
	const { user, patient } = requirePatient(event, db, event.params.id, now);
	recordAudit(db, { userId: user.id, action: 'printed', patientId: patient.id, detail: event.url.searchParams.get('what') === 'meeting' ? 'milestone meeting page' : 'patient page' }, now);
	return json({ ok: true });
};
