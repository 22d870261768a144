import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { createGroup, groupTeams, loadGroupsPage } from '$lib/server/groups';
import { parseGroupForm } from '$lib/server/group-forms';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireUser(ctx);
	return loadGroupsPage(ctx, user);
};

export const actions: Actions = {
	create: async (event) => {
		const ctx = event.locals.ctx;
		const { user } = requireUser(ctx);
		const form = await event.request.formData();
		const parsed = parseGroupForm(
			form,
			groupTeams(ctx.db, user).map((t) => ({ id: t.id, clinicians: t.people.map((p) => p.id) }))
		);
		const name = String(form.get('name') ?? '').slice(0, 100);
		if (!parsed.ok) return fail(400, { message: parsed.message, field: parsed.field, name });
		const result = createGroup(ctx.db, user, parsed.value, ctx.now, ctx.address);
		if (!result.ok) return fail(409, { message: m.grp_name_taken(), field: 'name', name });
		redirect(303, `/groups/${result.id}`);
	}
};
