import type { LayoutServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';

export const load: LayoutServerLoad = (event) => {
	const { user } = requireUser(event.locals.ctx);
	return { user: { displayName: user.displayName, role: user.role } };
};
