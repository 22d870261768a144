/** The languages Stemme ships every built-in text in: bokmål, nynorsk, English. */
export const LANGUAGES = ['nb', 'nn', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A text per language code. Built-ins carry all of LANGUAGES; a pack names its own languages. */
export type Localized = Readonly<Record<string, string>>;

/** Languages tried, in order, when a text lacks the one asked for. */
const FALLBACK_ORDER: readonly string[] = ['nb', 'nn', 'en'];

/**
 * The text in `language`, else the first of nb, nn, en present, else any text, else ''.
 * @example textFor({ nb: 'Hei', en: 'Hi' }, 'nn') // 'Hei'
 */
export function textFor(text: Localized, language: string): string {
	const direct = text[language];
	if (direct !== undefined) return direct;
	for (const fallback of FALLBACK_ORDER) {
		const value = text[fallback];
		if (value !== undefined) return value;
	}
	return Object.values(text)[0] ?? '';
}

/** A text given per language, or once for every language (a pack's citation). */
export type TextOrLocalized = string | Localized;

/**
 * `textFor` for a text that may be one string for every language.
 * @example anyTextFor('Miller et al. 2003', 'nb') // 'Miller et al. 2003'
 */
export function anyTextFor(text: TextOrLocalized, language: string): string {
	return typeof text === 'string' ? text : textFor(text, language);
}
