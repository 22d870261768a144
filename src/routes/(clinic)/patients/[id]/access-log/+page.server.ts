import type { PageServerLoad } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { giveAccessLog } from '$lib/server/access-log/access-log';

/** The patient's access log for the treating team; opening it gives it out, and that is audited. */
export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const access = requirePatient(ctx, event.params.id);
	return { patientId: access.patient.id, log: giveAccessLog(ctx, access) };
};
