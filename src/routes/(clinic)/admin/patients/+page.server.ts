import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { erasePatient, ERASE_REASON_MAX, ERASE_REASON_MIN, findPatientByCode } from '$lib/server/data-rights/erase';
import { parseEraseForm } from '$lib/server/data-rights/erase-form';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	requireRole(event.locals.ctx, ['admin']);
	return { min: ERASE_REASON_MIN, max: ERASE_REASON_MAX };
};

export const actions: Actions = {
	erase: async (event) => {
		const ctx = event.locals.ctx;
		const { user: admin } = requireRole(ctx, ['admin']);
		const db = ctx.db;
		const form = await event.request.formData();
		const echo = { code: String(form.get('code') ?? '').slice(0, 40), reason: String(form.get('reason') ?? '').slice(0, ERASE_REASON_MAX) };
		const parsed = parseEraseForm(form);
		if (!parsed.ok) return fail(400, { ...echo, message: parsed.message });
		const patient = findPatientByCode(db, admin.organisationId, parsed.code);
		if (patient === null) return fail(404, { ...echo, message: m.admin_erase_unknown({ code: parsed.code }) });
		erasePatient(db, admin, patient, parsed.reason, ctx.address, ctx.now);
		return { done: m.admin_erase_done({ code: parsed.code }) };
	}
};
