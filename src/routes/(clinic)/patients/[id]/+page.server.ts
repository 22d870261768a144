import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getRegistry } from '$lib/server/instruments';
import { requirePatient } from '$lib/server/auth/guards';
import { loadPatientRecord } from '$lib/server/patients';
import { createAppointmentNow, openEpisode, todaysAppointments } from '$lib/server/appointments';
import { recordAudit } from '$lib/server/audit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { trajectoryView } from '$lib/server/trajectory';
import { getRiskConfig } from '$lib/server/risk/config';
import { patientRiskView, teamMembers } from '$lib/server/risk/patient-risk';
import { recordAbsencePlan, reviewChecklist } from '$lib/server/risk/checklist';
import { acknowledgeFlag, actionOfEpisode, agreeAction, flagOfEpisode, recordOutcome, refreshEpisodeFlags } from '$lib/server/risk/flags';
import { parseAbsenceForm, parseActionForm, parseChecklistForm, parseEpisodeForm, parseFlagForm, parseOutcomeForm } from '$lib/server/risk/forms';
import { updateEpisodePlan, withOpenEpisode } from '$lib/server/episodes';
import { planMeeting } from '$lib/server/milestones/meetings';

/** The action (in the checklist's list) that calls a milestone meeting early. */
const MILESTONE_NOW = 'milestone-now';

export const load: PageServerLoad = (event) => {
	const db = getDb();
	const now = new Date();
	const { user, patient } = requirePatient(event, db, event.params.id, now);
	const registry = getRegistry();
	const record = loadPatientRecord(db, registry, patient);
	const language = getLocale();
	const [current, ...earlier] = record.episodes;
	return {
		record,
		user: { displayName: user.displayName },
		trajectory: current === undefined ? null : trajectoryView(db, registry, current, patient.birthYear, now, language),
		earlier: earlier.map((e) => trajectoryView(db, registry, e, patient.birthYear, now, language)),
		risk: current === undefined ? null : patientRiskView(db, registry, getRiskConfig(), patient, current, now, language),
		today: todaysAppointments(db, patient.id, now),
		hasOpenEpisode: openEpisode(db, patient.id) !== null,
		now: now.toISOString()
	};
};

export const actions: Actions = {
	now: (event) => {
		const db = getDb();
		const now = new Date();
		const { user, patient } = requirePatient(event, db, event.params.id, now);
		const result = createAppointmentNow(db, user, patient, now);
		if (!result.ok) return fail(400, { message: m.patient_no_open_episode() });
		recordAudit(db, { userId: user.id, action: 'changed_record', patientId: patient.id, detail: `created appointment ${result.appointment.id}` }, now);
		redirect(303, `/appointments/${result.appointment.id}`);
	},

	checklist: async (event) => {
		const db = getDb();
		const now = new Date();
		const t = withOpenEpisode(requirePatient(event, db, event.params.id, now), db, now);
		const config = getRiskConfig();
		const parsed = parseChecklistForm(await event.request.formData(), config.checklist, getLocale());
		if (!parsed.ok) return fail(400, { action: 'checklist', message: parsed.message });
		reviewChecklist(t.db, t.user, t.ids, config.checklist, parsed.value, t.now);
		refreshEpisodeFlags(t.db, getRegistry(), config, t.episode.id, t.now);
		return { action: 'checklist', saved: true };
	},

	absence: async (event) => {
		const db = getDb();
		const now = new Date();
		const t = withOpenEpisode(requirePatient(event, db, event.params.id, now), db, now);
		const parsed = parseAbsenceForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'absence', message: parsed.message });
		recordAbsencePlan(t.db, t.user, t.ids, parsed.value, t.now);
		return { action: 'absence', saved: true };
	},

	acknowledge: async (event) => {
		const db = getDb();
		const now = new Date();
		const t = withOpenEpisode(requirePatient(event, db, event.params.id, now), db, now);
		const parsed = parseFlagForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'acknowledge', message: parsed.message });
		const flag = flagOfEpisode(t.db, t.episode.id, parsed.value);
		if (flag === null) return fail(404, { action: 'acknowledge', message: m.flag_gone() });
		acknowledgeFlag(t.db, t.user, flag, t.patient.id, t.now);
		return { action: 'acknowledge', saved: true };
	},

	act: async (event) => {
		const db = getDb();
		const now = new Date();
		const t = withOpenEpisode(requirePatient(event, db, event.params.id, now), db, now);
		const form = await event.request.formData();
		const parsed = parseActionForm(form, getRiskConfig().checklist.actions, teamMembers(t.db, t.patient.teamId), t.today);
		const flagField = form.get('flag');
		const where = { action: 'act', flag: typeof flagField === 'string' ? flagField : '' };
		if (!parsed.ok) return fail(400, { ...where, message: parsed.message });
		if (parsed.value.flagId !== null && flagOfEpisode(t.db, t.episode.id, parsed.value.flagId) === null) return fail(404, { ...where, message: m.flag_gone() });
		agreeAction(t.db, t.user, t.patient.id, { episodeId: t.episode.id, ...parsed.value }, t.now);
		// "Milestone meeting now" calls the episode's next meeting early, on the due date.
		if (parsed.value.actionKey === MILESTONE_NOW) planMeeting(t.db, t.user, { ...t.ids, date: parsed.value.dueDate, presenterId: null, calledEarly: true, flagId: parsed.value.flagId }, t.now);
		return { ...where, saved: true };
	},

	outcome: async (event) => {
		const db = getDb();
		const now = new Date();
		const t = withOpenEpisode(requirePatient(event, db, event.params.id, now), db, now);
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
		const db = getDb();
		const now = new Date();
		const t = withOpenEpisode(requirePatient(event, db, event.params.id, now), db, now);
		const parsed = parseEpisodeForm(await event.request.formData(), teamMembers(t.db, t.patient.teamId));
		if (!parsed.ok) return fail(400, { action: 'episode', message: parsed.message });
		updateEpisodePlan(t.db, t.user, t.ids, parsed.value, t.now);
		refreshEpisodeFlags(t.db, getRegistry(), getRiskConfig(), t.episode.id, t.now);
		return { action: 'episode', saved: true };
	}
};
