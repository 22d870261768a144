import { reliableChangeIndex } from './change';
import type { AgeBand, InstrumentDefinition } from './instrument-schema';
import type { Localized } from './localized';

/** The thresholds of one age band with reliable change resolved to a number. */
export interface ResolvedThresholds {
	cutoff: number;
	/** Minimum reliable difference, points; null for an instrument without reliable change. */
	rci: number | null;
	/** Alliance drop that raises a signal, points; null for an outcome instrument. */
	drop: number | null;
	provisional: boolean;
	note: Localized | null;
	source: string;
}

export type ThresholdsResult =
	| { ok: true; band: AgeBand; thresholds: ResolvedThresholds }
	| { ok: false; error: 'age-required' | 'no-band-for-age'; age: number | null };

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
	if (rc !== undefined) {
		if (rc.rci !== undefined) rci = rc.rci;
		else if (rc.sd !== undefined && rc.reliability !== undefined) rci = reliableChangeIndex(rc.sd, rc.reliability);
	}
	return {
		cutoff: t.cutoff,
		rci,
		drop: t.drop ?? null,
		provisional: t.provisional,
		note: t.note ?? null,
		source: t.source
	};
}
