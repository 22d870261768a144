import { type ChangeClass, classifyChange, type ReliableChangeRule, scoreChange } from './change';
import { type EpisodeEnding, type History, intakeScale } from './history';

/** One episode of care as the statistics and the model fitting see it. */
export interface Episode {
	id?: string;
	history: History;
	/** How it ended; null while open. */
	ending: EpisodeEnding | null;
	/** Outcome thresholds for this patient's age band (from `thresholdsFor`). */
	thresholds: { cutoff: number } & ReliableChangeRule;
}

export type ExclusionReason = 'no-sessions' | 'no-intake-rating' | 'fewer-than-two-ratings';

export type EpisodeSummary =
	| {
			usable: true;
			intake: number;
			last: number;
			lastSession: number;
			change: number;
			changeClass: ChangeClass;
	  }
	| { usable: false; reason: ExclusionReason };

/**
 * Intake, last outcome rating, change and change class of an episode, or why it cannot be used
 * (docs/clinical/change.md: fewer than two ratings → not applicable; no intake rating → missing).
 * The last rating is the last one actually given on the intake's scale (`intakeScale`: a rating
 * on another instrument or version is not compared); nothing is interpolated.
 * @example summarizeEpisode(episode) // { usable: true, intake: 16, last: 26, lastSession: 8, change: 10, changeClass: 'recovered' }
 */
export function summarizeEpisode(episode: Episode): EpisodeSummary {
	if (!episode.history.some((entry) => entry.attendance === 'attended')) return { usable: false, reason: 'no-sessions' };
	const scale = intakeScale(episode.history);
	if (scale.intake === null) return { usable: false, reason: 'no-intake-rating' };
	const intake = scale.intake.total;
	const last = scale.series[scale.series.length - 1];
	if (last === undefined || last.session === 1) return { usable: false, reason: 'fewer-than-two-ratings' };
	const { cutoff, rci, strict } = episode.thresholds;
	return {
		usable: true,
		intake,
		last: last.total,
		lastSession: last.session,
		change: scoreChange(intake, last.total),
		changeClass: classifyChange({ intake, latest: last.total, cutoff, rci, strict })
	};
}
