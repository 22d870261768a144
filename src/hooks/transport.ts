import type { Handle } from '@sveltejs/kit';

/** Two years, with subdomains: what hstspreload.org asks for, and OWASP ASVS 4.0 V14.4.5. */
const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Headers about how a response travels: HSTS when served over HTTPS (adapter-node learns that
 * from ORIGIN or PROTOCOL_HEADER; never over plain HTTP, where it would mean nothing and a
 * clinic's loopback test would pin the name), and a charset on every text response, HTML
 * included (SvelteKit sends HTML as bare `text/html`; the page's <meta charset> then decides).
 * Static files from build/client are served by adapter-node before any handle runs, so these
 * cannot reach them (see the README's security section).
 */
export const handleTransport: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.url.protocol === 'https:') response.headers.set('strict-transport-security', HSTS);
	const type = response.headers.get('content-type');
	if (type !== null && /^text\/[a-z]+\s*$/i.test(type)) response.headers.set('content-type', `${type.trim()}; charset=utf-8`);
	return response;
};
