import type { TabletHandoff } from '../db/schema';

/**
 * The patient's language on the tablet: chosen on the tablet, independent of the clinician's,
 * kept on the handoff (so no cookie holds it) and forgotten when the tablet passes to the next
 * member of a group.
 */
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export function patientLanguage(handoff: Pick<TabletHandoff, 'language'>, available: readonly string[], fallback: string): string {
	const chosen = handoff.language;
	return chosen !== null && available.includes(chosen) ? chosen : available.includes(fallback) ? fallback : (available[0] ?? fallback);
}

/** Whether `language` may be kept: one of the languages the form is offered in. */
export function isOfferedLanguage(language: string, available: readonly string[]): boolean {
	return LANGUAGE.test(language) && available.includes(language);
}
