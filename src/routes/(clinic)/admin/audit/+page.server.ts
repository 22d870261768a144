import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { clientAddress, requireRole } from '$lib/server/auth/guards';
import { auditFiltersFrom, readAuditLog } from '$lib/server/admin/audit-log';
import { listOrganisationUsers } from '$lib/server/admin/users';
import { recordAudit } from '$lib/server/audit';
import { auditActions } from '$lib/server/db/schema';

export const load: PageServerLoad = (event) => {
	const admin = requireRole(event, ['admin']);
	const db = getDb();
	const now = new Date();
	const { filters, page } = auditFiltersFrom(event.url.searchParams);
	// Reading the trail is itself audited, with the filter used, before the page is read.
	recordAudit(db, { userId: admin.id, action: 'viewed_audit_log', detail: `filter ${JSON.stringify(filters)} page ${page}`.slice(0, 500), address: clientAddress(event) }, now);
	const log = readAuditLog(db, admin.organisationId, filters, page);
	return {
		filters,
		log,
		users: listOrganisationUsers(db, admin.organisationId).map((u) => ({ id: u.id, label: `${u.displayName} (${u.username})` })),
		actions: auditActions
	};
};
