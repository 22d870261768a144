import type { InstrumentDefinition, InstrumentKind } from './instrument-schema';
import type { Registry, RegisteredInstrument } from './registry';

export type Rater = InstrumentDefinition['raters'][number];

export interface InstrumentNeed {
	kind: InstrumentKind;
	rater: Rater;
	/** Whole years; null when unknown. */
	age: number | null;
	/** Ids the installation prefers (a licensed pack, say), tried first, in order. */
	preferred?: readonly string[];
}

function covers(def: InstrumentDefinition, age: number | null): boolean {
	if (age === null) return def.ageBands.length === 1;
	return def.ageBands.some((b) => (b.minAge === null || age >= b.minAge) && (b.maxAge === null || age <= b.maxAge));
}

/**
 * The instrument to hand over for a need: the right kind, rated by this rater, with an age band
 * that covers the patient. Preferred ids come first, then built-ins, then packs; within those
 * the highest version. Null when nothing fits (the clinician is told, nothing is guessed).
 * @example chooseInstrument(registry, { kind: 'outcome', rater: 'patient', age: 9 })?.definition.id // 'stemme-outcome-child'
 */
export function chooseInstrument(registry: Registry, need: InstrumentNeed): RegisteredInstrument | null {
	const fits = registry.instruments.filter((r) => r.definition.kind === need.kind && r.definition.raters.includes(need.rater) && covers(r.definition, need.age));
	const rank = (r: RegisteredInstrument): number => {
		const p = need.preferred?.indexOf(r.definition.id) ?? -1;
		if (p >= 0) return p;
		return (need.preferred?.length ?? 0) + (r.origin.kind === 'built-in' ? 0 : 1);
	};
	fits.sort((a, b) => rank(a) - rank(b) || b.definition.version - a.definition.version);
	return fits[0] ?? null;
}
