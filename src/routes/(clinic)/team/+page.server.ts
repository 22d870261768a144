import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { assignPresenter, assignResponsible, isTeamLeadOf, leadAddMember, leadRemoveMember, openTeamPage, type LeadResult } from '$lib/server/admin/team-lead';
import { parseAssignForm, parseIdForm } from '$lib/server/admin/team-form';
import { parseId } from '$lib/server/admin/user-form';
import type { SessionUser } from '$lib/server/auth/session';
import { m } from '$lib/paraglide/messages';

/** The team lead's own page: the team's members, who holds each episode, and who presents at each planned meeting. */
export const load: PageServerLoad = (event) => {
	const { user: lead } = requireRole(event.locals.ctx, ['team_lead']);
	const raw = event.url.searchParams.get('team');
	const page = openTeamPage(event.locals.ctx.db, lead, raw === null ? null : (parseId(raw) ?? 0), event.locals.ctx.address, event.locals.ctx.now);
	if (page === null) error(404, m.adm_team_not_found());
	return page;
};

/** The team the form names, when the signed-in lead leads it; another team is "not found". */
async function ledTeamForm(event: RequestEvent, lead: SessionUser) {
	const form = await event.request.formData();
	const teamId = parseId(String(form.get('team') ?? ''));
	if (teamId === null || !isTeamLeadOf(event.locals.ctx.db, lead, teamId)) error(404, m.adm_team_not_found());
	form.delete('team');
	return { form, teamId };
}

function answer(action: string, result: LeadResult, done: string) {
	if (result.ok) return { action, done };
	const message =
		result.reason === 'self' ? m.adm_lead_remove_self() : result.reason === 'not_allowed' ? m.adm_lead_no_admins() : result.reason === 'not_member' ? m.adm_lead_not_member() : m.error_not_found();
	return fail(result.reason === 'not_found' ? 404 : 400, { action, message });
}

async function add(event: RequestEvent) {
	const { user: lead } = requireRole(event.locals.ctx, ['team_lead']);
	const { form, teamId } = await ledTeamForm(event, lead);
	const parsed = parseIdForm(form, 'user', m.adm_lead_person());
	if (!parsed.ok) return fail(400, { action: 'members', field: parsed.field, message: parsed.message });
	return answer('members', leadAddMember(event.locals.ctx.db, lead, teamId, parsed.value, event.locals.ctx.address, event.locals.ctx.now), m.adm_lead_added());
}

async function remove(event: RequestEvent) {
	const { user: lead } = requireRole(event.locals.ctx, ['team_lead']);
	const { form, teamId } = await ledTeamForm(event, lead);
	const parsed = parseIdForm(form, 'user', m.adm_lead_person());
	if (!parsed.ok) return fail(400, { action: 'members', field: parsed.field, message: parsed.message });
	return answer('members', leadRemoveMember(event.locals.ctx.db, lead, teamId, parsed.value, event.locals.ctx.address, event.locals.ctx.now), m.adm_lead_removed());
}

async function responsible(event: RequestEvent) {
	const { user: lead } = requireRole(event.locals.ctx, ['team_lead']);
	const { form, teamId } = await ledTeamForm(event, lead);
	const parsed = parseAssignForm(form, 'episode', 'responsible', { episode: m.adm_lead_episode(), responsible: m.episode_responsible() });
	if (!parsed.ok) return fail(400, { action: 'caseload', field: parsed.field, message: parsed.message });
	return answer('caseload', assignResponsible(event.locals.ctx.db, lead, teamId, parsed.value.recordId, parsed.value.personId, event.locals.ctx.address, event.locals.ctx.now), m.adm_lead_assigned());
}

async function presenter(event: RequestEvent) {
	const { user: lead } = requireRole(event.locals.ctx, ['team_lead']);
	const { form, teamId } = await ledTeamForm(event, lead);
	const parsed = parseAssignForm(form, 'meeting', 'presenter', { meeting: m.adm_lead_meeting(), presenter: m.adm_lead_presenter() });
	if (!parsed.ok) return fail(400, { action: 'rota', field: parsed.field, message: parsed.message });
	return answer('rota', assignPresenter(event.locals.ctx.db, lead, teamId, parsed.value.recordId, parsed.value.personId, event.locals.ctx.address, event.locals.ctx.now), m.adm_lead_presenter_set());
}

export const actions: Actions = { add, remove, responsible, presenter };
