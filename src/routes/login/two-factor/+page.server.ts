import { error, fail, redirect, type ActionFailure } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireSecondFactorDue } from '$lib/server/auth/guards';
import { confirmEnrolment, passSecondFactor, useRecoveryCode } from '$lib/server/auth/two-factor';
import { enrolmentView } from '$lib/server/auth/enrolment-view';
import { readCode, readRecoveryCode, refuseCode, refuseField } from '$lib/server/auth/two-factor-forms';
import { doer } from '$lib/server/context';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { safeNext } from '$lib/server/safe-next';
import { m } from '$lib/paraglide/messages';

/**
 * The second step of signing in: a code from the app, or a recovery code; for an administrator
 * without an authenticator, setting one up. A session that owes its second factor reaches only
 * this page (hooks/context.ts); one that owes nothing is sent on to `next`.
 */
export const load: PageServerLoad = async ({ locals: { ctx }, url }) => {
	const next = url.searchParams.get('next') ?? '';
	const target = safeNext(next, url.origin);
	if (!target.ok) error(400, m.security_next_invalid());
	const { user, owed } = requireSecondFactorDue(ctx, target.path);
	const base = { next: next.slice(0, 500), displayName: user.displayName };
	if (owed === 'pending') return { ...base, mode: 'code' as const, enrolment: null };
	return { ...base, mode: 'enrol' as const, enrolment: await enrolmentView(user.username) };
};

/** The form's `next`, checked; a hand-made one is refused as on the sign-in page. */
async function formOf(event: RequestEvent): Promise<{ form: Record<string, FormDataEntryValue>; next: string | null }> {
	const form = Object.fromEntries(await event.request.formData());
	const raw = typeof form.next === 'string' ? form.next : '';
	const target = raw.length > 500 ? { ok: false as const } : safeNext(raw, event.url.origin);
	return { form, next: target.ok ? target.path : null };
}

export const actions: Actions = {
	code: async (event) => {
		const { ctx } = event.locals;
		const { user, session } = requireSecondFactorDue(ctx, '/today');
		const { form, next } = await formOf(event);
		if (next === null) error(400, m.security_next_invalid());
		const code = readCode(form, 'code');
		if (code === null) return refuseField('code', m.tf_code_format);
		const result = passSecondFactor(ctx.db, { doer: doer(ctx, user), sessionId: session.id }, code, ctx.now);
		if (!result.ok) return refuseCode(result, 'code');
		setSessionCookie(event.cookies, event.url, result.session.token, result.session.expiresAt);
		redirect(303, next);
	},
	recovery: async (event) => {
		const { ctx } = event.locals;
		const { user, session } = requireSecondFactorDue(ctx, '/today');
		const { form, next } = await formOf(event);
		if (next === null) error(400, m.security_next_invalid());
		const code = readRecoveryCode(form);
		if (code === null) return refuseField('recovery', m.tf_recovery_wrong);
		const result = useRecoveryCode(ctx.db, { doer: doer(ctx, user), sessionId: session.id }, code, ctx.now);
		if (!result.ok) return refuseCode(result, 'recovery');
		setSessionCookie(event.cookies, event.url, result.session.token, result.session.expiresAt);
		redirect(303, next);
	},
	enrol: async (event) => {
		const { ctx } = event.locals;
		const { user, session } = requireSecondFactorDue(ctx, '/today');
		const { form, next } = await formOf(event);
		if (next === null) error(400, m.security_next_invalid());
		const key = typeof form.key === 'string' ? form.key : '';
		// Refused, the page shows the same key again: the app has scanned it already.
		const again = async <T extends { field: string; message: string }>(refusal: ActionFailure<T>) => fail(refusal.status, { ...refusal.data, enrolment: await enrolmentView(user.username, key) });
		const code = readCode(form, 'code');
		if (code === null) return again(refuseField('code', m.tf_code_format));
		const result = confirmEnrolment(ctx.db, { doer: doer(ctx, user), sessionId: session.id }, key, code, ctx.now);
		if (!result.ok) {
			if (result.reason === 'bad_key') return again(refuseField('key', m.tf_bad_key));
			if (result.reason === 'already_enrolled') redirect(303, next);
			return again(refuseCode(result, 'code'));
		}
		setSessionCookie(event.cookies, event.url, result.session.token, result.session.expiresAt);
		// Shown once, on the page this request renders (its load still sees the session as it
		// was when the request came in); "Continue" goes on to `next`.
		return { recoveryCodes: result.recoveryCodes, continueTo: next };
	}
};
