import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getRegistry } from '$lib/server/instruments';
import { requireHandoff } from '$lib/server/auth/guards';
import { ratingForm } from '$lib/server/tablet/patient-mode';
import { advanceHandoff } from '$lib/server/tablet/handoff';
import { forgetPatientLanguage, patientLanguage, setPatientLanguage } from '$lib/server/tablet/patient-language';
import { getLocale } from '$lib/paraglide/runtime';

export const load: PageServerLoad = (event) => {
	const { handoff } = requireHandoff(event);
	const form = ratingForm(getDb(), getRegistry(), handoff);
	if (form === null) error(410, 'This rating can no longer be taken');
	return { form, language: patientLanguage(event.cookies, form.languages, getLocale()) };
};

export const actions: Actions = {
	language: async (event) => {
		requireHandoff(event);
		const language = (await event.request.formData()).get('language');
		if (typeof language !== 'string' || !setPatientLanguage(event.cookies, language)) {
			return fail(400, { message: 'language' });
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
