import { describe, expect, it } from 'vitest';
import { builtInInstruments, stemmeOutcomeAdult } from './instruments';
import { createRegistry, type PackContent } from './registry';
import { chooseInstrument, type InstrumentNeed } from './choose-instrument';

const created = createRegistry(builtInInstruments, []);
if (!created.ok) throw new Error(created.errors.join('\n'));
const registry = created.registry;

describe('chooseInstrument', () => {
	it.each<[string, InstrumentNeed, string | null]>([
		// Adult outcome covers 13+ (youth band 13–17 and adult band 18+, docs/clinical/measures.md).
		['an adult patient, outcome', { kind: 'outcome', rater: 'patient', age: 40 }, 'stemme-outcome-adult'],
		['an adolescent, outcome', { kind: 'outcome', rater: 'patient', age: 15 }, 'stemme-outcome-adult'],
		// The child measure is for 6–12 (Duncan et al. 2006).
		['a child, outcome', { kind: 'outcome', rater: 'patient', age: 9 }, 'stemme-outcome-child'],
		['a collateral rater about an adult', { kind: 'outcome', rater: 'collateral', age: 40 }, 'stemme-outcome-adult'],
		['an adult, alliance', { kind: 'alliance', rater: 'patient', age: 40 }, 'stemme-alliance-adult'],
		['a child, alliance (the open child measure, 6–12)', { kind: 'alliance', rater: 'patient', age: 9 }, 'stemme-alliance-child'],
		['a 13-year-old, alliance', { kind: 'alliance', rater: 'patient', age: 13 }, 'stemme-alliance-adult'],
		['a group member, alliance', { kind: 'alliance', rater: 'group-member', age: 40 }, 'stemme-alliance-group'],
		['a four-year-old, outcome: nothing fits', { kind: 'outcome', rater: 'patient', age: 4 }, null]
	])('%s', (_, need, expected) => {
		expect(chooseInstrument(registry, need)?.definition.id ?? null).toBe(expected);
	});

	it('puts a preferred id first when it fits', () => {
		const need: InstrumentNeed = { kind: 'outcome', rater: 'patient', age: 10, preferred: ['stemme-outcome-adult', 'stemme-outcome-child'] };
		// The adult measure does not cover age 10, so the child measure is chosen.
		expect(chooseInstrument(registry, need)?.definition.id).toBe('stemme-outcome-child');
	});

	it('prefers a built-in to a pack, a preferred pack to a built-in, and the highest version', () => {
		// A pack with the adult outcome measure under its own id, in versions 1 and 2.
		const copy = (version: number) => ({ ...structuredClone(stemmeOutcomeAdult), id: 'licensed-outcome', version });
		const pack: PackContent = {
			folder: 'licensed',
			manifest: { id: 'licensed', name: 'Licensed pack', licence: { holder: 'Example AS', note: { nb: 'Lisens.', en: 'Licence.' } }, languages: ['nb', 'nn', 'en'] },
			instruments: [
				{ file: 'v1.json', data: copy(1) },
				{ file: 'v2.json', data: copy(2) }
			],
			tables: []
		};
		const made = createRegistry(builtInInstruments, [pack]);
		if (!made.ok) throw new Error(made.errors.join('\n'));
		const adult = { kind: 'outcome', rater: 'patient', age: 40 } as const;
		expect(chooseInstrument(made.registry, adult)?.definition.id).toBe('stemme-outcome-adult');
		const chosen = chooseInstrument(made.registry, { ...adult, preferred: ['licensed-outcome'] });
		expect([chosen?.definition.id, chosen?.definition.version, chosen?.origin.kind]).toEqual(['licensed-outcome', 2, 'pack']);
	});

	it('with an unknown age, takes only an instrument with a single age band', () => {
		// The adult measure has two bands (youth 13–17, adult 18+): which cutoff applies is unknown.
		expect(chooseInstrument(registry, { kind: 'outcome', rater: 'patient', age: null })?.definition.id).toBe('stemme-outcome-child');
	});
});
