import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireHandoff } from '$lib/server/auth/guards';
import { endHandoff, unlockWithPin } from '$lib/server/tablet/handoff';
import { invalidateSession } from '$lib/server/auth/session';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { signIn } from '$lib/server/auth/sign-in';
import { passwordField } from '$lib/server/auth/password-rules';
import { setLocaleCookie } from '$lib/server/locale';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	requireHandoff(event.locals.ctx);
	return {};
};

const PinForm = z.object({ pin: z.string().max(20) });
const SignInForm = z.object({ username: z.string().trim().min(1).max(100), password: passwordField });

/** Where the clinician lands after taking the tablet back: the appointment they handed over. */
function backTo(appointmentIds: number[]): string {
	return appointmentIds.length > 1 ? `/appointments/${appointmentIds[0]}?group=1` : `/appointments/${appointmentIds[0]}`;
}

export const actions: Actions = {
	pin: async (event) => {
		const ctx = event.locals.ctx;
		const { handoff } = requireHandoff(ctx);
		const parsed = PinForm.safeParse(Object.fromEntries(await event.request.formData()));
		const pin = parsed.success ? parsed.data.pin : '';
		const result = await unlockWithPin(ctx.db, handoff, pin, ctx.now, ctx.address);
		if (result.ok) redirect(303, backTo(handoff.appointmentIds));
		// Whoever holds the tablet is not told how many tries are left (the patient may be guessing).
		if (result.reason === 'wrong_pin') return fail(400, { message: m.unlock_wrong() });
		clearSessionCookie(event.cookies, event.url);
		redirect(303, '/login?locked=1');
	},
	signin: async (event) => {
		const ctx = event.locals.ctx;
		const { handoff } = requireHandoff(ctx);
		const parsed = SignInForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { signinMessage: m.login_wrong() });
		const { db, now } = ctx;
		const result = await signIn(db, { ...parsed.data, address: ctx.address, clinicNetworks: ctx.config.clinicNetworks, limits: ctx.config.session }, now);
		if (!result.ok) {
			const message = result.reason === 'throttled' ? m.login_throttled({ seconds: result.retryAfterSeconds }) : m.login_wrong();
			return fail(400, { signinMessage: message });
		}
		// A fresh sign-in replaces the session that was behind the tablet. The handoff is ended,
		// not deleted: answers still waiting on the tablet are sent from the staff pages next.
		endHandoff(db, handoff.id, now);
		if (handoff.sessionId !== null) invalidateSession(db, handoff.sessionId);
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		setLocaleCookie(event.cookies, result.user.preferredLocale);
		redirect(303, result.user.id === handoff.userId ? backTo(handoff.appointmentIds) : '/patients');
	}
};
