import type { Cookies } from '@sveltejs/kit';
import { cookieName, cookieMaxAge } from '$lib/paraglide/runtime';
import type { Locale } from './db/schema';

/** The language cookie Paraglide reads; not httpOnly because the page's own script may read it too. */
export function setLocaleCookie(cookies: Cookies, locale: Locale): void {
	cookies.set(cookieName, locale, { path: '/', sameSite: 'lax', httpOnly: false, maxAge: cookieMaxAge });
}
