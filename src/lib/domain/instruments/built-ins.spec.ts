import { describe, expect, it } from 'vitest';
import { ALLIANCE_CUTOFF, ALLIANCE_DROP, OUTCOME_CUTOFF_ADULT, OUTCOME_CUTOFF_CHILD, OUTCOME_CUTOFF_YOUTH, OUTCOME_RELIABLE_CHANGE } from '../clinical-constants';
import { validateInstrument } from '../instrument-schema';
import { LANGUAGES } from '../localized';
import { builtInInstruments } from './index';

const byId = Object.fromEntries(builtInInstruments.map((d) => [d.id, d]));

describe('built-in instruments', () => {
	it.each(builtInInstruments.map((d) => ({ id: d.id, def: d })))('$id is valid in nb, nn and en', ({ def }) => {
		expect(validateInstrument(def, `built-in ${def.id}`, LANGUAGES)).toMatchObject({ ok: true });
	});

	it.each([
		{ id: 'stemme-outcome-adult', kind: 'outcome', keys: ['self', 'close', 'daily', 'overall'], raters: ['patient', 'collateral'] },
		{ id: 'stemme-outcome-child', kind: 'outcome', keys: ['self', 'close', 'daily', 'overall'], raters: ['patient', 'collateral'] },
		{ id: 'stemme-alliance-adult', kind: 'alliance', keys: ['heard', 'goals', 'approach', 'overall'], raters: ['patient'] },
		{ id: 'stemme-alliance-child', kind: 'alliance', keys: ['heard', 'goals', 'approach', 'overall'], raters: ['patient'] },
		{ id: 'stemme-alliance-group', kind: 'alliance', keys: ['heard', 'goals', 'approach', 'overall'], raters: ['group-member'] }
	])('$id: version 1, $kind, items $keys', ({ id, kind, keys, raters }) => {
		const def = byId[id];
		expect(def).toMatchObject({ version: 1, kind, raters });
		expect(def?.items.map((i) => i.key)).toEqual(keys);
	});

	it.each([
		// docs/clinical/measures.md: adult 25 (Miller et al. 2003), 13–17 28, 6–12 32 (Duncan et al. 2006); reliable change 5
		{ id: 'stemme-outcome-adult', band: 'adult', min: 18, max: null, cutoff: OUTCOME_CUTOFF_ADULT, value: 25 },
		{ id: 'stemme-outcome-adult', band: 'youth', min: 13, max: 17, cutoff: OUTCOME_CUTOFF_YOUTH, value: 28 },
		{ id: 'stemme-outcome-child', band: 'child', min: 6, max: 12, cutoff: OUTCOME_CUTOFF_CHILD, value: 32 }
	])('$id $band: cutoff $value, rci 5', ({ id, band, min, max, cutoff, value }) => {
		const found = byId[id]?.ageBands.find((b) => b.key === band);
		expect(cutoff).toBe(value);
		expect(found).toMatchObject({ minAge: min, maxAge: max, thresholds: { cutoff: value, provisional: true } });
		expect(found?.thresholds.reliableChange?.rci).toBe(OUTCOME_RELIABLE_CHANGE);
	});

	it.each(['stemme-alliance-adult', 'stemme-alliance-child', 'stemme-alliance-group'])('%s: cutoff 36, drop 1 (OpenFIT)', (id) => {
		expect(byId[id]?.ageBands[0]?.thresholds).toMatchObject({ cutoff: ALLIANCE_CUTOFF, drop: ALLIANCE_DROP, provisional: true });
		expect([ALLIANCE_CUTOFF, ALLIANCE_DROP]).toEqual([36, 1]);
	});

	it('marks every threshold provisional with the borrowed-literature note in nb, nn and en', () => {
		for (const def of builtInInstruments) {
			for (const band of def.ageBands) {
				expect(band.thresholds.provisional).toBe(true);
				expect(band.thresholds.note?.en).toMatch(/borrowed from the ORS\/SRS literature; validate locally/);
				expect(band.thresholds.note?.nb).toMatch(/lånt fra ORS\/SRS-litteraturen; valider lokalt/);
				expect(band.thresholds.note?.nn).toMatch(/lånt frå ORS\/SRS-litteraturen; valider lokalt/);
			}
		}
	});

	it("uses Stemme's own names and wording, never the licensed names", () => {
		const licensedNames = /\b(ORS|SRS|CORS|CSRS|YCORS|GSRS|PCOMS|Outcome Rating Scale|Session Rating Scale)\b/i;
		for (const def of builtInInstruments) {
			const texts = JSON.stringify({ name: def.name, items: def.items, instructions: def.instructions, timeFrame: def.timeFrame });
			expect(texts).not.toMatch(licensedNames);
			expect(def.licence.holder).toBe('Stemme');
		}
	});

	it('the child alliance measure covers exactly 6–12, as the child outcome measure does', () => {
		// docs/clinical/measures.md: child versions for 6–12; the adult alliance measure starts at 13.
		expect(byId['stemme-alliance-child']?.ageBands.map((b) => [b.minAge, b.maxAge])).toEqual([[6, 12]]);
		expect(byId['stemme-outcome-child']?.ageBands.map((b) => [b.minAge, b.maxAge])).toEqual([[6, 12]]);
	});

	it("the child alliance wording is not the licensed child measure's (its item ends are not used)", () => {
		// The licensed child alliance measure's ends include "did not listen to me", "important to me",
		// "I liked what we did" and "something similar next time"; none may appear (docs/clinical/measures.md, Licensing).
		const text = JSON.stringify(byId['stemme-alliance-child']?.items).toLowerCase();
		for (const phrase of ['listen to me', 'important to me', 'liked what we did', 'similar next time', 'different next time']) {
			expect(text).not.toContain(phrase);
		}
	});

	it('names the sources of its thresholds in each language, without file names (docs/clinical/measures.md has the references)', () => {
		const english = /\b(convention|documentation|borrowed|secondary|reliable|points|literature|cutoff|alert)\b/i;
		for (const def of builtInInstruments) {
			for (const band of def.ageBands) {
				const sources = [band.thresholds.source, band.thresholds.reliableChange?.source].filter((s) => s !== undefined);
				for (const source of sources) {
					expect(typeof source, `${def.id} ${band.key}`).toBe('object');
					const texts = source as Record<string, string>;
					expect(Object.keys(texts).sort()).toEqual([...LANGUAGES].sort());
					for (const language of LANGUAGES) expect(texts[language]).not.toMatch(/\.(md|json)\b/);
					for (const language of ['nb', 'nn']) expect([def.id, language, texts[language]]).not.toEqual([def.id, language, expect.stringMatching(english)]);
				}
			}
		}
	});

	it.each(builtInInstruments.filter((d) => (d.raters as readonly string[]).includes('collateral')).map((d) => ({ id: d.id, def: d })))(
		'$id asks a relative about the patient: every item and the instructions in the third person, in nb, nn and en',
		({ def }) => {
			const firstPerson = { nb: /\b(jeg|meg|min|mine|mitt)\b/i, nn: /\b(eg|meg|min|mine|mitt)\b/i, en: /\b(I|me|my|mine)\b/ };
			const collateral = def.raterWording?.collateral;
			expect(collateral?.instructions).toBeDefined();
			for (const language of LANGUAGES) expect(collateral?.name[language]).not.toBe(def.name[language]);
			for (const item of def.items) {
				const label = collateral?.items[item.key];
				expect(label, item.key).toBeDefined();
				for (const language of LANGUAGES) {
					expect([item.key, language, label?.[language]]).not.toEqual([item.key, language, expect.stringMatching(firstPerson[language])]);
					expect(label?.[language]).not.toBe(item.label[language]);
				}
			}
		}
	);

	it('ids are unique', () => {
		expect(new Set(builtInInstruments.map((d) => `${d.id}@${d.version}`)).size).toBe(builtInInstruments.length);
	});
});
