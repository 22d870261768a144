import type { History } from '../history';
import { intakeScale } from '../history';

export interface Completeness {
	/** Appointments that took place or should have (attended, no-show, late cancellation). */
	due: number;
	attended: number;
	noShows: number;
	withOutcome: number;
	withAlliance: number;
	/** Attended sessions missing the outcome or the alliance rating (skipped feedback). */
	skipped: number;
	episodes: number;
	/** Episodes with two or more outcome ratings on one scale. */
	twoOrMoreRatings: number;
}

/** Skipped-feedback sessions should stay under this share (OpenFIT; docs/clinical/statistics.md). */
export const SKIPPED_FEEDBACK_BENCHMARK = 0.1;
/** Missed appointments should stay under this share (OpenFIT; docs/clinical/statistics.md). */
export const NO_SHOW_BENCHMARK = 0.2;
/** Share of episodes with two or more ratings before the outcome figures mean anything (ACORN; docs/clinical/statistics.md). */
export const MIN_SHARE_TWO_RATINGS = 0.5;

/**
 * Data completeness over episodes' histories (docs/clinical/statistics.md): how many attended
 * sessions have each rating, how many appointments were missed (no-show or late cancellation of
 * the appointments due; a cancellation in time is not due), and how many episodes have two or
 * more outcome ratings on one scale.
 * @example completeness([history]) // { attended: 3, withOutcome: 3, withAlliance: 2, skipped: 1, … }
 */
export function completeness(histories: readonly History[]): Completeness {
	const c: Completeness = { due: 0, attended: 0, noShows: 0, withOutcome: 0, withAlliance: 0, skipped: 0, episodes: histories.length, twoOrMoreRatings: 0 };
	for (const history of histories) {
		for (const entry of history) {
			if (entry.attendance === 'cancelled') continue;
			c.due++;
			if (entry.attendance !== 'attended') {
				c.noShows++;
				continue;
			}
			c.attended++;
			if (entry.outcome !== null) c.withOutcome++;
			if (entry.alliance !== null) c.withAlliance++;
			if (entry.outcome === null || entry.alliance === null) c.skipped++;
		}
		if (intakeScale(history).series.length >= 2) c.twoOrMoreRatings++;
	}
	return c;
}
