import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireHandoff } from '$lib/server/auth/guards';
import { ratingForm } from '$lib/server/tablet/patient-mode';
import { advanceHandoff, keepPatientLanguage, roundIsOver, setHandoffLanguage, skipTurn } from '$lib/server/tablet/handoff';
import { isOfferedLanguage, patientLanguage } from '$lib/server/tablet/patient-language';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { handoff } = requireHandoff(ctx);
	// The last member of a group round was not there: the round is over, the clinician takes the tablet back.
	if (roundIsOver(handoff)) return { form: null, language: getLocale() };
	const form = ratingForm(ctx.db, ctx.registry, handoff);
	// The episode has closed (or the instrument is gone) since the hand-over: +error.svelte says so.
	if (form === null) error(410, 'This rating can no longer be taken');
	return { form, language: patientLanguage(handoff, form.languages, getLocale()) };
};

export const actions: Actions = {
	language: async (event) => {
		const ctx = event.locals.ctx;
		const { handoff } = requireHandoff(ctx);
		const language = (await event.request.formData()).get('language');
		const offered = ratingForm(ctx.db, ctx.registry, handoff)?.languages ?? [];
		if (typeof language !== 'string' || !isOfferedLanguage(language, offered)) {
			return fail(400, { message: m.field_invalid({ field: m.language() }) });
		}
		setHandoffLanguage(ctx.db, handoff.id, language);
		redirect(303, '/rate');
	},
	keepLanguage: async (event) => {
		const ctx = event.locals.ctx;
		const { handoff } = requireHandoff(ctx);
		const language = (await event.request.formData()).get('language');
		if (typeof language !== 'string' || !keepPatientLanguage(ctx.db, handoff, language, ctx.now, ctx.address)) {
			return fail(400, { message: m.field_invalid({ field: m.language() }) });
		}
		return { kept: language };
	},
	next: (event) => {
		const ctx = event.locals.ctx;
		const { handoff } = requireHandoff(ctx);
		advanceHandoff(ctx.db, handoff);
		redirect(303, '/rate');
	},
	skip: (event) => {
		const ctx = event.locals.ctx;
		const { handoff } = requireHandoff(ctx);
		skipTurn(ctx.db, handoff, ctx.now, ctx.address);
		redirect(303, '/rate');
	}
};
