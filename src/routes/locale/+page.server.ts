import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { locales } from '$lib/server/db/schema';
import { setLocaleCookie } from '$lib/server/locale';
import { safeNext } from '$lib/server/safe-next';
import { setPreferredLocale } from '$lib/server/users';
import { m } from '$lib/paraglide/messages';

// Public: the language can be chosen before signing in. Nothing here reads patient data.
export const load: PageServerLoad = () => redirect(303, '/');

const LocaleForm = z.object({ locale: z.enum(locales), next: z.string().max(500).optional() });

export const actions: Actions = {
	default: async (event) => {
		const parsed = LocaleForm.safeParse(Object.fromEntries(await event.request.formData()));
		// The page itself only redirects, so a failure is shown as an error page, not on a form.
		if (!parsed.success) error(400, m.field_invalid({ field: m.language() }));
		const target = safeNext(parsed.data.next, event.url.origin, '/');
		if (!target.ok) error(400, m.security_next_invalid());
		setLocaleCookie(event.cookies, parsed.data.locale);
		// A signed-in clinician keeps the choice: it is their preferred language from now on.
		const { ctx } = event.locals;
		if (ctx.actor.kind === 'staff') setPreferredLocale(ctx.db, ctx.actor.user.id, parsed.data.locale);
		redirect(303, target.path);
	}
};
