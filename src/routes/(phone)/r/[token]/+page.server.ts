import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRatingLink } from '$lib/server/auth/guards';
import { auditLinkOpened, linkPage, setLinkLanguage } from '$lib/server/links/rating-links';
import { gatePassed, passLinkGate } from '$lib/server/links/link-gate';
import { isOfferedLanguage, patientLanguage } from '$lib/server/tablet/patient-language';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const grant = requireRatingLink(ctx);
	const page = linkPage(ctx.db, ctx.registry, grant, ctx.now, { passed: gatePassed(ctx, grant) });
	// Opening the form is the patient's own action, audited as such; a link in any other state shows only that state.
	if (page.state === 'open') auditLinkOpened(ctx.db, grant, ctx.address, ctx.now);
	const languages = page.state === 'open' ? page.form.languages : page.languages;
	return { page, token: event.params.token, language: patientLanguage({ language: page.language }, languages, getLocale()) };
};

export const actions: Actions = {
	language: async (event) => {
		const ctx = event.locals.ctx;
		const grant = requireRatingLink(ctx);
		const language = (await event.request.formData()).get('language');
		const page = linkPage(ctx.db, ctx.registry, grant, ctx.now);
		const offered = page.state === 'open' ? page.form.languages : page.languages;
		if (typeof language !== 'string' || !isOfferedLanguage(language, offered)) return fail(400, { message: m.field_invalid({ field: m.language() }) });
		setLinkLanguage(ctx.db, grant, language);
		redirect(303, `/r/${event.params.token}`);
	},
	/** The birth date asked before the form opens (STEMME_LINK_BIRTH_DATE=on). */
	gate: async (event) => {
		const ctx = event.locals.ctx;
		const grant = requireRatingLink(ctx);
		const result = passLinkGate(ctx, grant, (await event.request.formData()).get('birthDate'));
		if (result.ok) redirect(303, `/r/${event.params.token}`);
		if (result.reason === 'invalid') return fail(400, { field: result.field, gate: result.reason });
		return fail(result.reason === 'unknown_birth_date' ? 409 : 403, { field: 'birthDate', gate: result.reason });
	}
};
