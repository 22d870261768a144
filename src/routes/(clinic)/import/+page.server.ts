import type { PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guards';
import { loadImportPage } from '$lib/server/import/page';

export const load: PageServerLoad = (event) => {
	const ctx = event.locals.ctx;
	const { user } = requireRole(ctx, ['team_lead']);
	return loadImportPage(ctx, user);
};
