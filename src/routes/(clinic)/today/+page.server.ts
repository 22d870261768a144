import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireAppointment, requireUser } from '$lib/server/auth/guards';
import { loadDayPage, type DayScope } from '$lib/server/today';
import { changeAttendance } from '$lib/server/booking';
import { parseAttendanceForm } from '$lib/server/booking-forms';
import { single } from '$lib/server/risk/forms';
import { m } from '$lib/paraglide/messages';

/** The team's day is the team lead's view; anyone else asking for it sees their own. */
function scopeFor(role: string, url: URL): DayScope {
	return role === 'team_lead' && url.searchParams.get('scope') === 'team' ? 'team' : 'mine';
}

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	return loadDayPage(ctx, user, scopeFor(user.role, event.url));
};

export const actions: Actions = {
	/** Yesterday's attendance, one tap per appointment. */
	attendance: async (event) => {
		const ctx = event.locals.ctx;
		requireUser(ctx);
		const form = await event.request.formData();
		const raw = single(form, 'appointment');
		const { user, context } = requireAppointment(ctx, typeof raw === 'string' ? raw : '');
		const parsed = parseAttendanceForm(form, 'change', ['appointment']);
		if (!parsed.ok) return fail(400, { appointment: context.appointment.id, message: parsed.message, field: parsed.field });
		changeAttendance(ctx.db, { registry: ctx.registry, config: ctx.config.risk }, user, context, parsed.value, ctx.now, ctx.address);
		return { appointment: context.appointment.id, saved: m.today_saved() };
	}
};
