import { getLocale } from '$lib/paraglide/runtime';

const intlLocale = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' } as const;

type Locale = keyof typeof intlLocale;

/** Intl formatters are costly to build (a long table builds hundreds): one per locale, kept. */
function perLocale<T>(make: (locale: string) => T): () => T {
	const made = new Map<Locale, T>();
	return () => {
		const locale = getLocale() as Locale;
		let f = made.get(locale);
		if (f === undefined) {
			f = make(intlLocale[locale]);
			made.set(locale, f);
		}
		return f;
	};
}

const dateFormat = perLocale((l) => new Intl.DateTimeFormat(l, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Oslo' }));
const scoreFormat = perLocale((l) => new Intl.NumberFormat(l, { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
const timeFormat = perLocale((l) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Oslo' }));

/** A calendar date ('YYYY-MM-DD' or a Date) in the reader's language, e.g. "3. nov. 2026". */
export function formatDate(value: string | Date): string {
	const date = typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value;
	return dateFormat().format(date);
}

/** A total or item value with one decimal, with the reader's decimal sign. */
export function formatScore(value: number): string {
	return scoreFormat().format(value);
}

/** A time of day in Oslo, e.g. "14:05". */
export function formatTime(value: Date): string {
	return timeFormat().format(value);
}

const percentFormat = perLocale((l) => new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 0 }));
const decimalFormat = perLocale((l) => new Intl.NumberFormat(l, { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

/** A share 0–1 as a whole percentage in the reader's language, e.g. "35 %". */
export function formatShare(value: number): string {
	return percentFormat().format(value);
}

/** A figure with two decimals (an effect size), with the reader's decimal sign. */
export function formatDecimal(value: number): string {
	return decimalFormat().format(value);
}
