import type { ChangeClass } from './change';
import { type Episode, type ExclusionReason, summarizeEpisode } from './episode';

export interface AggregateOptions {
	/** Fewest used episodes before figures may be compared or ranked (configuration). */
	minEpisodesForComparison?: number;
}

export interface Aggregate {
	/** Episodes given. */
	n: number;
	/** Still open: not part of the outcome figures (docs/clinical/change.md: per closed episode). */
	open: number;
	/** Closed episodes whose figures are used. */
	used: number;
	/** Closed episodes left out for missing data, in total and by reason. */
	excluded: { total: number; byReason: Record<ExclusionReason, number> };
	/** Means over used episodes, points; null when none is used. */
	meanIntake: number | null;
	meanChange: number | null;
	/** Sample SD of the intake scores (n − 1); null below two used episodes. */
	sdIntake: number | null;
	/** Pre–post effect size, mean change / SD of intake (docs/clinical/change.md); null when SD is null or 0. */
	effectSize: number | null;
	counts: Record<ChangeClass, number>;
	/** Shares of the used episodes, 0–1; null when none is used. */
	shares: Record<ChangeClass, number> | null;
	/** Drop-outs / closed episodes, 0–1; null when none is closed. */
	dropOutRate: number | null;
	/** Attended sessions with both an outcome and an alliance rating / attended sessions (all
	 *  episodes, open ones too), 0–1; null when no session was attended. */
	completeness: number | null;
	/** Whether `used` reaches options.minEpisodesForComparison (true when no minimum is set). */
	enoughForComparison: boolean;
}

const CLASSES: readonly ChangeClass[] = ['recovered', 'improved', 'unchanged', 'deteriorated'];

/**
 * Figures for a clinician, a team or the service (docs/clinical/change.md). Outcome figures use closed
 * episodes with an intake rating and a later rating; the others are counted as excluded with
 * their reason, so the share left out is always shown.
 * @example aggregate(episodes) // { n: 12, open: 2, used: 8, excluded: { total: 2, … }, meanChange: 6.1, … }
 */
export function aggregate(episodes: readonly Episode[], options: AggregateOptions = {}): Aggregate {
	const byReason: Record<ExclusionReason, number> = { 'no-sessions': 0, 'no-intake-rating': 0, 'fewer-than-two-ratings': 0 };
	const counts: Record<ChangeClass, number> = { recovered: 0, improved: 0, unchanged: 0, deteriorated: 0 };
	let open = 0;
	let closed = 0;
	let dropOuts = 0;
	let attended = 0;
	let complete = 0;
	const intakes: number[] = [];
	let changeSum = 0;

	for (const episode of episodes) {
		for (const entry of episode.history) {
			if (entry.attendance !== 'attended') continue;
			attended++;
			if (entry.outcome !== null && entry.alliance !== null) complete++;
		}
		if (episode.ending === null) {
			open++;
			continue;
		}
		closed++;
		if (episode.ending === 'dropout') dropOuts++;
		const summary = summarizeEpisode(episode);
		if (!summary.usable) {
			byReason[summary.reason]++;
			continue;
		}
		intakes.push(summary.intake);
		changeSum += summary.change;
		counts[summary.changeClass]++;
	}

	const used = intakes.length;
	const meanIntake = used === 0 ? null : intakes.reduce((a, b) => a + b, 0) / used;
	const sdIntake = meanIntake === null || used < 2 ? null : sampleSd(intakes, meanIntake);
	const meanChange = used === 0 ? null : changeSum / used;
	const shares = used === 0 ? null : (Object.fromEntries(CLASSES.map((c) => [c, counts[c] / used])) as Record<ChangeClass, number>);
	return {
		n: episodes.length,
		open,
		used,
		excluded: { total: closed - used, byReason },
		meanIntake,
		meanChange,
		sdIntake,
		effectSize: sdIntake === null || sdIntake === 0 || meanChange === null ? null : meanChange / sdIntake,
		counts,
		shares,
		dropOutRate: closed === 0 ? null : dropOuts / closed,
		completeness: attended === 0 ? null : complete / attended,
		enoughForComparison: used >= (options.minEpisodesForComparison ?? 0)
	};
}

function sampleSd(values: readonly number[], mean: number): number {
	let squares = 0;
	for (const value of values) squares += (value - mean) ** 2;
	return Math.sqrt(squares / (values.length - 1));
}
