import { EPISODE_ENDINGS, type EpisodeEnding } from '../history';
import type { ChangeClass } from '../change';

/** What the outcome ratings say about a closed episode: an effect, none, or too few ratings to tell. */
export type EffectAtEnd = 'with-effect' | 'without-effect' | 'not-measured';

/**
 * "With effect" is reliable improvement: recovered or improved (docs/clinical/statistics.md: the
 * unilateral endings split by whether the outcome was in the successful zone). An episode with
 * fewer than two ratings on one scale cannot tell, and is counted apart, never as "without".
 * @example effectAtEnd('improved') // 'with-effect'; effectAtEnd(null) // 'not-measured'
 */
export function effectAtEnd(changeClass: ChangeClass | null): EffectAtEnd {
	if (changeClass === null) return 'not-measured';
	return changeClass === 'recovered' || changeClass === 'improved' ? 'with-effect' : 'without-effect';
}

export interface ClosedEpisode {
	ending: EpisodeEnding;
	effect: EffectAtEnd;
}

export interface EndingFigures {
	closed: number;
	counts: Record<EpisodeEnding, number>;
	/** Shares of the closed episodes, 0–1; null when none is closed. */
	shares: Record<EpisodeEnding, number> | null;
	/** Drop-outs split by what the ratings say at the end. */
	dropout: Record<EffectAtEnd, number>;
}

/**
 * Endings as counts and shares, every ending classified as agreed (planned completion), the
 * client's own (drop-out), transfer or other, and drop-out split by effect
 * (docs/clinical/statistics.md; docs/clinical/dropout-and-milestones.md).
 * @example endingFigures([{ ending: 'dropout', effect: 'with-effect' }]) // { closed: 1, counts: { dropout: 1, … }, … }
 */
export function endingFigures(closed: readonly ClosedEpisode[]): EndingFigures {
	const counts = Object.fromEntries(EPISODE_ENDINGS.map((e) => [e, 0])) as Record<EpisodeEnding, number>;
	const dropout: Record<EffectAtEnd, number> = { 'with-effect': 0, 'without-effect': 0, 'not-measured': 0 };
	for (const episode of closed) {
		counts[episode.ending]++;
		if (episode.ending === 'dropout') dropout[episode.effect]++;
	}
	const n = closed.length;
	const shares = n === 0 ? null : (Object.fromEntries(EPISODE_ENDINGS.map((e) => [e, counts[e] / n])) as Record<EpisodeEnding, number>);
	return { closed: n, counts, shares, dropout };
}

/** Days within which an ending after a transition counts as drop-out at the transition (docs/clinical/statistics.md, "Drop-out over time"). */
export const TRANSITION_WINDOW_DAYS = 30;

/**
 * Episodes that went through a transition, and those of them that ended by drop-out within
 * `TRANSITION_WINDOW_DAYS` days after one (dates 'YYYY-MM-DD').
 * @example transitionDropouts([{ ending: 'dropout', endDate: '2026-03-20', transitions: ['2026-03-01'] }]) // { withTransition: 1, droppedOut: 1 }
 */
export function transitionDropouts(
	episodes: readonly { ending: EpisodeEnding | null; endDate: string | null; transitions: readonly string[] }[],
	windowDays: number = TRANSITION_WINDOW_DAYS
): { withTransition: number; droppedOut: number } {
	let withTransition = 0;
	let droppedOut = 0;
	for (const e of episodes) {
		if (e.transitions.length === 0) continue;
		withTransition++;
		if (e.ending !== 'dropout' || e.endDate === null) continue;
		const end = Date.parse(e.endDate);
		if (e.transitions.some((t) => end >= Date.parse(t) && (end - Date.parse(t)) / 86_400_000 <= windowDays)) droppedOut++;
	}
	return { withTransition, droppedOut };
}
