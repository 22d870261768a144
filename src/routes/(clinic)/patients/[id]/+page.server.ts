import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { openAppointmentNow } from '$lib/server/appointment-actions';
import { loadPatientPage } from '$lib/server/views/patient-page';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { teamMembers } from '$lib/server/risk/patient-risk';
import { recordAbsencePlan, reviewChecklist } from '$lib/server/risk/checklist';
import { acknowledgeFlag, acknowledgeFlags, actionOfEpisode, agreeAction, closeFlag, flagOfEpisode, recordOutcome, refreshEpisodeFlags } from '$lib/server/risk/flags';
import { parseAbsenceForm, parseAcknowledgeForm, parseActionForm, parseChecklistForm, parseCloseForm, parseEpisodeForm, parseOutcomeForm } from '$lib/server/risk/forms';
import { updateEpisodePlan, withOpenEpisode } from '$lib/server/episodes';
import { planMeeting } from '$lib/server/milestones/meetings';
import { isTeamLeadOf } from '$lib/server/admin/team-lead';
import { recordConsent, stopConsent } from '$lib/server/links/outbox';
import { parseConsentForm } from '$lib/server/links/consent-form';

/** The action (in the checklist's list) that calls a milestone meeting early. */
const MILESTONE_NOW = 'milestone-now';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const access = requirePatient(ctx, event.params.id);
	// The caseload assignment (who holds the episode) is the team lead's.
	return { ...loadPatientPage(ctx, access, getLocale()), canAssign: isTeamLeadOf(ctx.db, access.user, access.patient.teamId) };
};

export const actions: Actions = {
	/** The patient's consent to be sent rating links: the channel and number or address they chose. */
	consent: async (event) => {
		const ctx = event.locals.ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		const parsed = parseConsentForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'consent', field: parsed.field, message: parsed.message });
		recordConsent(ctx.db, user, patient.id, parsed.value, ctx.now, ctx.address);
		return { action: 'consent', saved: true };
	},

	stopMessages: (event) => {
		const ctx = event.locals.ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		if (!stopConsent(ctx.db, patient.id, { userId: user.id }, ctx.now, ctx.address)) return fail(409, { action: 'consent', message: m.pt_msg_none() });
		return { action: 'consent', saved: true };
	},

	now: (event) => {
		const ctx = event.locals.ctx;
		const result = openAppointmentNow(ctx, requirePatient(ctx, event.params.id));
		if (!result.ok) return fail(400, { message: m.patient_no_open_episode() });
		redirect(303, `/appointments/${result.appointment.id}`);
	},

	checklist: async (event) => {
		const ctx = event.locals.ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const config = ctx.config.risk;
		const parsed = parseChecklistForm(await event.request.formData(), config.checklist, getLocale());
		if (!parsed.ok) return fail(400, { action: 'checklist', message: parsed.message });
		reviewChecklist(t.db, t.user, t.ids, config.checklist, parsed.value, t.now);
		refreshEpisodeFlags(t.db, ctx.registry, config, t.episode.id, t.now);
		return { action: 'checklist', saved: true };
	},

	absence: async (event) => {
		const ctx = event.locals.ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const parsed = parseAbsenceForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'absence', message: parsed.message });
		recordAbsencePlan(t.db, t.user, t.ids, parsed.value, t.now);
		return { action: 'absence', saved: true };
	},

	acknowledge: async (event) => {
		const ctx = event.locals.ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const parsed = parseAcknowledgeForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'acknowledge', message: parsed.message });
		const target = parsed.value;
		if (target.scope !== 'flag') {
			acknowledgeFlags(t.db, t.user, t.episode.id, t.patient.id, target.scope === 'all' ? null : target.kind, t.now);
			return { action: 'acknowledge', saved: true };
		}
		const flag = flagOfEpisode(t.db, t.episode.id, target.flagId);
		if (flag === null) return fail(404, { action: 'acknowledge', message: m.flag_gone() });
		acknowledgeFlag(t.db, t.user, flag, t.patient.id, t.now);
		return { action: 'acknowledge', saved: true };
	},

	close: async (event) => {
		const ctx = event.locals.ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const form = await event.request.formData();
		const parsed = parseCloseForm(form);
		const flagField = form.get('flag');
		const where = { action: 'close', flag: typeof flagField === 'string' ? flagField : '' };
		if (!parsed.ok) return fail(400, { ...where, message: parsed.message });
		const flag = flagOfEpisode(t.db, t.episode.id, parsed.value.flagId);
		if (flag === null) return fail(404, { ...where, message: m.flag_gone() });
		if (!closeFlag(t.db, t.user, flag, t.patient.id, parsed.value.reason, t.now)) return fail(409, { ...where, message: m.flag_already_closed() });
		return { ...where, saved: true };
	},

	act: async (event) => {
		const ctx = event.locals.ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const form = await event.request.formData();
		const parsed = parseActionForm(form, ctx.config.risk.checklist.actions, teamMembers(t.db, t.patient.teamId), t.today);
		const flagField = form.get('flag');
		const kindField = form.get('kind');
		const where = { action: 'act', flag: typeof flagField === 'string' ? flagField : '', kind: typeof kindField === 'string' ? kindField : '' };
		if (!parsed.ok) return fail(400, { ...where, message: parsed.message });
		if (parsed.value.flagId !== null && flagOfEpisode(t.db, t.episode.id, parsed.value.flagId) === null) return fail(404, { ...where, message: m.flag_gone() });
		agreeAction(t.db, t.user, t.patient.id, { episodeId: t.episode.id, ...parsed.value }, t.now);
		// "Milestone meeting now" calls the episode's next meeting early, on the due date.
		if (parsed.value.actionKey === MILESTONE_NOW) planMeeting(t.db, t.user, { ...t.ids, date: parsed.value.dueDate, presenterId: null, calledEarly: true, flagId: parsed.value.flagId }, t.now);
		return { ...where, saved: true };
	},

	outcome: async (event) => {
		const ctx = event.locals.ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const form = await event.request.formData();
		const parsed = parseOutcomeForm(form);
		const actionField = form.get('action');
		const where = { action: 'outcome', actionId: typeof actionField === 'string' ? actionField : '' };
		if (!parsed.ok) return fail(400, { ...where, message: parsed.message });
		const action = actionOfEpisode(t.db, t.episode.id, parsed.value.actionId);
		if (action === null) return fail(404, { ...where, message: m.action_gone() });
		if (!recordOutcome(t.db, t.user, t.patient.id, action, parsed.value.outcome, t.now)) return fail(409, { ...where, message: m.action_already_done() });
		return { ...where, saved: true };
	},

	episode: async (event) => {
		const ctx = event.locals.ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const form = await event.request.formData();
		// A clinician's form has no responsible field: the episode keeps the one the team lead set.
		const lead = isTeamLeadOf(t.db, t.user, t.patient.teamId);
		if (!lead && !form.has('responsible')) form.set('responsible', t.episode.responsibleId === null ? '' : String(t.episode.responsibleId));
		const parsed = parseEpisodeForm(form, lead ? teamMembers(t.db, t.patient.teamId) : [...teamMembers(t.db, t.patient.teamId), { id: t.episode.responsibleId ?? 0 }]);
		if (!parsed.ok) return fail(400, { action: 'episode', message: parsed.message });
		if (!lead && parsed.value.responsibleId !== t.episode.responsibleId) return fail(403, { action: 'episode', message: m.adm_lead_only_assign() });
		updateEpisodePlan(t.db, t.user, t.ids, parsed.value, t.now);
		refreshEpisodeFlags(t.db, ctx.registry, ctx.config.risk, t.episode.id, t.now);
		return { action: 'episode', saved: true };
	}
};
