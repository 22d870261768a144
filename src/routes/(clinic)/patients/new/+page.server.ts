import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { osloDate } from '$lib/server/appointments';
import { registerPatient, birthInFuture, readForm, registerFields, registerRefusal, registrationFormView } from '$lib/server/patient-pages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	return registrationFormView(ctx, requireUser(ctx).user);
};

/** The fields sent back to the form after a refusal (never the national identity number in full). */
function echo(form: FormData): Record<string, string> {
	const keep = ['code', 'displayName', 'birthDate', 'birthYear', 'preferredLocale', 'team'];
	return Object.fromEntries(keep.map((k) => [k, String(form.get(k) ?? '').slice(0, 200)]));
}

export const actions: Actions = {
	default: async (event) => {
		const ctx = event.locals.ctx;
		const { user } = requireUser(ctx);
		const { db, now } = ctx;
		const form = await event.request.formData();
		const parsed = readForm(form, registerFields);
		if (!parsed.ok) return fail(400, { ...parsed, values: echo(form), existing: null });
		const v = parsed.value;
		const future = birthInFuture(v, osloDate(now));
		if (future !== null) return fail(400, { ...future, values: echo(form), existing: null });
		const result = registerPatient(
			db,
			user,
			{
				code: v.code,
				displayName: v.displayName!,
				birthDate: v.birthDate,
				birthYear: v.birthYear,
				preferredLocale: v.preferredLocale as 'nb' | 'nn' | 'en' | null,
				nationalId: v.nationalId,
				teamId: v.team!
			},
			now,
			ctx.address
		);
		if (!result.ok) {
			const refusal = registerRefusal(result);
			// A team that is not the user's is "not allowed", as any other team's id; a duplicate is a conflict.
			return fail(result.reason === 'duplicate' ? 409 : 400, { ok: false, ...refusal, values: echo(form) });
		}
		redirect(303, `/patients/${result.patient.id}/episodes/new`);
	}
};
