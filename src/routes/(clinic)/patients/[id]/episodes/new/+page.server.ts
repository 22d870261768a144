import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { osloDate } from '$lib/server/appointments';
import type { Setting } from '$lib/domain/milestones';
import { startEpisode, episodeFields, readForm, startOutOfRange, startRefusal, newEpisodeView } from '$lib/server/patient-pages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user, patient } = requirePatient(ctx, event.params.id);
	return newEpisodeView(ctx, user, patient);
};

function echo(form: FormData): Record<string, string> {
	return Object.fromEntries(Object.keys(episodeFields).map((k) => [k, String(form.get(k) ?? '').slice(0, 1000)]));
}

export const actions: Actions = {
	default: async (event) => {
		const ctx = event.locals.ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		const { db, now } = ctx;
		const form = await event.request.formData();
		const parsed = readForm(form, episodeFields);
		if (!parsed.ok) return fail(400, { ...parsed, values: echo(form) });
		const v = parsed.value;
		const range = startOutOfRange(v.startDate!, osloDate(now));
		if (range !== null) return fail(400, { ...range, values: echo(form) });
		const result = startEpisode(
			db,
			user,
			patient,
			{
				teamId: v.team!,
				setting: v.setting as Setting,
				responsibleId: v.responsible,
				startDate: v.startDate!,
				sessionIntervalDays: v.interval,
				plannedEnd: v.plannedEnd,
				referralReason: v.referralReason ?? ''
			},
			ctx.config.risk.checklist,
			now,
			ctx.address
		);
		if (!result.ok) return fail(result.reason === 'already-open' ? 409 : 400, { ok: false, ...startRefusal(result), values: echo(form) });
		redirect(303, `/patients/${patient.id}/episodes/${result.episode.id}${result.earlierDropout === null ? '' : '?earlier=1'}`);
	}
};
