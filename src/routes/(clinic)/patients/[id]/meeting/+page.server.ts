import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { loadPatientRecord } from '$lib/server/patients';
import { recordAudit } from '$lib/server/audit';
import { teamMembers } from '$lib/server/risk/patient-risk';
import { meetingView } from '$lib/server/milestones/meeting-view';
import { planMeeting, saveMeeting } from '$lib/server/milestones/meetings';
import { withOpenEpisode } from '$lib/server/episodes';
import { isTeamLeadOf, plannedPresenter } from '$lib/server/admin/team-lead';
import { addGoal, goalOfEpisode, recordDischargePlan, updateGoal } from '$lib/server/milestones/plan';
import { parseDischargeForm, parseGoalForm, parsePlanForm, parseRecordForm, PEOPLE_ROWS, ACTION_ROWS } from '$lib/server/milestones/forms';
import { PATHWAY_QUESTIONS } from '$lib/domain/milestones';
import { textFor } from '$lib/domain/localized';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { db, now, registry } = ctx;
	const { user, patient } = requirePatient(ctx, event.params.id);
	const record = loadPatientRecord(db, registry, patient);
	const current = record.episodes[0];
	if (current === undefined) error(404, m.no_episode());
	const raw = event.url.searchParams.get('m');
	const meetingId = raw !== null && /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : null;
	const view = meetingView(db, registry, ctx.config.risk, patient, current, meetingId, now, getLocale());
	if (meetingId !== null && view.meeting === null) error(404, m.meeting_not_found());
	recordAudit(db, { userId: user.id, action: 'viewed_patient', patientId: patient.id, detail: 'milestone meeting page', address: ctx.address }, now);
	return {
		patient: { id: patient.id, code: patient.code, displayName: patient.displayName, birthYear: patient.birthYear },
		teamName: record.teamName,
		episode: { startDate: current.startDate, setting: current.setting, plannedEnd: current.plannedEnd },
		view,
		peopleRows: PEOPLE_ROWS,
		actionRows: ACTION_ROWS,
		user: { displayName: user.displayName },
		canAssignPresenter: isTeamLeadOf(db, user, patient.teamId),
		now: now.toISOString()
	};
};

function presentersOf(t: ReturnType<typeof withOpenEpisode>) {
	return teamMembers(t.db, t.patient.teamId).filter((p) => p.id !== t.episode.responsibleId);
}

export const actions: Actions = {
	plan: async (event) => {
		const ctx = event.locals.ctx;
		const { db, now } = ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const parsed = parsePlanForm(await event.request.formData(), presentersOf(t), t.today);
		if (!parsed.ok) return fail(400, { action: 'plan', message: parsed.message });
		// The presenter rota is the team lead's: a clinician plans the date and keeps the presenter as set.
		if (parsed.value.presenterId !== null && parsed.value.presenterId !== plannedPresenter(db, t.episode.id) && !isTeamLeadOf(db, t.user, t.patient.teamId)) {
			return fail(403, { action: 'plan', message: m.adm_lead_only_presenter() });
		}
		planMeeting(db, t.user, { ...t.ids, ...parsed.value, calledEarly: false, flagId: null }, now);
		return { action: 'plan', saved: true };
	},

	record: async (event) => {
		const ctx = event.locals.ctx;
		const { db, now } = ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const questions = PATHWAY_QUESTIONS.map((q) => ({ key: q.key, text: textFor(q.text, getLocale()) }));
		const parsed = parseRecordForm(await event.request.formData(), questions, t.today, t.episode.setting, teamMembers(db, t.patient.teamId));
		if (!parsed.ok) return fail(400, { action: 'record', message: parsed.message });
		const { meetingId, actions, ...input } = parsed.value;
		// One use case: with no meeting planned it is planned on the day held; the record and its actions are saved with it.
		const saved = saveMeeting(db, t.user, t.ids, meetingId, input, actions, now);
		if (saved === null) return fail(404, { action: 'record', message: m.meeting_not_found() });
		// The held meeting, with its record; the next planned one is a separate meeting.
		redirect(303, `?m=${saved.meetingId}&saved=${saved.version}`);
	},

	goal: async (event) => {
		const ctx = event.locals.ctx;
		const { db, now } = ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const parsed = parseGoalForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'goal', message: parsed.message });
		const { goalId, text, status } = parsed.value;
		if (goalId === null) addGoal(db, t.user, t.ids, text, status, now);
		else if (goalOfEpisode(db, t.episode.id, goalId) === null) return fail(404, { action: 'goal', message: m.error_not_found() });
		else updateGoal(db, t.user, t.patient.id, goalId, text, status, now);
		return { action: 'goal', saved: true };
	},

	discharge: async (event) => {
		const ctx = event.locals.ctx;
		const { db, now } = ctx;
		const t = withOpenEpisode(requirePatient(ctx, event.params.id), ctx);
		const parsed = parseDischargeForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'discharge', message: parsed.message });
		recordDischargePlan(db, t.user, t.ids, parsed.value, now);
		return { action: 'discharge', saved: true };
	}
};
