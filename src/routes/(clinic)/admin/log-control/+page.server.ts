import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { loadLogControl, reviewFinding } from '$lib/server/admin/log-control';
import { parseReviewForm, periodFrom } from '$lib/server/admin/log-control-form';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const { ctx } = event.locals;
	const { user: admin } = requireRole(ctx, ['admin']);
	const { period, problem } = periodFrom(event.url.searchParams, ctx.now);
	return { problem, ...loadLogControl(ctx, admin, period) };
};

export const actions: Actions = {
	/** The admin marks one finding reviewed, with a note of what was found out. */
	review: async (event) => {
		const { ctx } = event.locals;
		const { user: admin } = requireRole(ctx, ['admin']);
		const parsed = parseReviewForm(await event.request.formData());
		if (!parsed.ok) return fail(400, { field: parsed.field, message: parsed.message });
		const result = reviewFinding(ctx, admin, parsed.value);
		if (!result.ok) return fail(404, { field: 'first', message: m.lc_review_not_found() });
		return { done: m.lc_review_done({ username: result.reader }) };
	}
};
