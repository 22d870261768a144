import type { Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { defineCustomServerStrategy } from '$lib/paraglide/runtime';
import { TOGETHER_STRATEGY, togetherLocale } from '$lib/together-locale';
import { JSON_ENDPOINTS, isFhirPath } from './paths';

// The patient's language in the together view, for that view only (together-locale.ts).
defineCustomServerStrategy(TOGETHER_STRATEGY, { getLocale: (request) => (request === undefined ? undefined : togetherLocale(request.headers.get('cookie'), new URL(request.url).pathname)) });

export const handleLocale: Handle = ({ event, resolve }) => {
	if (JSON_ENDPOINTS.has(event.url.pathname) || isFhirPath(event.url.pathname)) return resolve(event);
	return paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});
};
