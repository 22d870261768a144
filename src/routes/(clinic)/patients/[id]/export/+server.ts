import type { RequestHandler } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { exportPatient } from '$lib/server/data-rights/export';

/** Everything about the patient as a JSON download (access and portability); audited as exported. */
export const GET: RequestHandler = (event) => {
	const ctx = event.locals.ctx;
	const { db, now } = ctx;
	const { user, patient } = requirePatient(ctx, event.params.id);
	const body = JSON.stringify(exportPatient(db, user, patient, ctx.address, now), null, 2);
	const file = `stemme-${patient.code.replace(/[^A-Za-z0-9._-]/g, '_')}-${now.toISOString().slice(0, 10)}.json`;
	return new Response(body, {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${file}"`,
			'cache-control': 'no-store'
		}
	});
};
