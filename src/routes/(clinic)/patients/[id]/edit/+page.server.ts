import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { osloDate } from '$lib/server/appointments';
import { m } from '$lib/paraglide/messages';
import { editPatient, birthInFuture, editFields, readForm, registerRefusal, editPatientView } from '$lib/server/patient-pages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user, patient } = requirePatient(ctx, event.params.id);
	return editPatientView(ctx, user, patient);
};

function echo(form: FormData): Record<string, string> {
	return Object.fromEntries(['code', 'displayName', 'birthDate', 'birthYear', 'preferredLocale'].map((k) => [k, String(form.get(k) ?? '').slice(0, 200)]));
}

export const actions: Actions = {
	default: async (event) => {
		const ctx = event.locals.ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		const { db, now } = ctx;
		const form = await event.request.formData();
		const parsed = readForm(form, editFields);
		if (!parsed.ok) return fail(400, { ...parsed, values: echo(form), existing: null });
		const v = parsed.value;
		if (v.code === null) return fail(400, { ok: false, field: 'code', message: m.field_required({ field: editFields.code.label() }), values: echo(form), existing: null });
		const future = birthInFuture(v, osloDate(now));
		if (future !== null) return fail(400, { ...future, values: echo(form), existing: null });
		// An empty number field keeps the number on record; removing it takes the checkbox.
		const nationalId = v.removeNationalId ? null : (v.nationalId ?? patient.nationalId);
		const result = editPatient(
			db,
			user,
			patient,
			{ code: v.code, displayName: v.displayName!, birthDate: v.birthDate, birthYear: v.birthYear, preferredLocale: v.preferredLocale as 'nb' | 'nn' | 'en' | null, nationalId },
			now,
			ctx.address
		);
		if (!result.ok) return fail(result.reason === 'duplicate' ? 409 : 400, { ok: false, ...registerRefusal(result), values: echo(form) });
		redirect(303, `/patients/${patient.id}`);
	}
};
