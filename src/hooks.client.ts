import { getLocale, overwriteGetLocale, type Locale } from '$lib/paraglide/runtime';
import { inTogetherView, togetherLocale } from '$lib/together-locale';

// In "look at it together" the page speaks the patient's language (see together-locale.ts).
// Paraglide's own getLocale would also write what it finds into the clinician's language cookie,
// so the together choice is answered here, before it, and never reaches that cookie.
// Every message asks, so document.cookie is read only in the together view, once per path (the
// choice changes only by a whole page load).
const cliniciansLocale = getLocale;
let read: { path: string; locale: Locale | undefined } | null = null;
overwriteGetLocale(() => {
	const path = location.pathname;
	if (!inTogetherView(path)) return cliniciansLocale();
	if (read?.path !== path) read = { path, locale: togetherLocale(document.cookie, path) };
	return read.locale ?? cliniciansLocale();
});
