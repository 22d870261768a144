import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePatient } from '$lib/server/auth/guards';
import { osloDate } from '$lib/server/appointments';
import { m } from '$lib/paraglide/messages';
import type { OutreachAttempt } from '$lib/server/db/schema';
import { closeOutreachTask, outreachFromParam, recordAttempt, attemptFields, closeTaskFields, readForm, attemptRefusal, outreachPageView } from '$lib/server/patient-pages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user, patient } = requirePatient(ctx, event.params.id);
	const { db } = ctx;
	return outreachPageView(ctx, user, patient, outreachFromParam(db, patient.id, event.params.taskId));
};

function echo(form: FormData, fields: object): Record<string, string> {
	return Object.fromEntries(Object.keys(fields).map((k) => [k, String(form.get(k) ?? '').slice(0, 1000)]));
}

export const actions: Actions = {
	attempt: async (event) => {
		const ctx = event.locals.ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		const { db, now } = ctx;
		const task = outreachFromParam(db, patient.id, event.params.taskId);
		const form = await event.request.formData();
		const parsed = readForm(form, attemptFields);
		if (!parsed.ok) return fail(400, { action: 'attempt', ...parsed, values: echo(form, attemptFields) });
		const v = parsed.value;
		const result = recordAttempt(
			db,
			user,
			patient.id,
			task,
			{ date: v.date!, channel: v.channel as OutreachAttempt['channel'], result: v.result as OutreachAttempt['result'], note: v.note ?? '' },
			osloDate(now),
			now,
			ctx.address
		);
		if (!result.ok) return fail(result.reason === 'closed' ? 409 : 400, { action: 'attempt', ok: false, ...attemptRefusal(result), values: echo(form, attemptFields) });
		redirect(303, `/patients/${patient.id}/outreach/${task.id}`);
	},

	close: async (event) => {
		const ctx = event.locals.ctx;
		const { user, patient } = requirePatient(ctx, event.params.id);
		const { db, now } = ctx;
		const task = outreachFromParam(db, patient.id, event.params.taskId);
		const form = await event.request.formData();
		const parsed = readForm(form, closeTaskFields);
		if (!parsed.ok) return fail(400, { action: 'close', ...parsed, values: echo(form, closeTaskFields) });
		const result = closeOutreachTask(db, user, patient.id, task, parsed.value.outcome as 'declined' | 'unreachable', now, ctx.address);
		if (!result.ok) return fail(409, { action: 'close', ok: false, field: 'outcome', message: m.pe_err_task_closed(), values: echo(form, closeTaskFields) });
		redirect(303, `/patients/${patient.id}/outreach/${task.id}`);
	}
};
