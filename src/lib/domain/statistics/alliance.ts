import { type EpisodeEnding, type History, type Rating, sameInstrument } from '../history';
import { allianceBelowCutoff, allianceDropped } from '../session-signals';

/** One episode as the alliance figures read it: its sessions, its alliance thresholds (null: no alliance measure) and its ending. */
export interface AllianceEpisode {
	history: History;
	alliance: { cutoff: number; drop: number } | null;
	ending: EpisodeEnding | null;
}

export interface AllianceFigures {
	/** Episodes with an alliance measure and at least one alliance rating. */
	episodes: number;
	/** Attended sessions with an alliance rating, of those episodes. */
	sessions: number;
	/** Mean of those ratings, points; null without any. */
	mean: number | null;
	/** Mean of the first alliance rating of each episode, points; null without any. */
	meanIntake: number | null;
	/** Rated sessions under the cutoff (the session signal's "below cutoff"). */
	underCutoff: number;
	/** Episodes with at least one fall of `drop` points or more from the previous rating on the same instrument. */
	withDrop: number;
	/** Closed episodes of those rated: with an alliance signal (under the cutoff or a drop) at some session, and of those, ended by drop-out. */
	closedWithSignal: number;
	dropoutWithSignal: number;
	closedWithoutSignal: number;
	dropoutWithoutSignal: number;
}

/**
 * The alliance section (docs/clinical/statistics.md, "Alliance"): ratings under the cutoff, episodes
 * with a drop, and drop-out after an alliance signal — the session signal's own two rules
 * (session-signals.ts) applied to every rated session, not only the latest.
 * @example allianceFigures([{ history, alliance: { cutoff: 36, drop: 1 }, ending: 'dropout' }])
 * // { episodes: 1, sessions: 3, mean: 36.2, underCutoff: 1, withDrop: 1, closedWithSignal: 1, dropoutWithSignal: 1, … }
 */
export function allianceFigures(episodes: readonly AllianceEpisode[]): AllianceFigures {
	const f: AllianceFigures = {
		episodes: 0,
		sessions: 0,
		mean: null,
		meanIntake: null,
		underCutoff: 0,
		withDrop: 0,
		closedWithSignal: 0,
		dropoutWithSignal: 0,
		closedWithoutSignal: 0,
		dropoutWithoutSignal: 0
	};
	let sum = 0;
	let intakeSum = 0;
	for (const e of episodes) {
		if (e.alliance === null) continue;
		let previous: Rating | null = null;
		let first: number | null = null;
		let under = false;
		let dropped = false;
		for (const s of e.history) {
			if (s.attendance !== 'attended' || s.alliance === null) continue;
			const total = s.alliance.total;
			first ??= total;
			f.sessions++;
			sum += total;
			if (allianceBelowCutoff(total, e.alliance.cutoff)) {
				f.underCutoff++;
				under = true;
			}
			if (previous !== null && sameInstrument(previous, s.alliance) && allianceDropped(previous.total, total, e.alliance.drop)) dropped = true;
			previous = s.alliance;
		}
		if (first === null) continue;
		f.episodes++;
		intakeSum += first;
		if (dropped) f.withDrop++;
		if (e.ending === null) continue;
		const dropout = e.ending === 'dropout' ? 1 : 0;
		if (under || dropped) {
			f.closedWithSignal++;
			f.dropoutWithSignal += dropout;
		} else {
			f.closedWithoutSignal++;
			f.dropoutWithoutSignal += dropout;
		}
	}
	f.mean = f.sessions === 0 ? null : sum / f.sessions;
	f.meanIntake = f.episodes === 0 ? null : intakeSum / f.episodes;
	return f;
}
