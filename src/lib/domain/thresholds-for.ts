import { reliableChangeIndex } from './change';
import type { AgeBand, InstrumentDefinition } from './instrument-schema';
import type { Localized, TextOrLocalized } from './localized';

/** The thresholds of one age band with reliable change resolved to a number. */
export interface ResolvedThresholds {
	cutoff: number;
	/** Minimum reliable difference, points; null for an instrument without reliable change. */
	rci: number | null;
	/** True when `rci` was computed from SD and r: then a change must EXCEED it (|RC| > 1.96);
	 *  false for a literal RCI, which a change need only reach (docs/clinical/change.md). */
	rciStrict: boolean;
	/** Alliance drop that raises a signal, points; null for an outcome instrument. */
	drop: number | null;
	provisional: boolean;
	note: Localized | null;
	source: TextOrLocalized;
}

export type ThresholdsResult = { ok: true; band: AgeBand; thresholds: ResolvedThresholds } | { ok: false; error: 'age-required' | 'no-band-for-age'; age: number | null };

/**
 * Picks the age band for `age` (whole years) and resolves its thresholds. An unknown age (null)
 * is accepted only by an instrument with a single band; a known age must fall inside a band.
 * @example thresholdsFor(stemmeOutcomeAdult, 15) // { ok: true, band: { key: 'youth', … }, thresholds: { cutoff: 28, rci: 5, … } }
 */
export function thresholdsFor(instrument: InstrumentDefinition, age: number | null): ThresholdsResult {
	const bands = instrument.ageBands;
	if (age === null) {
		const only = bands.length === 1 ? bands[0] : undefined;
		if (only === undefined) return { ok: false, error: 'age-required', age };
		return { ok: true, band: only, thresholds: resolve(only) };
	}
	const band = bands.find((b) => (b.minAge === null || age >= b.minAge) && (b.maxAge === null || age <= b.maxAge));
	if (band === undefined) return { ok: false, error: 'no-band-for-age', age };
	return { ok: true, band, thresholds: resolve(band) };
}

function resolve(band: AgeBand): ResolvedThresholds {
	const t = band.thresholds;
	const rc = t.reliableChange;
	let rci: number | null = null;
	let rciStrict = false;
	if (rc !== undefined) {
		if (rc.rci !== undefined) rci = rc.rci;
		else if (rc.sd !== undefined && rc.reliability !== undefined) {
			rci = reliableChangeIndex(rc.sd, rc.reliability);
			rciStrict = true;
		}
	}
	return {
		cutoff: t.cutoff,
		rci,
		rciStrict,
		drop: t.drop ?? null,
		provisional: t.provisional,
		note: t.note ?? null,
		source: t.source
	};
}

/**
 * The thresholds a rating already given on `instrument` is judged by, with `age` the patient's
 * age AT THAT RATING (docs/clinical/measures.md, "Which band applies"). Where `thresholdsFor`
 * decides whether an instrument fits a patient now, this keeps an episode on its own instrument's
 * bands throughout: an age outside them takes the nearest band (a child rated on the child measure
 * who turns 13 during the episode is still judged on the child band, 32), so a birthday never
 * takes an episode's numbers away. An unknown age is still refused by an instrument with several
 * bands (which cutoff applies is unknown).
 * @example thresholdsAtRating(stemmeOutcomeChild, 13) // { ok: true, band: { key: 'child', … }, thresholds: { cutoff: 32, … } }
 */
export function thresholdsAtRating(instrument: InstrumentDefinition, age: number | null): ThresholdsResult {
	const exact = thresholdsFor(instrument, age);
	if (exact.ok || age === null || instrument.ageBands.length === 0) return exact;
	const distance = (b: AgeBand): number => (b.minAge !== null && age < b.minAge ? b.minAge - age : b.maxAge !== null && age > b.maxAge ? age - b.maxAge : 0);
	const nearest = [...instrument.ageBands].sort((a, b) => distance(a) - distance(b))[0]!;
	return { ok: true, band: nearest, thresholds: resolve(nearest) };
}
