import { RELIABLE_CHANGE_Z, TENTHS_PER_POINT } from './clinical-constants';

/** Tolerance when comparing a difference of tenths with a minimum reliable difference that may
 *  itself be computed (4.99999… must still count as 5). */
const EPSILON = 1e-9;

export type ChangeClass = 'recovered' | 'improved' | 'unchanged' | 'deteriorated';

/**
 * The minimum reliable difference (Jacobson & Truax 1991, docs/clinical/change.md):
 * 1.96 × √2 × SE, with SE = sd × √(1 − reliability). Throws RangeError for sd ≤ 0 or
 * reliability outside [0, 1).
 * @example reliableChangeIndex(10, 0.8) // 1.96 × √2 × 10 × √0.2 ≈ 12.396
 */
export function reliableChangeIndex(sd: number, reliability: number): number {
	if (!(sd > 0) || !Number.isFinite(sd)) throw new RangeError(`sd must be a positive number, got ${sd}`);
	if (!(reliability >= 0 && reliability < 1)) {
		throw new RangeError(`reliability must be in [0, 1), got ${reliability}`);
	}
	return RELIABLE_CHANGE_Z * Math.SQRT2 * sd * Math.sqrt(1 - reliability);
}

/** A score on the 0.1 grid as whole tenths, so that differences are exact. */
export function toTenths(score: number): number {
	return Math.round(score * TENTHS_PER_POINT);
}

/**
 * latest − intake in points, exact on the 0.1 grid (no float residue such as 4.999999).
 * @example scoreChange(17.3, 22.4) // 5.1
 */
export function scoreChange(intake: number, latest: number): number {
	return (toTenths(latest) - toTenths(intake)) / TENTHS_PER_POINT;
}

/**
 * Direction of reliable change from `from` to `to`: +1 improvement, −1 worsening, 0 none
 * (docs/clinical/change.md, "Reliable change").
 *
 * Two rules, chosen by `strict`:
 * - `strict` (an RCI computed from SD and r): |change| > rci, Jacobson & Truax's |RC| > 1.96. Such an
 *   RCI can land exactly on the 0.1 grid of the ratings — r = 0.5 gives 1.96 × √2 × SD × √0.5 =
 *   1.96 × SD, and SD = 2.5 gives 4.9 — and a change of exactly 4.9 is then NOT reliable.
 * - not strict (a literal minimum difference, the ORS rule "5 points or more",
 *   OUTCOME_RELIABLE_CHANGE): |change| ≥ rci, as the rule is written.
 * EPSILON absorbs the float residue of a computed RCI (4.8999999… or 4.9000001… is 4.9).
 * @example reliableDirection(18, 23, 5) // 1  (23 − 18 = 5 ≥ 5)
 * @example reliableDirection(18, 22.9, 4.9, true) // 0  (4.9 is not > 4.9)
 */
export function reliableDirection(from: number, to: number, rci: number, strict = false): -1 | 0 | 1 {
	const difference = toTenths(to) - toTenths(from);
	const threshold = rci * TENTHS_PER_POINT;
	const reliable = (d: number): boolean => (strict ? d > threshold + EPSILON : d >= threshold - EPSILON);
	if (reliable(difference)) return 1;
	if (reliable(-difference)) return -1;
	return 0;
}

/** The reliable-change rule of one instrument and age band: the minimum difference and whether it
 *  must be exceeded (computed from SD and r) or only reached (a literal RCI); see reliableDirection. */
export interface ReliableChangeRule {
	rci: number;
	/** True for an RCI computed from SD and r; absent or false for a literal RCI. */
	strict?: boolean;
}

/**
 * Classifies the change from intake to latest score (Jacobson & Truax; docs/clinical/change.md):
 * - recovered: reliable improvement, intake below the cutoff, latest at or above it;
 * - improved: reliable improvement, not recovered;
 * - unchanged: no reliable change;
 * - deteriorated: reliable worsening.
 * Conventions: a total exactly AT the cutoff is non-clinical (docs/clinical/measures.md: total ≥
 * cutoff), compared as given (a local cutoff of 23.85 is not rounded); reliable change as in
 * `reliableDirection` (≥ a literal RCI, > one computed from SD and r).
 * @example classifyChange({ intake: 18, latest: 25, cutoff: 25, rci: 5 }) // 'recovered'
 */
export function classifyChange(input: { intake: number; latest: number; cutoff: number } & ReliableChangeRule): ChangeClass {
	const direction = reliableDirection(input.intake, input.latest, input.rci, input.strict === true);
	if (direction === -1) return 'deteriorated';
	if (direction === 0) return 'unchanged';
	const clinicalAtIntake = input.intake < input.cutoff;
	const nonClinicalNow = input.latest >= input.cutoff;
	return clinicalAtIntake && nonClinicalNow ? 'recovered' : 'improved';
}

/** Mean and standard deviation of one population's scores. */
export interface Distribution {
	mean: number;
	sd: number;
}

/**
 * Jacobson–Truax criterion c, the local clinical cutoff (docs/clinical/change.md):
 * c = (SD_clin × M_norm + SD_norm × M_clin) / (SD_clin + SD_norm). Throws RangeError unless both
 * SDs are positive.
 * @example localCutoff({ mean: 19, sd: 7 }, { mean: 28, sd: 6 }) // (7×28 + 6×19) / 13 ≈ 23.846
 */
export function localCutoff(clinical: Distribution, nonClinical: Distribution): number {
	for (const [name, d] of [
		['clinical', clinical],
		['nonClinical', nonClinical]
	] as const) {
		if (!(d.sd > 0) || !Number.isFinite(d.sd) || !Number.isFinite(d.mean)) {
			throw new RangeError(`${name} needs a finite mean and a positive sd`);
		}
	}
	return (clinical.sd * nonClinical.mean + nonClinical.sd * clinical.mean) / (clinical.sd + nonClinical.sd);
}
