import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { clientAddress, requirePatient } from '$lib/server/auth/guards';
import { exportPatient } from '$lib/server/data-rights/export';

/** Everything about the patient as a JSON download (access and portability); audited as exported. */
export const GET: RequestHandler = (event) => {
	const db = getDb();
	const now = new Date();
	const { user, patient } = requirePatient(event, db, event.params.id, now);
	const body = JSON.stringify(exportPatient(db, user, patient, clientAddress(event), now), null, 2);
	const file = `stemme-${patient.code.replace(/[^A-Za-z0-9._-]/g, '_')}-${now.toISOString().slice(0, 10)}.json`;
	return new Response(body, {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${file}"`,
			'cache-control': 'no-store'
		}
	});
};
