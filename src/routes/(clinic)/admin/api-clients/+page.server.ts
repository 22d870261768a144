import { fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { listTeams } from '$lib/server/admin/teams';
import { parseIdForm } from '$lib/server/admin/team-form';
import { createApiClient, listApiClients, revokeApiClient } from '$lib/server/fhir/api-clients';
import { parseApiClientForm } from '$lib/server/fhir/api-client-form';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const { db, now } = event.locals.ctx;
	return { clients: listApiClients(db, admin.organisationId), teams: listTeams(db, admin.organisationId).filter((t) => t.archivedAt === null), now };
};

async function create(event: RequestEvent) {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const { db, now, address } = event.locals.ctx;
	const form = await event.request.formData();
	const values = { name: String(form.get('name') ?? '').slice(0, 100), expires: String(form.get('expires') ?? '').slice(0, 20) };
	const parsed = parseApiClientForm(
		form,
		listTeams(db, admin.organisationId).map((t) => t.id),
		now
	);
	if (!parsed.ok) return fail(400, { action: 'create', values, field: parsed.field, message: parsed.message });
	const result = createApiClient(db, admin, parsed.value, address, now);
	if (!result.ok) return fail(400, { action: 'create', values, field: 'teams', message: m.api_client_unknown_team() });
	// The one time the token leaves the server: this answer, to the admin who made it.
	return { action: 'create', done: m.api_client_created({ name: result.client.name }), token: result.token };
}

async function revoke(event: RequestEvent) {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const parsed = parseIdForm(await event.request.formData(), 'client', m.api_client_client());
	if (!parsed.ok) return fail(400, { action: 'revoke', field: parsed.field, message: parsed.message });
	const done = revokeApiClient(event.locals.ctx.db, admin, parsed.value, event.locals.ctx.address, event.locals.ctx.now);
	if (!done) return fail(404, { action: 'revoke', field: 'client', message: m.api_client_not_found() });
	return { action: 'revoke', done: m.api_client_revoked_done() };
}

export const actions: Actions = { create, revoke };
