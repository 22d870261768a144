import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requirePatient, requireTogether } from '$lib/server/auth/guards';
import { loadPatientRecord } from '$lib/server/patients';
import { trajectoryView } from '$lib/server/trajectory';
import { recordAudit } from '$lib/server/audit';
import { locales } from '$lib/server/db/schema';
import { setTogetherLanguage } from '$lib/server/together-language';
import { lockTogether, unlockTogether } from '$lib/server/tablet/together-lock';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { currentGoals } from '$lib/server/milestones/plan';
import { togetherPath } from '$lib/together-locale';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

/**
 * "Look at it together": the current episode's trajectory, larger, in plain words, for the
 * clinician to turn toward the patient. Only this patient's own course; no staff notes, no risk
 * flags unless the clinician chooses to show the signals. The language is the patient's, chosen
 * here for this view only (together-locale.ts). Opened from the patient page (`start`), the
 * session is locked to this view until the clinician's PIN (tablet/together-lock.ts).
 */
export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { db, now, registry } = ctx;
	const { user, patient, locked } = requireTogether(ctx, event.params.id);
	const record = loadPatientRecord(db, registry, patient);
	const current = record.episodes[0];
	// The together view is a look at the record: its own line, the only one of this page view.
	recordAudit(db, { userId: user.id, action: 'viewed_together', patientId: patient.id, address: ctx.address }, now);
	return {
		patient: { id: patient.id, displayName: patient.displayName },
		locked,
		// The goals in the patient's own words, read-only.
		goals: current === undefined ? [] : currentGoals(db, current.id),
		trajectory: current === undefined ? null : trajectoryView(db, registry, current, patient.birthYear, now, getLocale(), ctx.config.risk.checkpoints)
	};
};

const LanguageForm = z.object({ locale: z.enum(locales) });
const BackForm = z.object({ pin: z.string().max(20).default('') });

export const actions: Actions = {
	// From the patient page: the screen is turned to the patient, in the language the patient reads.
	start: async (event) => {
		const ctx = event.locals.ctx;
		const access = requirePatient(ctx, event.params.id);
		const parsed = LanguageForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { message: m.field_invalid({ field: m.language() }) });
		if (lockTogether(ctx, access) === 'no_pin') return fail(409, { needsPin: true });
		setTogetherLanguage(event.cookies, event.url, access.patient.id, parsed.data.locale);
		redirect(303, togetherPath(access.patient.id));
	},
	language: async (event) => {
		const { patient } = requireTogether(event.locals.ctx, event.params.id);
		const parsed = LanguageForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { message: m.field_invalid({ field: m.language() }) });
		setTogetherLanguage(event.cookies, event.url, patient.id, parsed.data.locale);
		redirect(303, togetherPath(patient.id));
	},
	// Back to the record: with the clinician's PIN when the screen was turned to the patient.
	back: async (event) => {
		const ctx = event.locals.ctx;
		const access = requireTogether(ctx, event.params.id);
		if (!access.locked) redirect(303, `/patients/${access.patient.id}`);
		const parsed = BackForm.safeParse(Object.fromEntries(await event.request.formData()));
		const result = await unlockTogether(ctx, access, parsed.success ? parsed.data.pin : '');
		if (result.ok) redirect(303, `/patients/${access.patient.id}`);
		// As on the tablet, whoever holds the screen is not told how many tries are left.
		if (result.reason === 'wrong_pin') return fail(400, { pinMessage: m.together_pin_wrong() });
		clearSessionCookie(event.cookies, event.url);
		redirect(303, '/login?locked=1');
	}
};
