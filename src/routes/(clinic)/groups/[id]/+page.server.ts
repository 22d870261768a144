import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import type { SessionUser } from '$lib/server/auth/session';
import { bookGroupSeries, findGroupForUser, type GroupView, joinableEpisodes, joinGroup, leaveGroup, loadGroupPage } from '$lib/server/groups';
import { parseJoinForm, parseLeaveForm } from '$lib/server/group-forms';
import { bookableClinicians } from '$lib/server/booking';
import { bookingRefusal, parseBookingForm } from '$lib/server/booking-forms';
import { m } from '$lib/paraglide/messages';

const ID = /^[1-9][0-9]{0,9}$/;

/** The group of one of the user's teams; any other id answers 404, the refusal noted for the audit trail. */
function groupFor(ctx: App.Locals['ctx'], user: SessionUser, rawId: string): GroupView {
	const view = ID.test(rawId) ? findGroupForUser(ctx.db, user, Number(rawId), ctx.now) : null;
	if (view === null) {
		ctx.denials.push({ userId: user.id, patientId: null, detail: `group ${rawId.slice(0, 40)}` });
		error(404, 'Not found');
	}
	return view;
}

export const load: PageServerLoad = (event) => {
	const { user } = requireUser(event.locals.ctx);
	const ctx = event.locals.ctx;
	const view = groupFor(ctx, user, event.params.id);
	return loadGroupPage(ctx, user, view);
};

export const actions: Actions = {
	book: async (event) => {
		const { user } = requireUser(event.locals.ctx);
		const ctx = event.locals.ctx;
		const view = groupFor(ctx, user, event.params.id);
		const parsed = parseBookingForm(await event.request.formData(), { clinicians: bookableClinicians(ctx.db, view.group.teamId), plannedEnd: null });
		if (!parsed.ok) return fail(400, { action: 'book', message: parsed.message, field: parsed.field });
		const result = bookGroupSeries(ctx.db, user, view, parsed.value, ctx.now, ctx.address);
		if (!result.ok) return fail(400, { action: 'book', ...bookingRefusal(result) });
		redirect(303, `/groups/${view.group.id}?booked=${result.sessions}`);
	},
	join: async (event) => {
		const { user } = requireUser(event.locals.ctx);
		const ctx = event.locals.ctx;
		const view = groupFor(ctx, user, event.params.id);
		const joinable = joinableEpisodes(ctx.db, view.group.teamId);
		const parsed = parseJoinForm(
			await event.request.formData(),
			joinable.map((e) => e.episodeId)
		);
		if (!parsed.ok) return fail(400, { action: 'join', message: parsed.message, field: parsed.field });
		const patientId = joinable.find((e) => e.episodeId === parsed.value.episodeId)!.patientId;
		const result = joinGroup(ctx.db, user, view, { episodeId: parsed.value.episodeId, patientId }, parsed.value.fromDate, ctx.now, ctx.address);
		if (!result.ok)
			return fail(result.reason === 'already_member' ? 409 : 400, {
				action: 'join',
				field: result.reason === 'in_past' ? 'from' : 'episode',
				message: result.reason === 'in_past' ? m.bk_in_past() : m.grp_already_member()
			});
		return { action: 'join', saved: true };
	},
	leave: async (event) => {
		const { user } = requireUser(event.locals.ctx);
		const ctx = event.locals.ctx;
		const view = groupFor(ctx, user, event.params.id);
		const parsed = parseLeaveForm(
			await event.request.formData(),
			view.members.filter((x) => x.untilDate === null).map((x) => x.id)
		);
		if (!parsed.ok) return fail(400, { action: 'leave', message: parsed.message, field: parsed.field });
		const result = leaveGroup(ctx.db, user, view, parsed.value.memberId, parsed.value.untilDate, ctx.now, ctx.address);
		if (!result.ok) return fail(400, { action: 'leave', field: 'until', message: m.bk_in_past() });
		return { action: 'leave', saved: true };
	}
};
