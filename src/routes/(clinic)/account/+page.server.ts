import { fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { sessionCookieOptions } from '$lib/server/auth/cookie';
import { accountPage, changeOwnPassword, signOutEverywhere } from '$lib/server/account';
import { confirmEnrolment, removeOwnTotp, renewRecoveryCodes } from '$lib/server/auth/two-factor';
import { enrolmentView } from '$lib/server/auth/enrolment-view';
import { readCode, refuseCode, refuseField } from '$lib/server/auth/two-factor-forms';
import { exactFields } from '$lib/server/admin/user-form';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { doer } from '$lib/server/context';
import { passwordField, passwordProblemMessage, PASSWORD_FIELD_MAX, PASSWORD_MIN_LENGTH } from '$lib/server/auth/password-rules';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { fieldErrorMessage } from '$lib/server/form';
import { savePinForm } from '$lib/server/tablet/pin-form';

export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event.locals.ctx);
	return { ...(await accountPage(event.locals.ctx.db, user)), minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_FIELD_MAX };
};

/** The password form; the new password's own rules (length, common passwords) are checked by changeOwnPassword. */
const passwordForm = z.object({
	current: passwordField,
	next: passwordField,
	repeat: z.string().max(PASSWORD_FIELD_MAX)
});

async function password(event: RequestEvent) {
	const ctx = event.locals.ctx;
	const { user, session } = requireUser(ctx);
	const form = Object.fromEntries(await event.request.formData());
	const where = { action: 'password' };
	const parsed = passwordForm.safeParse(form);
	if (!parsed.success) {
		const labels = { current: m.account_password_current(), next: m.account_password_new(), repeat: m.account_password_repeat() };
		return fail(400, { ...where, message: fieldErrorMessage(parsed.error, labels, form) });
	}
	const { current, next, repeat } = parsed.data;
	if (next !== repeat) return fail(400, { ...where, message: m.account_password_mismatch({ field: m.account_password_repeat() }) });
	const result = await changeOwnPassword(ctx.db, user, session.id, { current, next }, ctx.address, ctx.now);
	if (!result.ok) {
		if (result.reason === 'throttled') return fail(429, { ...where, message: m.login_throttled({ seconds: result.retryAfterSeconds }) });
		const message = result.reason === 'wrong_current' ? m.account_password_wrong() : passwordProblemMessage(result.problem, m.account_password_new());
		return fail(400, { ...where, message });
	}
	return { ...where, saved: true };
}

async function pin(event: RequestEvent) {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	return savePinForm(ctx, user.id, await event.request.formData());
}

function everywhere(event: RequestEvent): never {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	signOutEverywhere(ctx.db, user, ctx.address, ctx.now);
	event.cookies.delete(SESSION_COOKIE, sessionCookieOptions(event.url, null));
	redirect(303, '/login');
}

type Form = Record<string, FormDataEntryValue>;

/** The form's fields, none but `allowed` (a stray one is named in the message). */
async function formOf(event: RequestEvent, allowed: string[]): Promise<{ ok: true; form: Form } | { ok: false; field: string; message: string }> {
	const data = await event.request.formData();
	const fields = exactFields(data, allowed, [], {});
	return fields.ok ? { ok: true, form: Object.fromEntries(data) } : fields;
}

/** Setting up an authenticator: the key the page showed and a first code; the recovery codes are shown once. */
async function enrol(event: RequestEvent) {
	const ctx = event.locals.ctx;
	const { user, session } = requireUser(ctx);
	const parsed = await formOf(event, ['key', 'code']);
	if (!parsed.ok) return fail(400, { action: 'enrol', field: parsed.field, message: parsed.message });
	const key = typeof parsed.form.key === 'string' ? parsed.form.key : '';
	// Refused, the page shows the same key again: the app has scanned it already.
	const again = async (refusal: ActionFailure<{ field: string; message: string }>) => fail(refusal.status, { action: 'enrol', ...refusal.data, enrolment: await enrolmentView(user.username, key) });
	const code = readCode(parsed.form, 'code');
	if (code === null) return again(refuseField('code', m.tf_code_format));
	const result = confirmEnrolment(ctx.db, { doer: doer(ctx, user), sessionId: session.id }, key, code, ctx.now);
	if (!result.ok) {
		if (result.reason === 'bad_key') return again(refuseField('key', m.tf_bad_key));
		if (result.reason === 'already_enrolled') return fail(409, { action: 'enrol', field: 'code', message: m.tf_already() });
		return again(refuseCode(result, 'code'));
	}
	setSessionCookie(event.cookies, event.url, result.session.token, result.session.expiresAt);
	return { action: 'enrol', recoveryCodes: result.recoveryCodes };
}

async function renew(event: RequestEvent) {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	const parsed = await formOf(event, []);
	if (!parsed.ok) return fail(400, { action: 'renew', field: parsed.field, message: parsed.message });
	const codes = renewRecoveryCodes(ctx.db, doer(ctx, user), ctx.now);
	if (codes === null) return fail(409, { action: 'renew', field: 'code', message: m.tf_account_off() });
	return { action: 'renew', recoveryCodes: codes };
}

/** Turning the second factor off takes a current code from the app; an administrator keeps it. */
async function remove(event: RequestEvent) {
	const ctx = event.locals.ctx;
	const { user, session } = requireUser(ctx);
	const parsed = await formOf(event, ['code']);
	if (!parsed.ok) return fail(400, { action: 'remove', field: parsed.field, message: parsed.message });
	const code = readCode(parsed.form, 'code');
	if (code === null) return fail(400, { action: 'remove', ...refuseField('code', m.tf_code_format).data });
	const result = removeOwnTotp(ctx.db, { doer: doer(ctx, user), sessionId: session.id }, code, ctx.now);
	if (!result.ok) {
		if (result.reason === 'wrong_code' || result.reason === 'throttled') {
			const refusal = refuseCode(result, 'code');
			return fail(refusal.status, { action: 'remove', ...refusal.data });
		}
		if (result.reason === 'admin') return fail(403, { action: 'remove', field: 'code', message: m.tf_account_admin_keeps() });
		return fail(409, { action: 'remove', field: 'code', message: m.tf_account_off() });
	}
	return { action: 'remove', done: m.tf_removed() };
}

export const actions: Actions = { password, pin, everywhere, enrol, renew, remove };
