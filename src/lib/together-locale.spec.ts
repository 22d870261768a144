import { describe, expect, it } from 'vitest';
import { inTogetherView, togetherLocale } from './together-locale';

describe('togetherLocale', () => {
	it.each([
		['the choice, in the together view', 'stemme_together_lang=en; PARAGLIDE_LOCALE=nb', '/patients/3/together', 'en'],
		['the choice, in its data request', 'PARAGLIDE_LOCALE=nb; stemme_together_lang=nn', '/patients/3/together/__data.json', 'nn'],
		['nothing on a staff page, whatever the cookie says', 'stemme_together_lang=en', '/patients/3', undefined],
		['nothing on a path that only starts alike', 'stemme_together_lang=en', '/patients/3/togetherness', undefined],
		['nothing without the cookie', 'PARAGLIDE_LOCALE=en', '/patients/3/together', undefined],
		['nothing for a language Stemme does not have', 'stemme_together_lang=xx', '/patients/3/together', undefined],
		['nothing without a cookie header', null, '/patients/3/together', undefined]
	])('gives %s', (_, cookie, path, expected) => {
		expect(togetherLocale(cookie, path)).toBe(expected);
	});

	it('knows the together view by its path', () => {
		expect([inTogetherView('/patients/12/together'), inTogetherView('/patients/x/together'), inTogetherView('/together')]).toEqual([true, false, false]);
	});
});
