import type { Cookies } from '@sveltejs/kit';

/**
 * The patient's language on the tablet: chosen on the tablet, independent of the clinician's,
 * and forgotten when the tablet is handed to the next patient.
 */
export const PATIENT_LANGUAGE_COOKIE = 'stemme_patient_lang';
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export function patientLanguage(cookies: Cookies, available: readonly string[], fallback: string): string {
	const chosen = cookies.get(PATIENT_LANGUAGE_COOKIE);
	return chosen !== undefined && available.includes(chosen) ? chosen : available.includes(fallback) ? fallback : (available[0] ?? fallback);
}

/** Keeps the patient's choice when it is one of the languages the form is offered in. */
export function setPatientLanguage(cookies: Cookies, language: string, available: readonly string[]): boolean {
	if (!LANGUAGE.test(language) || !available.includes(language)) return false;
	cookies.set(PATIENT_LANGUAGE_COOKIE, language, { path: '/rate', httpOnly: true, sameSite: 'lax' });
	return true;
}

export function forgetPatientLanguage(cookies: Cookies): void {
	cookies.delete(PATIENT_LANGUAGE_COOKIE, { path: '/rate' });
}
