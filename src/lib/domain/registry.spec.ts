import { describe, expect, it } from 'vitest';
import { builtInInstruments, stemmeOutcomeAdult } from './instruments';
import { textFor } from './localized';
import { type PackContent, createRegistry, getExpectedTable, getInstrument } from './registry';

const licence = { holder: 'Example Licensing AS', note: { nb: 'Lisensiert tekst.', en: 'Licensed text.' } };
const manifest = { id: 'sample', name: 'Sample pack', licence, languages: ['nb', 'en'] };

/** A pack instrument: the adult outcome renamed, in nb and en only, without its own licence. */
function packInstrument(id = 'sample-outcome', version = 1): Record<string, unknown> {
	const copy = structuredClone(stemmeOutcomeAdult) as Record<string, any>;
	const dropNn = (text: Record<string, string>): Record<string, string> => ({ nb: text.nb!, en: text.en! });
	copy.id = id;
	copy.version = version;
	copy.name = { nb: 'Prøveskala', en: 'Sample scale' };
	copy.timeFrame = dropNn(copy.timeFrame);
	copy.instructions = dropNn(copy.instructions);
	copy.items = copy.items.map((item: any) => ({
		key: item.key,
		label: dropNn(item.label),
		anchors: { low: dropNn(item.anchors.low), high: dropNn(item.anchors.high) }
	}));
	copy.ageBands = copy.ageBands.map((band: any) => ({
		...band,
		label: dropNn(band.label),
		thresholds: { ...band.thresholds, note: dropNn(band.thresholds.note) }
	}));
	delete copy.licence;
	return copy;
}

const table = {
	id: 'sample-expected',
	instrument: { id: 'sample-outcome', version: 1 },
	source: 'Example Licensing AS',
	sessions: [2, 3],
	rows: [{ intake: 10, expected: [12, 13], target: [14, 15], critical: [9, 9.5] }]
};

const pack = (over: Partial<PackContent> = {}): PackContent => ({
	folder: 'sample-folder',
	manifest,
	instruments: [{ file: 'instruments/outcome.json', data: packInstrument() }],
	tables: [{ file: 'tables/expected.json', data: table }],
	...over
});

describe('createRegistry', () => {
	it('registers the five built-ins', () => {
		const result = createRegistry(builtInInstruments, []);
		expect(result.ok && result.registry.instruments.map((i) => i.definition.id)).toEqual([
			'stemme-outcome-adult',
			'stemme-alliance-adult',
			'stemme-outcome-child',
			'stemme-alliance-child',
			'stemme-alliance-group'
		]);
	});

	it('adds a pack with its licence, languages and table', () => {
		const result = createRegistry(builtInInstruments, [pack()]);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const found = getInstrument(result.registry, 'sample-outcome');
		expect(found?.origin).toMatchObject({ kind: 'pack', file: 'instruments/outcome.json', pack: { id: 'sample', languages: ['nb', 'en'] } });
		// the instrument had no licence of its own: it carries the pack's
		expect(found?.definition.licence.holder).toBe('Example Licensing AS');
		expect(getExpectedTable(result.registry, 'sample-outcome', 1)?.id).toBe('sample-expected');
		expect(getExpectedTable(result.registry, 'sample-outcome', 2)).toBeNull();
		expect(result.registry.packs.map((p) => p.name)).toEqual(['Sample pack']);
	});

	it('defaults a pack without languages to nb, nn and en', () => {
		const result = createRegistry([], [pack({ manifest: { ...manifest, languages: undefined } })]);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors[0]).toBe('pack "sample" (instruments/outcome.json): name.nn is missing');
	});

	it.each([
		{
			name: 'a pack replacing a built-in id + version',
			packs: [pack({ instruments: [{ file: 'instruments/x.json', data: { ...packInstrument('stemme-outcome-adult') } }] })],
			errors: [
				'pack "sample" (instruments/x.json): id "stemme-outcome-adult" version 1 is already registered by a built-in instrument',
				'pack "sample" (tables/expected.json): instrument "sample-outcome" version 1 is not registered'
			]
		},
		{
			name: 'two packs with the same instrument',
			packs: [pack(), pack({ folder: 'other', manifest: { ...manifest, id: 'other' }, tables: [] })],
			errors: ['pack "other" (instruments/outcome.json): id "sample-outcome" version 1 is already registered by pack "sample"']
		},
		{
			name: 'two packs with the same id',
			packs: [pack(), pack({ folder: 'copy' })],
			errors: ['pack folder "copy" (pack.json): id "sample" is used by another pack']
		},
		{
			name: 'a broken manifest',
			packs: [pack({ manifest: { id: 'sample', licence: { holder: 'x' } } })],
			errors: ['pack folder "sample-folder" (pack.json): name is missing', 'pack folder "sample-folder" (pack.json): licence.note is missing']
		},
		{
			name: 'a broken table',
			packs: [pack({ tables: [{ file: 'tables/expected.json', data: { ...table, sessions: [3, 2] } }] })],
			errors: ['pack "sample" (tables/expected.json): sessions[1] must be greater than the one before']
		}
	])('refuses $name, listing every problem', ({ packs, errors }) => {
		expect(createRegistry(builtInInstruments, packs)).toEqual({ ok: false, errors });
	});

	it('refuses a broken built-in', () => {
		const bad = { ...stemmeOutcomeAdult, version: 0 };
		const result = createRegistry([bad], []);
		expect(result).toEqual({
			ok: false,
			errors: ['built-in instrument "stemme-outcome-adult": version: Too small: expected number to be >=1']
		});
	});
});

describe('getInstrument', () => {
	const result = createRegistry(builtInInstruments, [
		pack({
			instruments: [
				{ file: 'a.json', data: packInstrument('sample-outcome', 1) },
				{ file: 'b.json', data: packInstrument('sample-outcome', 2) }
			]
		})
	]);
	const registry = result.ok ? result.registry : { instruments: [], tables: [], packs: [] };
	it.each([
		{ id: 'sample-outcome', version: undefined, expected: 2 },
		{ id: 'sample-outcome', version: 1, expected: 1 },
		{ id: 'sample-outcome', version: 3, expected: null },
		{ id: 'stemme-alliance-group', version: undefined, expected: 1 },
		{ id: 'unknown', version: undefined, expected: null }
	])('$id @ $version → $expected', ({ id, version, expected }) => {
		expect(getInstrument(registry, id, version)?.definition.version ?? null).toBe(expected);
	});
});

describe('textFor', () => {
	it.each([
		{ text: { nb: 'Hei', nn: 'Hei du', en: 'Hi' } as Record<string, string>, language: 'nn', expected: 'Hei du' },
		{ text: { nb: 'Hei', en: 'Hi' }, language: 'nn', expected: 'Hei' },
		{ text: { en: 'Hi' }, language: 'nb', expected: 'Hi' },
		{ text: { se: 'Bures' }, language: 'nb', expected: 'Bures' },
		{ text: {}, language: 'nb', expected: '' }
	])('$language → $expected', ({ text, language, expected }) => {
		expect(textFor(text, language)).toBe(expected);
	});
});
