import type { Actions, PageServerLoad } from './$types';
import { requireRatingLink } from '$lib/server/auth/guards';
import { linkPage } from '$lib/server/links/rating-links';
import { stopConsent } from '$lib/server/links/outbox';
import { patientLanguage } from '$lib/server/tablet/patient-language';
import { getLocale } from '$lib/paraglide/runtime';

/** The link in every message that stops the messages: asks first (a link preview must not stop them), then stops. */
export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const grant = requireRatingLink(ctx);
	const page = linkPage(ctx.db, ctx.registry, grant, ctx.now);
	const languages = page.state === 'open' ? page.form.languages : page.languages;
	return { language: patientLanguage({ language: grant.language }, languages, getLocale()) };
};

export const actions: Actions = {
	default: (event) => {
		const ctx = event.locals.ctx;
		const grant = requireRatingLink(ctx);
		stopConsent(ctx.db, grant.patientId, { patient: true }, ctx.now, ctx.address);
		// Stopped now or before: the patient is told the same.
		return { stopped: true };
	}
};
