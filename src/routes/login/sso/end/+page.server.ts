import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireSsoConfigured } from '$lib/server/auth/guards';
import { isEndSessionUrl } from '$lib/server/auth/oidc';

/**
 * After signing out of a session opened by single sign-on: on to the provider's sign-out by a page
 * (a redirect would still belong to the sign-out form, which the policy's form-action 'self' keeps
 * on this site). Only the provider's own end-session address is followed; anything else goes to sign-in.
 */
export const load: PageServerLoad = async ({ locals: { ctx }, url }) => {
	const sso = requireSsoConfigured(ctx);
	const to = url.searchParams.get('to') ?? '';
	if (!(await isEndSessionUrl(sso, to))) redirect(303, '/login');
	return { to, provider: sso.name };
};
