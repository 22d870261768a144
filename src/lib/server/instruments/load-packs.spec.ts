import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { expectedScore } from '../../domain/expected-score';
import { builtInInstruments } from '../../domain/instruments';
import { getExpectedTable, getInstrument } from '../../domain/registry';
import { scoreRating } from '../../domain/scoring';
import { thresholdsFor } from '../../domain/thresholds-for';
import { InstrumentPackError, PACKS_ENV, getRegistry, loadInstrumentPacks, packDirsFromEnv, resetRegistry } from './index';

const fixtures = fileURLToPath(new URL('../../../../tests/fixtures/packs', import.meta.url));
const sample = join(fixtures, 'sample-licensed');
const broken = join(fixtures, 'broken');
const scratch = mkdtempSync(join(tmpdir(), 'stemme-packs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Refusal problems of a load that must throw. */
function problemsOf(load: () => unknown): readonly string[] {
	try {
		load();
	} catch (error) {
		if (error instanceof InstrumentPackError) return error.problems;
		throw error;
	}
	throw new Error('expected the load to be refused');
}

describe('loadInstrumentPacks — the sample licensed pack', () => {
	const registry = loadInstrumentPacks(sample);

	it('adds its two instruments to the built-ins, with the licence note', () => {
		expect(registry.instruments).toHaveLength(builtInInstruments.length + 2);
		const outcome = getInstrument(registry, 'sample-licensed-outcome');
		expect(outcome?.origin).toMatchObject({
			kind: 'pack',
			file: 'instruments/sample-outcome.json',
			pack: { id: 'sample-licensed', name: 'Sample Licensed Pack (test fixture)', languages: ['nb', 'en'] }
		});
		// no licence of its own → the pack's; the alliance file carries its own
		expect(outcome?.definition.licence.holder).toBe('Example Licensing Ltd (fictional)');
		expect(getInstrument(registry, 'sample-licensed-alliance')?.definition.licence.holder).toBe('Another Fictional Holder');
		expect(registry.packs[0]?.licence.note.en).toBe('Fictional licence, for tests only. No real wording.');
	});

	it('scores and thresholds a pack instrument like a built-in', () => {
		const alliance = getInstrument(registry, 'sample-licensed-alliance')!.definition;
		// three lines, 0–30: 9.1 + 8 + 9.9 = 27
		expect(scoreRating(alliance, { alpha: 9.1, beta: 8, gamma: 9.9 })).toMatchObject({ ok: true, total: 27 });
		const outcome = getInstrument(registry, 'sample-licensed-outcome')!.definition;
		// rci from sd 7, r 0.9: 1.96 × √2 × 7 × √0.1 = 6.1357
		const resolved = thresholdsFor(outcome, null);
		expect(resolved.ok && resolved.thresholds.rci).toBeCloseTo(6.1357, 3);
	});

	it('loads its expected-response table for expectedScore', () => {
		const table = getExpectedTable(registry, 'sample-licensed-outcome', 1);
		expect(table).not.toBeNull();
		// intake 15, session 3: halfway between rows 10 and 20 → target (16 + 25) / 2 = 20.5
		expect(table === null ? null : expectedScore(table, 15, 3)).toMatchObject({ ok: true, source: 'table', target: 20.5 });
	});

	it('accepts a folder of pack folders', () => {
		const parent = join(scratch, 'parent');
		cpSync(sample, join(parent, 'sample-licensed'), { recursive: true });
		mkdirSync(join(parent, '.hidden'));
		expect(loadInstrumentPacks([parent]).packs.map((p) => p.id)).toEqual(['sample-licensed']);
	});
});

describe('loadInstrumentPacks — refusals (all or nothing)', () => {
	it('refuses the broken pack, listing every problem with file and field', () => {
		const problems = problemsOf(() => loadInstrumentPacks(broken));
		expect(problems[0]).toMatch(/^pack folder "broken" \(instruments\/c-not-json\.json\): not valid JSON: /);
		expect(problems.slice(1)).toEqual([
			'pack "broken" (instruments/b-bad-fields.json): kind: Invalid option: expected one of "outcome"|"alliance"',
			'pack "broken" (instruments/b-bad-fields.json): items[2].label.nb is missing',
			'pack "broken" (tables/unknown-instrument.json): instrument "no-such-instrument" version 1 is not registered'
		]);
	});

	it('refuses everything when one of two packs is broken', () => {
		const problems = problemsOf(() => loadInstrumentPacks([sample, broken]));
		expect(problems.length).toBeGreaterThan(0);
		expect(problems.every((p) => p.includes('"broken"'))).toBe(true);
	});

	it.each([
		{ name: 'a missing folder', setup: () => join(scratch, 'nowhere'), problem: /does not exist or is not a folder$/ },
		{
			name: 'a sub-folder without pack.json',
			setup: () => {
				const dir = join(scratch, 'no-manifest');
				mkdirSync(join(dir, 'stray'), { recursive: true });
				return dir;
			},
			problem: /^pack folder "stray": pack\.json is missing$/
		},
		{
			name: 'a pack with no instruments',
			setup: () => {
				const dir = join(scratch, 'empty-pack');
				mkdirSync(dir, { recursive: true });
				cpSync(join(sample, 'pack.json'), join(dir, 'pack.json'));
				return dir;
			},
			problem: /^pack folder "empty-pack": instruments\/ holds no \.json instrument file$/
		},
		{
			name: 'a pack replacing a built-in',
			setup: () => {
				const dir = join(scratch, 'replacing');
				cpSync(sample, dir, { recursive: true });
				const def = { ...JSON.parse(JSON.stringify(getInstrument(loadInstrumentPacks(sample), 'sample-licensed-alliance')!.definition)), id: 'stemme-alliance-adult' };
				writeFileSync(join(dir, 'instruments', 'sample-alliance.json'), JSON.stringify(def));
				return dir;
			},
			problem: /already registered by a built-in instrument$/
		}
	])('refuses $name', ({ setup, problem }) => {
		const problems = problemsOf(() => loadInstrumentPacks(setup()));
		expect(problems.some((p) => problem.test(p))).toBe(true);
	});

	it('names every problem in the error message', () => {
		expect(() => loadInstrumentPacks(broken)).toThrow(/Instrument packs refused; nothing was loaded:\n- /);
	});
});

describe('getRegistry (STEMME_INSTRUMENT_PACKS, lazy, cached)', () => {
	const before = process.env[PACKS_ENV];
	afterEach(() => {
		if (before === undefined) delete process.env[PACKS_ENV];
		else process.env[PACKS_ENV] = before;
		resetRegistry();
	});

	it('has only the built-ins when the variable is unset', () => {
		delete process.env[PACKS_ENV];
		expect(getRegistry().instruments.map((i) => i.definition.id)).toEqual(builtInInstruments.map((i) => i.id));
	});

	it('loads the named packs once and caches them', () => {
		process.env[PACKS_ENV] = sample;
		const first = getRegistry();
		process.env[PACKS_ENV] = broken;
		expect(getRegistry()).toBe(first);
		expect(first.packs.map((p) => p.id)).toEqual(['sample-licensed']);
	});

	it('throws for a broken pack and caches nothing', () => {
		process.env[PACKS_ENV] = broken;
		expect(() => getRegistry()).toThrow(InstrumentPackError);
		expect(() => getRegistry()).toThrow(InstrumentPackError);
		// The environment is read once (config.ts); reading it again is a restart's business.
		process.env[PACKS_ENV] = '';
		resetRegistry();
		expect(getRegistry().instruments.map((i) => i.definition.id)).toEqual(builtInInstruments.map((i) => i.id));
	});

	it.each([
		{ value: undefined, dirs: [] },
		{ value: ' ', dirs: [] },
		{ value: '/a:/b', dirs: ['/a', '/b'] },
		{ value: '/a: :/c ', dirs: ['/a', '/c'] }
	])('packDirsFromEnv($value) → $dirs', ({ value, dirs }) => {
		expect(packDirsFromEnv(value)).toEqual(dirs);
	});
});
