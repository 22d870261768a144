/**
 * The signal of every session as it stood then: what the chart colours a point by and what the
 * session table's signal column says. Pure, so the server renders the table with it and the
 * chart and the table can never disagree.
 */
import type { ExpectedModel } from '$lib/domain/expected-score';
import type { History } from '$lib/domain/history';
import { sessionSignals, type AllianceLevel, type OutcomeLevel, type SignalThresholds } from '$lib/domain/session-signals';
import type { SignalReason } from '$lib/domain/signal-reasons';
import type { TrajectoryView } from '$lib/server/trajectory';

export type SignalLevel = OutcomeLevel | AllianceLevel;

export interface PointSignal {
	level: SignalLevel;
	reasons: SignalReason[];
}

/** Per session number; a session appears in a map only when it has a rating of that measure. */
export interface SessionLevels {
	outcome: Map<number, PointSignal>;
	alliance: Map<number, PointSignal>;
}

/** What the signals need of each measure (a MeasureView or the chart's MeasureInput will do). */
export interface LevelThresholds {
	cutoff: number;
	/** Outcome: minimum reliable difference. */
	rci?: number | null;
	/** Outcome: true when `rci` was computed from SD and r (a change must exceed it). */
	rciStrict?: boolean;
	/** Alliance: fall that raises a signal. */
	drop?: number | null;
}

/**
 * Signals as they stood at each attended session: sessionSignals on the history up to and
 * including it, with the installation's checkpoint sessions. Empty when the thresholds are
 * incomplete (no outcome measure or no reliable change, an alliance measure without a drop), as
 * the signals then are (the server refuses an alliance instrument without a drop before this is
 * reached). An episode with no alliance measure still gets its outcome levels.
 * @example sessionLevels(buildHistory([[17, 38], [23, 35]]), { cutoff: 25, rci: 5 }, { cutoff: 36, drop: 1 }, null)
 * // outcome: 1 → none, 2 → on-track; alliance: 1 → fine, 2 → below-cutoff
 */
export function sessionLevels(
	history: History,
	outcome: LevelThresholds | null,
	alliance: LevelThresholds | null,
	expected: ExpectedModel | null,
	checkpoints?: SignalThresholds['checkpoints']
): SessionLevels {
	const levels: SessionLevels = { outcome: new Map(), alliance: new Map() };
	if (outcome === null || outcome.rci == null || (alliance !== null && alliance.drop == null)) return levels;
	const thresholds: SignalThresholds = {
		outcome: { cutoff: outcome.cutoff, rci: outcome.rci, strict: outcome.rciStrict === true },
		alliance: alliance === null ? null : { cutoff: alliance.cutoff, drop: alliance.drop! },
		...(checkpoints === undefined ? {} : { checkpoints })
	};
	history.forEach((entry, i) => {
		if (entry.attendance !== 'attended') return;
		const s = sessionSignals(history.slice(0, i + 1), thresholds, expected);
		if (entry.outcome !== null) levels.outcome.set(entry.session, { level: s.outcome.level, reasons: s.outcome.reasons });
		if (entry.alliance !== null) levels.alliance.set(entry.session, { level: s.alliance.level, reasons: s.alliance.reasons });
	});
	return levels;
}

/** The levels of a patient page's trajectory: worked out once, for the chart and the table alike. */
export function levelsOf(view: TrajectoryView): SessionLevels {
	return sessionLevels(view.history, view.outcome, view.alliance, view.model, view.checkpointSessions);
}
