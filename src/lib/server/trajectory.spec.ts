import { describe, expect, it } from 'vitest';
import { signalThresholds, type EpisodeMeasures } from './trajectory';
import { stemmeAllianceAdult, stemmeOutcomeAdult } from '$lib/domain/instruments';
import { thresholdsFor, type ResolvedThresholds } from '$lib/domain/thresholds-for';
import type { InstrumentDefinition } from '$lib/domain/instrument-schema';

/** The adult band (age 30) of a built-in instrument, with `over` changed. */
function measure(instrument: InstrumentDefinition, over: Partial<ResolvedThresholds> = {}): NonNullable<EpisodeMeasures['outcome']> {
	const result = thresholdsFor(instrument, 30);
	if (!result.ok) throw new Error('the built-in has an adult band');
	return { instrument, thresholds: { ...result.thresholds, ...over }, band: result.band };
}

describe('signalThresholds', () => {
	it('takes the cutoffs, the rci and the drop of the episode measures (docs/clinical/measures.md: 25, 5; 36, 1)', () => {
		const measures = { outcome: measure(stemmeOutcomeAdult), alliance: measure(stemmeAllianceAdult) };
		expect(signalThresholds(measures)).toEqual({ outcome: { cutoff: 25, rci: 5, strict: false }, alliance: { cutoff: 36, drop: 1 } });
		const checkpoints = { discussSession: 4, changeApproachSession: 8 };
		expect(signalThresholds(measures, checkpoints)?.checkpoints).toEqual(checkpoints);
	});

	it.each([
		{ name: 'no outcome instrument', measures: { outcome: null, alliance: measure(stemmeAllianceAdult) } },
		{ name: 'no reliable change', measures: { outcome: measure(stemmeOutcomeAdult, { rci: null }), alliance: measure(stemmeAllianceAdult) } }
	])('gives none with $name', ({ measures }) => {
		expect(signalThresholds(measures)).toBeNull();
	});

	it('judges the outcome of an episode with no alliance instrument (docs/clinical/change.md)', () => {
		const measures = { outcome: measure(stemmeOutcomeAdult), alliance: null };
		expect(signalThresholds(measures)).toEqual({ outcome: { cutoff: 25, rci: 5, strict: false }, alliance: null });
	});

	it('fails loudly for an alliance instrument without a drop, instead of judging with a drop of 0', () => {
		const measures = { outcome: measure(stemmeOutcomeAdult), alliance: measure(stemmeAllianceAdult, { drop: null }) };
		expect(() => signalThresholds(measures)).toThrow('alliance instrument "stemme-alliance-adult" version 1 has no drop threshold');
	});
});
