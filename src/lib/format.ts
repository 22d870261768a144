import { getLocale } from '$lib/paraglide/runtime';

const intlLocale = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' } as const;

/** A calendar date ('YYYY-MM-DD' or a Date) in the reader's language, e.g. "3. nov. 2026". */
export function formatDate(value: string | Date): string {
	const date = typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value;
	return new Intl.DateTimeFormat(intlLocale[getLocale()], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Oslo' }).format(date);
}

/** A total or item value with one decimal, with the reader's decimal sign. */
export function formatScore(value: number): string {
	return new Intl.NumberFormat(intlLocale[getLocale()], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/** A time of day in Oslo, e.g. "14:05". */
export function formatTime(value: Date): string {
	return new Intl.DateTimeFormat(intlLocale[getLocale()], { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Oslo' }).format(value);
}
