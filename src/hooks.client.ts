import { getLocale, overwriteGetLocale } from '$lib/paraglide/runtime';
import { togetherLocale } from '$lib/together-locale';

// In "look at it together" the page speaks the patient's language (see together-locale.ts).
// Paraglide's own getLocale would also write what it finds into the clinician's language cookie,
// so the together choice is answered here, before it, and never reaches that cookie.
const cliniciansLocale = getLocale;
overwriteGetLocale(() => togetherLocale(document.cookie, location.pathname) ?? cliniciansLocale());
