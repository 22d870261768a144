import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { giveAccessLogByCode } from '$lib/server/access-log/access-log';
import { parseAccessLogCode } from '$lib/server/access-log/code-form';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	requireRole(event.locals.ctx, ['admin']);
	return {};
};

export const actions: Actions = {
	/** The admin types the patient's code and gets the log, not the record. */
	show: async (event) => {
		const ctx = event.locals.ctx;
		const { user: admin } = requireRole(ctx, ['admin']);
		const form = await event.request.formData();
		const code = String(form.get('code') ?? '').slice(0, 40);
		const parsed = parseAccessLogCode(form);
		if (!parsed.ok) return fail(400, { code, message: parsed.message });
		const log = giveAccessLogByCode(ctx, admin, parsed.code);
		if (log === null) return fail(404, { code, message: m.alog_admin_unknown({ code: parsed.code }) });
		return { log };
	}
};
