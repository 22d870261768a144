import type { Handle } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isFhirPath } from './paths';

/** Methods that change nothing: no origin is needed to ask for a page. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every request that may change something must come from this site's own pages. SvelteKit's
 * own check (csrf.checkOrigin) looks only at form content types, so a POST without a
 * Content-Type, or with a JSON one, passed it: a same-site page elsewhere could write audit
 * rows. Browsers send Origin with every non-GET request, same-origin ones included (Fetch
 * standard, "append a request Origin header"), so a missing one is refused as well.
 * The FHIR API is the exception: it reads no cookie, only a bearer token a page elsewhere cannot
 * send on the user's behalf, so another system's request (with no Origin) is its normal case.
 */
export const handleOrigin: Handle = ({ event, resolve }) => {
	if (SAFE_METHODS.has(event.request.method) || isFhirPath(event.url.pathname)) return resolve(event);
	const origin = event.request.headers.get('origin');
	if (origin === event.url.origin) return resolve(event);
	return crossSite(event.request);
};

function crossSite(request: Request): Response {
	const wantsJson = /json/i.test(request.headers.get('accept') ?? '') || /json/i.test(request.headers.get('content-type') ?? '');
	if (wantsJson) return Response.json({ ok: false, reason: 'cross_site' }, { status: 403 });
	return new Response(m.security_cross_site(), { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
