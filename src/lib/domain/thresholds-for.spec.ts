import { describe, expect, it } from 'vitest';
import { ageAt, ageFromBirthYear } from './age';
import type { InstrumentDefinition } from './instrument-schema';
import { stemmeAllianceAdult, stemmeOutcomeAdult, stemmeOutcomeChild } from './instruments';
import { thresholdsAtRating, thresholdsFor } from './thresholds-for';

describe('thresholdsFor (age bands of docs/clinical/measures.md)', () => {
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
		// Computed from SD and r → a change must exceed it (|RC| > 1.96, docs/clinical/change.md).
		expect(result.ok && result.thresholds.rciStrict).toBe(true);
	});

	it('marks a literal rci as reached-is-enough (the ORS "5 points or more")', () => {
		expect(thresholdsFor(stemmeOutcomeAdult, 30)).toMatchObject({ ok: true, thresholds: { rci: 5, rciStrict: false } });
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

describe('the age band of a rating is the age at that rating (docs/clinical/measures.md, "Which band applies")', () => {
	it.each([
		// Born 2013: rated 2025-11-03 → 2025 − 2013 = 12, whenever the question is asked.
		{ birthYear: 2013, date: '2025-11-03', age: 12 },
		// The same child rated on 2026-01-05 → 13.
		{ birthYear: 2013, date: '2026-01-05T09:00:00.000Z', age: 13 },
		{ birthYear: 2013, date: 'not a date', age: null }
	])('born $birthYear, rated $date → $age', ({ birthYear, date, age }) => {
		expect(ageAt(birthYear, date)).toBe(age);
	});

	it.each([
		// The child measure (6–12, cutoff 32): a child who turned 13 during the episode keeps the
		// child band — the nearest of the instrument's own bands — instead of losing every number.
		{ def: stemmeOutcomeChild, age: 13, band: 'child', cutoff: 32 },
		{ def: stemmeOutcomeChild, age: 12, band: 'child', cutoff: 32 },
		// The adult measure at 17 (youth 28) and at 18 (adult 25): inside its bands, as thresholdsFor.
		{ def: stemmeOutcomeAdult, age: 17, band: 'youth', cutoff: 28 },
		{ def: stemmeOutcomeAdult, age: 18, band: 'adult', cutoff: 25 },
		// A 12-year-old's rating on the adult measure (a pack chose it): nearest band, youth 13–17.
		{ def: stemmeOutcomeAdult, age: 12, band: 'youth', cutoff: 28 }
	])('$def.id rated at $age → band $band, cutoff $cutoff', ({ def, age, band, cutoff }) => {
		expect(thresholdsAtRating(def, age)).toMatchObject({ ok: true, band: { key: band }, thresholds: { cutoff } });
	});

	it('still refuses an unknown age for an instrument with several bands', () => {
		expect(thresholdsAtRating(stemmeOutcomeAdult, null)).toEqual({ ok: false, error: 'age-required', age: null });
	});
});
