import { describe, expect, it } from 'vitest';
import { ageFromBirthYear } from './age';
import type { InstrumentDefinition } from './instrument-schema';
import { stemmeAllianceAdult, stemmeOutcomeAdult, stemmeOutcomeChild } from './instruments';
import { thresholdsFor } from './thresholds-for';

describe('thresholdsFor (age bands of measures.md)', () => {
	it.each([
		// adult band is 18+, youth 13–17: the edges 17/18 and 13 decide
		{ def: stemmeOutcomeAdult, age: 18, band: 'adult', cutoff: 25 },
		{ def: stemmeOutcomeAdult, age: 64, band: 'adult', cutoff: 25 },
		{ def: stemmeOutcomeAdult, age: 17, band: 'youth', cutoff: 28 },
		{ def: stemmeOutcomeAdult, age: 13, band: 'youth', cutoff: 28 },
		{ def: stemmeOutcomeChild, age: 6, band: 'child', cutoff: 32 },
		{ def: stemmeOutcomeChild, age: 12, band: 'child', cutoff: 32 },
		// an unknown age is fine when there is only one band
		{ def: stemmeOutcomeChild, age: null, band: 'child', cutoff: 32 },
		{ def: stemmeAllianceAdult, age: null, band: 'from-13', cutoff: 36 },
		{ def: stemmeAllianceAdult, age: 40, band: 'from-13', cutoff: 36 }
	])('$def.id at age $age → $band (cutoff $cutoff)', ({ def, age, band, cutoff }) => {
		const result = thresholdsFor(def, age);
		expect(result).toMatchObject({ ok: true, band: { key: band }, thresholds: { cutoff } });
	});

	it('resolves the outcome rci and the alliance drop', () => {
		expect(thresholdsFor(stemmeOutcomeAdult, 30)).toMatchObject({ ok: true, thresholds: { rci: 5, drop: null, provisional: true } });
		expect(thresholdsFor(stemmeAllianceAdult, 30)).toMatchObject({ ok: true, thresholds: { rci: null, drop: 1 } });
	});

	it('computes the rci from sd and reliability: 1.96 × √2 × 7.2152 × √(1 − 0.9375) = 5.000', () => {
		const local = structuredClone(stemmeOutcomeChild) as InstrumentDefinition;
		local.ageBands[0]!.thresholds.reliableChange = { sd: 7.2152, reliability: 0.9375, source: 'local estimate' };
		const result = thresholdsFor(local, 8);
		expect(result.ok && result.thresholds.rci).toBeCloseTo(5, 3);
	});

	it.each([
		{ def: stemmeOutcomeAdult, age: null, error: 'age-required' },
		{ def: stemmeOutcomeAdult, age: 12, error: 'no-band-for-age' },
		{ def: stemmeOutcomeChild, age: 5, error: 'no-band-for-age' },
		{ def: stemmeOutcomeChild, age: 13, error: 'no-band-for-age' }
	])('$def.id at age $age → $error', ({ def, age, error }) => {
		expect(thresholdsFor(def, age)).toEqual({ ok: false, error, age });
	});
});

describe('ageFromBirthYear (age reached this calendar year, UTC)', () => {
	it.each([
		// 2025 − 2008 = 17, whether the birthday has passed or not
		{ birthYear: 2008, now: '2025-01-01T00:00:00Z', age: 17 },
		{ birthYear: 2008, now: '2025-12-31T23:59:59Z', age: 17 },
		{ birthYear: 2007, now: '2025-06-01', age: 18 },
		{ birthYear: 2025, now: '2025-06-01', age: 0 },
		{ birthYear: 2026, now: '2025-06-01', age: null },
		{ birthYear: 1990.5, now: '2025-06-01', age: null }
	])('born $birthYear, on $now → $age', ({ birthYear, now, age }) => {
		expect(ageFromBirthYear(birthYear, new Date(now))).toBe(age);
	});
});
