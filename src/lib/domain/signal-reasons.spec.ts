import { describe, expect, it } from 'vitest';
import { SIGNAL_RULES, reason, type SignalRule } from './signal-reasons';
import en from '../../../messages/en.json';
import nb from '../../../messages/nb.json';
import nn from '../../../messages/nn.json';
import domainEn from '../../../messages/domain/en.json';
import domainNb from '../../../messages/domain/nb.json';
import domainNn from '../../../messages/domain/nn.json';

// The catalogue is split by area (messages/<area>/); a reason may be worded in either file.
const catalogues: Record<string, Record<string, string>> = { en: { ...en, ...domainEn }, nb: { ...nb, ...domainNb }, nn: { ...nn, ...domainNn } };

/** The parameters a rule's English fallback reads. */
function paramsRead(rule: SignalRule): string[] {
	const read = new Set<string>();
	const params = new Proxy({}, { get: (_, key) => (read.add(String(key)), 1) });
	reason(rule, params);
	return [...read].sort();
}

const placeholders = (message: string): string[] => [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

describe('signal reasons', () => {
	it.each(SIGNAL_RULES.map((rule) => ({ rule })))('$rule has an English fallback', ({ rule }) => {
		const text = reason(rule, {
			session: 3,
			intake: 17,
			latest: 21,
			change: 4,
			rci: 5,
			drop: 1,
			checkpoint: 3,
			target: 22,
			critical: 15,
			expected: 20,
			total: 35,
			cutoff: 36,
			previous: 37,
			previousSession: 2,
			fall: 2
		}).text;
		expect(text).toMatch(/^[A-Z].*\.$/);
		expect(text).not.toContain('?');
	});

	it('shows ? for a missing parameter and rounds to one decimal', () => {
		// 35.04 → 35; cutoff not given → ?
		expect(reason('alliance-below-cutoff', { total: 35.04 }).text).toBe('Alliance 35 is below the cutoff ?.');
	});

	it.each(SIGNAL_RULES.flatMap((rule) => ['nb', 'nn', 'en'].map((language) => ({ rule, language }))))('$rule is worded in $language with the same numbers as the fallback', ({ rule, language }) => {
		const message = catalogues[language]![`reason_${rule.replaceAll('-', '_')}`];
		expect(message, `messages/${language}.json lacks reason_${rule.replaceAll('-', '_')}`).toBeTypeOf('string');
		expect(placeholders(message!)).toEqual(paramsRead(rule));
	});
});
