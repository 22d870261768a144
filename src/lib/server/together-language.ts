import type { Cookies } from '@sveltejs/kit';
import { TOGETHER_LANGUAGE_COOKIE, togetherPath } from '$lib/together-locale';
import type { Locale } from '$lib/paraglide/runtime';

/**
 * Keeps the patient's language for this patient's together view only: scoped to its path, and
 * gone when the browser closes. Readable by the page's script (it is only a language), so the
 * page hydrates in it; the clinician's language and users.preferred_locale stay as they are.
 */
export function setTogetherLanguage(cookies: Cookies, url: URL, patientId: number, locale: Locale): void {
	cookies.set(TOGETHER_LANGUAGE_COOKIE, locale, { path: togetherPath(patientId), httpOnly: false, sameSite: 'lax', secure: url.protocol === 'https:' });
}
