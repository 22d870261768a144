import { TWO_FACTOR_PATH } from '$lib/server/auth/guards';
import { togetherPath } from '$lib/together-locale';

/** The tablet's rating submission, the one request that may wait its turn behind staff pages. */
export const RATING_PATH = '/rate/submit';

/**
 * Endpoints that answer JSON and show no text: the locale middleware (which copies every request
 * it sees, body included) is skipped for them. The tablet's rating is one of them.
 */
export const JSON_ENDPOINTS = new Set([RATING_PATH, '/health', '/load-ceiling']);

/**
 * What a session that owes its second factor may reach: the two-factor page, signing out, the
 * language and /health (static files are served before the hooks).
 */
export function isSecondFactorPath(path: string): boolean {
	return path === TWO_FACTOR_PATH || path === '/logout' || path === '/locale' || path === '/health';
}

/** What a session in patient mode may reach: the rating form, its unlock page and submission, and /health. */
export function isTabletPath(path: string): boolean {
	return path === '/rate' || path.startsWith('/rate/') || path === '/health';
}

/** What a session locked to a patient's together view may reach: that view (and its actions), and /health. */
export function isTogetherPath(path: string, patientId: number): boolean {
	const view = togetherPath(patientId);
	return path === view || path.startsWith(`${view}/`) || path === '/health';
}

/** The token of a rating link's page (`/r/<token>` and below it), or null for any other path. */
export function linkToken(path: string): string | null {
	const match = /^\/r\/([^/]+)(?:\/|$)/.exec(path);
	return match === null ? null : match[1]!;
}

/** The FHIR API: its actor is an API client from the Authorization header, never a cookie. */
export function isFhirPath(path: string): boolean {
	return path === '/fhir' || path.startsWith('/fhir/');
}
