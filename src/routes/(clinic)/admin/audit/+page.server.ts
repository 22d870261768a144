import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { auditFiltersFrom, readAuditLog } from '$lib/server/admin/audit-log';
import { listOrganisationUsers } from '$lib/server/admin/users';
import { recordAudit } from '$lib/server/audit';
import { auditActions } from '$lib/server/db/schema';
import { checkAuditTrail } from '$lib/server/admin/audit-verify';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user: admin } = requireRole(ctx, ['admin']);
	const { db, now } = ctx;
	const { filters, page } = auditFiltersFrom(event.url.searchParams);
	// Reading the trail is itself audited, with the filter used, before the page is read.
	recordAudit(db, { userId: admin.id, action: 'viewed_audit_log', detail: `filter ${JSON.stringify(filters)} page ${page}`.slice(0, 500), address: ctx.address }, now);
	const log = readAuditLog(db, admin.organisationId, filters, page);
	return {
		filters,
		log,
		users: listOrganisationUsers(db, admin.organisationId).map((u) => ({ id: u.id, label: `${u.displayName} (${u.username})` })),
		actions: auditActions
	};
};

export const actions: Actions = {
	// "Verify the trail": recomputes the hash chain and names the first broken row.
	verify: (event) => {
		const ctx = event.locals.ctx;
		const { user: admin } = requireRole(ctx, ['admin']);
		return { verdict: checkAuditTrail(ctx.db, admin, ctx.address, ctx.now) };
	}
};
