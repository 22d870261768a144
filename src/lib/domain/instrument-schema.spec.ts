import { describe, expect, it } from 'vitest';
import { validateInstrument } from './instrument-schema';
import { stemmeAllianceAdult, stemmeOutcomeAdult } from './instruments';

const SOURCE = 'pack "kor-nb" (instruments/ors.json)';

/** A deep copy of a valid definition, changed by `edit`; without the relatives' wording, which its own cases test. */
function broken(edit: (def: Record<string, any>) => void, base: object = stemmeOutcomeAdult): unknown {
	const copy = structuredClone(base) as Record<string, any>;
	delete copy.raterWording;
	edit(copy);
	return copy;
}

describe('validateInstrument', () => {
	it('accepts the built-in definitions', () => {
		expect(validateInstrument(stemmeOutcomeAdult, 'built-in').ok).toBe(true);
		expect(validateInstrument(stemmeAllianceAdult, 'built-in').ok).toBe(true);
	});

	it('accepts a pack in nb and en only when the pack names those languages', () => {
		const nbEn = broken((d) => {
			for (const item of d.items) delete item.label.nn;
		});
		expect(validateInstrument(nbEn, SOURCE, ['nb', 'en']).ok).toBe(true);
		expect(validateInstrument(nbEn, SOURCE).ok).toBe(false);
	});

	it.each([
		{ edit: (d: any) => delete d.items[2].label.nb, error: `${SOURCE}: items[2].label.nb is missing` },
		{ edit: (d: any) => delete d.id, error: `${SOURCE}: id is missing` },
		{ edit: (d: any) => (d.items[0].label.en = ''), error: `${SOURCE}: items[0].label.en: Too small: expected string to have >=1 characters` },
		{ edit: (d: any) => (d.kind = 'mood'), error: `${SOURCE}: kind: Invalid option: expected one of "outcome"|"alliance"` },
		{ edit: (d: any) => (d.version = 1.5), error: `${SOURCE}: version: Invalid input: expected int, received number` },
		{ edit: (d: any) => (d.id = 'Has Spaces'), error: `${SOURCE}: id: Invalid string: must match pattern /^[a-z][a-z0-9-]*$/` },
		{ edit: (d: any) => (d.itemRange.max = 100), error: `${SOURCE}: itemRange.max: Invalid input: expected 10` },
		{ edit: (d: any) => (d.colour = 'red'), error: `${SOURCE}: the top level has unknown field(s) "colour"` },
		{ edit: (d: any) => (d.items[1].anchors = { low: d.items[1].anchors.low, high: { nb: 'Bra', en: 'Good' } }), error: `${SOURCE}: items[1].anchors.high.nn is missing` },
		{ edit: (d: any) => (d.raters = []), error: `${SOURCE}: raters: Too small: expected array to have >=1 items` },
		// cross-field rules, checked once the shape is right
		{ edit: (d: any) => (d.items[3].key = 'self'), error: `${SOURCE}: items[3].key repeats items[0].key "self"` },
		// 4 items × 10 = 40
		{ edit: (d: any) => (d.totalRange.max = 50), error: `${SOURCE}: totalRange.max must be 40 (4 items × 10)` },
		{ edit: (d: any) => (d.totalRange.min = 1), error: `${SOURCE}: totalRange.min must be 0` },
		// 3 items: the total range must become 0–30
		{ edit: (d: any) => d.items.pop(), error: `${SOURCE}: totalRange.max must be 30 (3 items × 10)` },
		{ edit: (d: any) => (d.ageBands[1].maxAge = 12), error: `${SOURCE}: ageBands[1].maxAge must not be below minAge (13)` },
		// youth 13–18 overlaps adult 18+
		{ edit: (d: any) => (d.ageBands[1].maxAge = 18), error: `${SOURCE}: ageBands[1] overlaps ageBands[0] ("adult")` },
		{ edit: (d: any) => (d.ageBands[1].key = 'adult'), error: `${SOURCE}: ageBands[1].key repeats ageBands[0].key "adult"` },
		{ edit: (d: any) => (d.ageBands[0].thresholds.cutoff = 41), error: `${SOURCE}: ageBands[0].thresholds.cutoff must not exceed totalRange.max (40)` },
		{
			edit: (d: any) => delete d.ageBands[0].thresholds.reliableChange,
			error: `${SOURCE}: ageBands[0].thresholds.reliableChange is missing (an outcome instrument needs it)`
		},
		{
			edit: (d: any) => delete d.ageBands[0].thresholds.note,
			error: `${SOURCE}: ageBands[0].thresholds.note is missing (provisional thresholds need a note)`
		},
		// reliable change: rci alone, or sd with reliability; nothing given, half a pair, or a mix is refused
		...[
			{ given: { rci: 5, sd: 7, reliability: 0.8 }, error: 'reliableChange must give either rci, or sd and reliability, not both (it has rci, sd and reliability)' },
			{ given: { rci: 5, sd: 7 }, error: 'reliableChange must give either rci, or sd and reliability, not both (it has rci and sd)' },
			{ given: { rci: 5, reliability: 0.8 }, error: 'reliableChange must give either rci, or sd and reliability, not both (it has rci and reliability)' },
			{ given: { sd: 7 }, error: 'reliableChange.reliability is missing (sd and reliability go together)' },
			{ given: { reliability: 0.8 }, error: 'reliableChange.sd is missing (sd and reliability go together)' },
			{ given: {}, error: 'reliableChange must give either rci, or both sd and reliability' }
		].map(({ given, error }) => ({
			edit: (d: any) => (d.ageBands[0].thresholds.reliableChange = { ...given, source: 'x' }),
			error: `${SOURCE}: ageBands[0].thresholds.${error}`
		}))
	])('$error', ({ edit, error }) => {
		expect(validateInstrument(broken(edit), SOURCE)).toEqual({ ok: false, errors: [error] });
	});

	it('requires a drop for an alliance instrument', () => {
		const result = validateInstrument(
			broken((d) => delete d.ageBands[0].thresholds.drop, stemmeAllianceAdult),
			SOURCE
		);
		expect(result).toEqual({
			ok: false,
			errors: [`${SOURCE}: ageBands[0].thresholds.drop is missing (an alliance instrument needs it)`]
		});
	});

	it('accepts reliable change as sd + reliability', () => {
		const def = broken((d) => (d.ageBands[0].thresholds.reliableChange = { sd: 7.2, reliability: 0.94, source: 'local' }));
		expect(validateInstrument(def, SOURCE).ok).toBe(true);
	});

	it('lists every problem, not only the first', () => {
		const def = broken((d) => {
			delete d.items[0].label.nb;
			delete d.items[1].label.en;
			d.kind = 'x';
		});
		const result = validateInstrument(def, SOURCE);
		expect(result.ok === false && result.errors.length).toBe(3);
	});

	it('refuses something that is not an object', () => {
		expect(validateInstrument(null, SOURCE)).toEqual({
			ok: false,
			errors: [`${SOURCE}: the top level: Invalid input: expected object, received null`]
		});
	});

	it.each([
		{
			name: 'a rater the instrument is not offered to',
			edit: (d: Record<string, any>) => (d.raters = ['patient']),
			error: 'raterWording.collateral is for a rater the instrument is not offered to'
		},
		{ name: 'an item left out', edit: (d: Record<string, any>) => delete d.raterWording.collateral.items.daily, error: 'raterWording.collateral.items.daily is missing' },
		{
			name: 'an item the instrument does not have',
			edit: (d: Record<string, any>) => (d.raterWording.collateral.items.sleep = { nb: 'x', nn: 'x', en: 'x' }),
			error: 'raterWording.collateral.items.sleep is not an item of the instrument'
		}
	])("refuses a relative's wording with $name, naming the field", ({ edit, error }) => {
		const copy = structuredClone(stemmeOutcomeAdult) as Record<string, any>;
		edit(copy);
		expect(validateInstrument(copy, SOURCE)).toEqual({ ok: false, errors: [`${SOURCE}: ${error}`] });
	});
});
