import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './session';

type CookieOptions = Parameters<Cookies['set']>[2];

/** httpOnly, SameSite=Lax, Secure whenever the app is served over HTTPS. */
export function sessionCookieOptions(url: URL, expires: Date | null): CookieOptions {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		...(expires === null ? {} : { expires })
	};
}

/**
 * The session cookie's name: over HTTPS with the `__Host-` prefix, which the browser accepts only
 * when Secure, for path / and without a Domain (so no other host of the domain can set or shadow
 * it). Plain HTTP (loopback, the tests) cannot carry the prefix.
 */
export function sessionCookieName(url: URL): string {
	return url.protocol === 'https:' ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

export function readSessionCookie(cookies: Cookies, url: URL): string | undefined {
	return cookies.get(sessionCookieName(url));
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expires: Date): void {
	cookies.set(sessionCookieName(url), token, sessionCookieOptions(url, expires));
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName(url), sessionCookieOptions(url, null));
}
