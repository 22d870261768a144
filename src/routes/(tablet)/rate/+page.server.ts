import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getRegistry } from '$lib/server/instruments';
import { requireHandoff } from '$lib/server/auth/guards';
import { ratingForm } from '$lib/server/tablet/patient-mode';
import { advanceHandoff } from '$lib/server/tablet/handoff';
import { forgetPatientLanguage, patientLanguage, setPatientLanguage } from '$lib/server/tablet/patient-language';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const { handoff } = requireHandoff(event);
	const form = ratingForm(getDb(), getRegistry(), handoff);
	// The episode has closed (or the instrument is gone) since the hand-over: +error.svelte says so.
	if (form === null) error(410, 'This rating can no longer be taken');
	return { form, language: patientLanguage(event.cookies, form.languages, getLocale()) };
};

export const actions: Actions = {
	language: async (event) => {
		const { handoff } = requireHandoff(event);
		const language = (await event.request.formData()).get('language');
		const offered = ratingForm(getDb(), getRegistry(), handoff)?.languages ?? [];
		if (typeof language !== 'string' || !setPatientLanguage(event.cookies, language, offered)) {
			return fail(400, { message: m.field_invalid({ field: m.language() }) });
		}
		redirect(303, '/rate');
	},
	next: (event) => {
		const { handoff } = requireHandoff(event);
		advanceHandoff(getDb(), handoff);
		forgetPatientLanguage(event.cookies);
		redirect(303, '/rate');
	}
};
