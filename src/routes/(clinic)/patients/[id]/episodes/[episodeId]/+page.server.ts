import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { findPatientForUser } from '$lib/server/patients';
import type { Setting } from '$lib/domain/milestones';
import type { EpisodeTransition } from '$lib/server/db/schema';
import { episodeFromParam, recordTransition, reopenEpisode, readForm, reopenFields, transitionFields, reopenRefusal, transitionRefusal, episodePageView } from '$lib/server/patient-pages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user, patient } = requirePatient(ctx, event.params.id);
	const { db } = ctx;
	const episode = episodeFromParam(db, patient.id, event.params.episodeId);
	return episodePageView(ctx, user, patient, episode);
};

function echo(form: FormData, fields: object): Record<string, string> {
	return Object.fromEntries(Object.keys(fields).map((k) => [k, String(form.get(k) ?? '').slice(0, 1000)]));
}

export const actions: Actions = {
	transition: async (event) => {
		const ctx = event.locals.ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		const { db, now } = ctx;
		const episode = episodeFromParam(db, patient.id, event.params.episodeId);
		const form = await event.request.formData();
		const parsed = readForm(form, transitionFields);
		if (!parsed.ok) return fail(400, { action: 'transition', ...parsed, values: echo(form, transitionFields) });
		const v = parsed.value;
		const result = recordTransition(
			db,
			user,
			patient,
			episode,
			{ date: v.date!, kind: v.kind as EpisodeTransition['kind'], toTeamId: v.toTeam!, toSetting: v.toSetting as Setting, place: v.place ?? '', note: v.note ?? '' },
			now,
			ctx.address
		);
		if (!result.ok) return fail(result.reason === 'episode-ended' ? 409 : 400, { action: 'transition', ok: false, ...transitionRefusal(result), values: echo(form, transitionFields) });
		// Moved to a team the user is not in: the patient is no longer theirs to see.
		if (findPatientForUser(db, user, patient.id) === null) redirect(303, '/patients?transferred=1');
		return { action: 'transition', saved: true, planned: result.planned };
	},

	reopen: async (event) => {
		const ctx = event.locals.ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		const { db, now } = ctx;
		const episode = episodeFromParam(db, patient.id, event.params.episodeId);
		const form = await event.request.formData();
		const parsed = readForm(form, reopenFields);
		if (!parsed.ok) return fail(400, { action: 'reopen', ...parsed, values: echo(form, reopenFields) });
		const result = reopenEpisode(db, user, patient, episode, parsed.value.reason!, now, ctx.address);
		if (!result.ok) return fail(409, { action: 'reopen', ok: false, ...reopenRefusal(result), values: echo(form, reopenFields) });
		redirect(303, `/patients/${patient.id}/episodes/${episode.id}`);
	}
};
