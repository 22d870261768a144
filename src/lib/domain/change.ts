import { RELIABLE_CHANGE_Z, TENTHS_PER_POINT } from './clinical-constants';

/** Tolerance when comparing a difference of tenths with a minimum reliable difference that may
 *  itself be computed (4.99999… must still count as 5). */
const EPSILON = 1e-9;

export type ChangeClass = 'recovered' | 'improved' | 'unchanged' | 'deteriorated';

/**
 * The minimum reliable difference (Jacobson & Truax 1991, change.md):
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
 * Direction of reliable change from `from` to `to`: +1 improvement, −1 worsening, 0 none.
 *
 * Boundary — a deliberate departure from change.md. change.md states Jacobson & Truax's rule as
 * |RC| > 1.96 (strictly greater). Stemme applies `rci` as a *minimum* reliable difference:
 * |change| ≥ rci counts as reliable, so a change exactly equal to `rci` is reliable. Why: the
 * literature's ORS rule is "a change of 5 points or more", and Stemme's built-in RCI is that
 * literal 5 (OUTCOME_RELIABLE_CHANGE), which on the 0.1 grid is tied exactly and often. An RCI
 * computed from SD and r (e.g. 12.3961…) practically never equals a multiple of 0.1, so for it
 * ≥ and > give the same answer; only a literal RCI on the grid (the 5-point rule) is affected.
 * @example reliableDirection(18, 23, 5) // 1  (23 − 18 = 5 ≥ 5)
 */
export function reliableDirection(from: number, to: number, rci: number): -1 | 0 | 1 {
	const difference = toTenths(to) - toTenths(from);
	const threshold = rci * TENTHS_PER_POINT - EPSILON;
	if (difference >= threshold) return 1;
	if (-difference >= threshold) return -1;
	return 0;
}

/**
 * Classifies the change from intake to latest score (Jacobson & Truax; change.md):
 * - recovered: reliable improvement, intake below the cutoff, latest at or above it;
 * - improved: reliable improvement, not recovered;
 * - unchanged: no reliable change;
 * - deteriorated: reliable worsening.
 * Conventions: a total exactly AT the cutoff is non-clinical (measures.md: total ≥ cutoff);
 * a change exactly EQUAL to `rci` is reliable — change.md says |RC| > 1.96, Stemme applies the
 * ORS "5 points or more" as change ≥ rci; see `reliableDirection` for why only a literal RCI on
 * the 0.1 grid is affected.
 * @example classifyChange({ intake: 18, latest: 25, cutoff: 25, rci: 5 }) // 'recovered'
 */
export function classifyChange(input: { intake: number; latest: number; cutoff: number; rci: number }): ChangeClass {
	const direction = reliableDirection(input.intake, input.latest, input.rci);
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
 * Jacobson–Truax criterion c, the local clinical cutoff (change.md):
 * c = (SD_clin × M_norm + SD_norm × M_clin) / (SD_clin + SD_norm). Throws RangeError unless both
 * SDs are positive.
 * @example localCutoff({ mean: 19, sd: 7 }, { mean: 28, sd: 6 }) // (7×28 + 6×19) / 13 ≈ 23.846
 */
export function localCutoff(clinical: Distribution, nonClinical: Distribution): number {
	for (const [name, d] of [['clinical', clinical], ['nonClinical', nonClinical]] as const) {
		if (!(d.sd > 0) || !Number.isFinite(d.sd) || !Number.isFinite(d.mean)) {
			throw new RangeError(`${name} needs a finite mean and a positive sd`);
		}
	}
	return (clinical.sd * nonClinical.mean + nonClinical.sd * clinical.mean) / (clinical.sd + nonClinical.sd);
}
