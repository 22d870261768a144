import { fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { createTeam, listTeams, setTeamArchived, teamSettings, updateTeam } from '$lib/server/admin/teams';
import { parseIdForm, parseTeamForm, teamFormLabels } from '$lib/server/admin/team-form';
import type { SessionUser } from '$lib/server/auth/session';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	return { teams: listTeams(event.locals.ctx.db, admin.organisationId), settings: teamSettings };
};

function echo(form: FormData): Record<string, string> {
	return Object.fromEntries(['team', 'name', 'defaultSetting'].map((f) => [f, String(form.get(f) ?? '').slice(0, 100)]));
}

async function create(event: RequestEvent) {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const form = await event.request.formData();
	const where = { action: 'create', values: echo(form) };
	const parsed = parseTeamForm(form, false);
	if (!parsed.ok) return fail(400, { ...where, field: parsed.field, message: parsed.message });
	const result = createTeam(event.locals.ctx.db, admin, parsed.value, event.locals.ctx.address, event.locals.ctx.now);
	if (!result.ok) return fail(400, { ...where, field: 'name', message: m.adm_team_name_taken({ name: parsed.value.name }) });
	return { action: 'create', done: m.adm_team_created({ name: result.team.name }) };
}

async function update(event: RequestEvent) {
	const { user: admin } = requireRole(event.locals.ctx, ['admin']);
	const form = await event.request.formData();
	const where = { action: 'update', values: echo(form) };
	const parsed = parseTeamForm(form, true);
	if (!parsed.ok) return fail(400, { ...where, field: parsed.field, message: parsed.message });
	const result = updateTeam(event.locals.ctx.db, admin, parsed.value.teamId!, parsed.value, event.locals.ctx.address, event.locals.ctx.now);
	if (!result.ok) {
		if (result.reason === 'not_found') return fail(404, { ...where, field: 'team', message: m.adm_team_not_found() });
		return fail(400, { ...where, field: 'name', message: m.adm_team_name_taken({ name: parsed.value.name }) });
	}
	return { action: 'update', done: m.adm_team_saved({ name: result.team.name }) };
}

async function archiving(event: RequestEvent, admin: SessionUser, archived: boolean) {
	const parsed = parseIdForm(await event.request.formData(), 'team', teamFormLabels().team!);
	if (!parsed.ok) return fail(400, { action: 'archive', field: parsed.field, message: parsed.message });
	const result = setTeamArchived(event.locals.ctx.db, admin, parsed.value, archived, event.locals.ctx.address, event.locals.ctx.now);
	if (!result.ok) return fail(404, { action: 'archive', field: 'team', message: m.adm_team_not_found() });
	return { action: 'archive', done: archived ? m.adm_team_archived_done({ name: result.team.name }) : m.adm_team_restored_done({ name: result.team.name }) };
}

function archive(event: RequestEvent) {
	return archiving(event, requireRole(event.locals.ctx, ['admin']).user, true);
}

function restore(event: RequestEvent) {
	return archiving(event, requireRole(event.locals.ctx, ['admin']).user, false);
}

export const actions: Actions = { create, update, archive, restore };
