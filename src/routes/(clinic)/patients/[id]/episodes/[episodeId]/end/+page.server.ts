import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import type { EndReason } from '$lib/domain/episode-course';
import { endEpisode, episodeFromParam, endFields, readForm, endRefusal, endEpisodeView, hasDischargePlan } from '$lib/server/patient-pages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user, patient } = requirePatient(ctx, event.params.id);
	const { db } = ctx;
	const episode = episodeFromParam(db, patient.id, event.params.episodeId);
	if (episode.actualEnd !== null) redirect(303, `/patients/${patient.id}/episodes/${episode.id}`);
	return endEpisodeView(ctx, user, patient, episode);
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = event.locals.ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		const { db, now } = ctx;
		const episode = episodeFromParam(db, patient.id, event.params.episodeId);
		const form = await event.request.formData();
		const values = Object.fromEntries(Object.keys(endFields).map((k) => [k, String(form.get(k) ?? '').slice(0, 1000)]));
		const parsed = readForm(form, endFields);
		if (!parsed.ok) return fail(400, { ...parsed, values });
		const v = parsed.value;
		const result = endEpisode(
			db,
			user,
			patient,
			episode,
			{ reason: v.reason as EndReason, endDate: v.endDate!, lastAttendedDate: v.lastAttended, note: v.note ?? '', withoutDischargePlan: v.withoutPlan },
			hasDischargePlan(db, episode.id),
			now,
			ctx.address
		);
		if (!result.ok) return fail(result.reason === 'episode-ended' ? 409 : 400, { ok: false, ...endRefusal(result, episode.plannedEnd), values });
		redirect(303, result.outreachTaskId === null ? `/patients/${patient.id}/episodes/${episode.id}` : `/patients/${patient.id}/outreach/${result.outreachTaskId}`);
	}
};
