/**
 * The patient's language in "look at it together": chosen in that view, for that view only.
 * A cookie scoped to the view's own path, so the browser sends it (and the page's script sees it)
 * nowhere else; the clinician's language cookie and preferred language are never touched.
 * Read on the server by a Paraglide custom strategy (hooks.server.ts) and in the browser by
 * hooks.client.ts, so the page hydrates in the language it was rendered in.
 */
import { locales, type Locale } from '$lib/paraglide/runtime';

export const TOGETHER_LANGUAGE_COOKIE = 'stemme_together_lang';
/** The Paraglide strategy name (vite.config.ts and the i18n script list it first). */
export const TOGETHER_STRATEGY = 'custom-together';
const TOGETHER_PATH = /^\/patients\/(\d+)\/together(\/|$)/;

/** The together view's path for a patient: the cookie's scope. */
export function togetherPath(patientId: number): string {
	return `/patients/${patientId}/together`;
}

/** Whether a path is (in) a patient's together view. */
export function inTogetherView(pathname: string): boolean {
	return TOGETHER_PATH.test(pathname);
}

/**
 * The language chosen in the together view, when `pathname` is in one and the cookie header
 * (a request's, or document.cookie) carries a language Stemme has; else undefined.
 * @example togetherLocale('stemme_together_lang=en; PARAGLIDE_LOCALE=nb', '/patients/3/together') // 'en'
 */
export function togetherLocale(cookieHeader: string | null, pathname: string): Locale | undefined {
	if (cookieHeader === null || !inTogetherView(pathname)) return undefined;
	const prefix = `${TOGETHER_LANGUAGE_COOKIE}=`;
	const value = cookieHeader
		.split(';')
		.map((c) => c.trim())
		.find((c) => c.startsWith(prefix))
		?.slice(prefix.length);
	return (locales as readonly string[]).includes(value ?? '') ? (value as Locale) : undefined;
}
