import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { recordAudit } from '$lib/server/audit';

/** Notes in the audit trail that the patient page (or, with ?what=meeting, the milestone meeting page) was printed. */
export const POST: RequestHandler = (event) => {
	const ctx = event.locals.ctx;
	const { user, patient } = requirePatient(ctx, event.params.id);
	const what = event.url.searchParams.get('what') === 'meeting' ? 'milestone meeting page' : 'patient page';
	recordAudit(ctx.db, { userId: user.id, action: 'printed', patientId: patient.id, detail: what, address: ctx.address }, ctx.now);
	return json({ ok: true });
};
