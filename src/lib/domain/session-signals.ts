import { type ReliableChangeRule, reliableDirection, scoreChange, toTenths } from './change';
import { CHECKPOINT_CHANGE_APPROACH_SESSION, CHECKPOINT_DISCUSS_SESSION, TENTHS_PER_POINT } from './clinical-constants';
import { type ExpectedModel, expectedScore } from './expected-score';
import { type History, type Rating, type SessionEntry, intakeRating, sameInstrument } from './history';
import { type SignalReason, reason } from './signal-reasons';

/** Bumped whenever a rule below changes meaning; stored with every flag raised from a signal
 *  (the versions are listed in docs/clinical/dropout-and-milestones.md, "Rule versions").
 *  2: ratings on another instrument (id or version) than the one compared with are not judged.
 *  3: thresholds compared as given; reliable change from SD and r strictly above the RCI; the
 *     intake's scale throughout; outcome signals without an alliance measure. */
export const SIGNAL_RULES_VERSION = 3;

/** Float residue allowed when a threshold off the 0.1 grid is scaled to tenths (0.3 × 10 =
 *  3.0000000000000004 must still equal a fall of 3 tenths). */
const EPSILON = 1e-9;

export type OutcomeLevel = 'none' | 'on-track' | 'watch' | 'not-on-track';
export type AllianceLevel = 'fine' | 'below-cutoff' | 'dropped' | 'missing' | 'not-measured';

/** Thresholds of the patient's instruments for their age band (see `thresholdsFor`). */
export interface SignalThresholds {
	outcome: { cutoff: number } & ReliableChangeRule;
	/** `drop` must be positive: a drop of 0 would count every unchanged alliance as dropped.
	 *  Null when the episode's instruments include no alliance measure (a child pack without one):
	 *  the outcome signal is judged all the same, the alliance is `not-measured`. */
	alliance: { cutoff: number; drop: number } | null;
	/** Rule-checkpoint sessions for the no-model fallback (defaults 3 and 6, docs/clinical/change.md). */
	checkpoints?: { discussSession: number; changeApproachSession: number };
}

export interface OutcomeSignal {
	level: OutcomeLevel;
	/** The session judged (the latest attended), or null. */
	session: number | null;
	/** What drew the line: a fitted model, a licensed table, or the rule checkpoints. */
	basis: 'fitted' | 'table' | 'rules';
	/** The first reason decided the level; any others also fired and are shown beside it. */
	reasons: SignalReason[];
}

export interface AllianceSignal {
	level: AllianceLevel;
	session: number | null;
	reasons: SignalReason[];
}

export interface SessionSignals {
	rulesVersion: number;
	outcome: OutcomeSignal;
	alliance: AllianceSignal;
}

/**
 * Outcome and alliance signal for the latest attended session (docs/clinical/change.md, after OpenFIT).
 *
 * Outcome, in order: no rating this session, no intake rating, or only the intake → none;
 * reliable deterioration from intake → not on track. With a model or table: below the critical
 * line → not on track; at or above the target → on track; between → watch (a score exactly on a
 * line counts to the better side, like the cutoff). Without one (or when it does not cover the
 * session), the rule checkpoints: reliable improvement → on track; none by the change-approach
 * session → not on track; none by the discuss session → watch; earlier → on track.
 * Alliance: missing this session → missing; below the cutoff → below cutoff; a fall of at least
 * `drop` from the previous alliance rating given → dropped (both reasons listed when both fire).
 *
 * One scale at a time (an episode can change instrument: a child turning 13, a new pack version):
 * a latest outcome rating on another instrument id or version than the intake's is not compared
 * with the intake → none, reason `outcome-instrument-changed`; a previous alliance rating on
 * another instrument than the latest is not compared for a drop (`alliance-drop-not-judged`).
 * The thresholds are taken to be those of the intake's (outcome) and latest (alliance) instrument.
 * Throws RangeError when `alliance.drop` is not a positive number.
 * @example sessionSignals(history, { outcome: { cutoff: 25, rci: 5 }, alliance: { cutoff: 36, drop: 1 } }, null)
 * // { rulesVersion: 1, outcome: { level: 'watch', basis: 'rules', … }, alliance: { level: 'fine', … } }
 */
export function sessionSignals(history: History, instruments: SignalThresholds, model: ExpectedModel | null): SessionSignals {
	const drop = instruments.alliance?.drop ?? null;
	if (drop !== null && (!(drop > 0) || !Number.isFinite(drop))) {
		throw new RangeError(`alliance.drop must be a positive number of points, got ${drop} (0 would count every unchanged alliance as dropped)`);
	}
	let latestIndex = -1;
	for (let i = history.length - 1; i >= 0; i--) {
		if (history[i]!.attendance === 'attended') {
			latestIndex = i;
			break;
		}
	}
	const latest = history[latestIndex];
	if (latest === undefined) {
		const why = [reason('no-attended-session')];
		return {
			rulesVersion: SIGNAL_RULES_VERSION,
			outcome: { level: 'none', session: null, basis: 'rules', reasons: why },
			alliance: { level: 'missing', session: null, reasons: why }
		};
	}
	return {
		rulesVersion: SIGNAL_RULES_VERSION,
		outcome: outcomeSignal(history, latest, instruments, model),
		alliance:
			instruments.alliance === null
				? { level: 'not-measured', session: latest.session, reasons: [reason('alliance-not-measured', { session: latest.session })] }
				: allianceSignal(history, latestIndex, latest, instruments.alliance)
	};
}

function outcomeSignal(history: History, latest: SessionEntry, instruments: SignalThresholds, model: ExpectedModel | null): OutcomeSignal {
	const session = latest.session;
	const none = (why: SignalReason): OutcomeSignal => ({ level: 'none', session, basis: 'rules', reasons: [why] });
	if (latest.outcome === null) return none(reason('no-rating-this-session', { session }));
	const intakeRated = intakeRating(history);
	if (intakeRated === null) return none(reason('no-intake-rating', { session }));
	if (session === 1) return none(reason('fewer-than-two-ratings', { session }));
	if (!sameInstrument(intakeRated, latest.outcome)) return none(reason('outcome-instrument-changed', { session }));
	const intake = intakeRated.total;

	const score = latest.outcome.total;
	const { rci } = instruments.outcome;
	const change = scoreChange(intake, score);
	const direction = reliableDirection(intake, score, rci, instruments.outcome.strict === true);
	const numbers = { session, intake, latest: score, change, rci };
	const deterioration = reason('reliable-deterioration', { ...numbers, drop: -change });
	const notes: SignalReason[] = [];

	if (model !== null) {
		const expected = expectedScore(model, intake, session);
		if (expected.ok) {
			const line = { ...numbers, expected: expected.expected, target: expected.target, critical: expected.critical };
			const basis = expected.source;
			if (direction === -1) return { level: 'not-on-track', session, basis, reasons: [deterioration] };
			if (score < expected.critical) return { level: 'not-on-track', session, basis, reasons: [reason('below-critical', line)] };
			if (score >= expected.target) return { level: 'on-track', session, basis, reasons: [reason('at-or-above-target', line)] };
			return { level: 'watch', session, basis, reasons: [reason('between-critical-and-target', line)] };
		}
		notes.push(reason('model-not-applicable', { session }));
	}

	const basis = 'rules';
	if (direction === -1) return { level: 'not-on-track', session, basis, reasons: [deterioration, ...notes] };
	if (direction === 1) return { level: 'on-track', session, basis, reasons: [reason('reliable-improvement', numbers), ...notes] };
	const discuss = instruments.checkpoints?.discussSession ?? CHECKPOINT_DISCUSS_SESSION;
	const changeApproach = instruments.checkpoints?.changeApproachSession ?? CHECKPOINT_CHANGE_APPROACH_SESSION;
	if (session >= changeApproach) {
		const why = reason('no-reliable-improvement-change-approach', { ...numbers, checkpoint: changeApproach });
		return { level: 'not-on-track', session, basis, reasons: [why, ...notes] };
	}
	if (session >= discuss) {
		const why = reason('no-reliable-improvement-discuss', { ...numbers, checkpoint: discuss });
		return { level: 'watch', session, basis, reasons: [why, ...notes] };
	}
	const early = reason('before-first-checkpoint', { ...numbers, checkpoint: discuss });
	return { level: 'on-track', session, basis, reasons: [early, ...notes] };
}

/**
 * The alliance rule's two comparisons, shared with the statistics: a rating under the cutoff, and a
 * fall of at least `drop` points from the previous rating. Thresholds as given (docs/clinical/measures.md,
 * "Conventions at the boundary"): the rating is on the 0.1 grid, the cutoff and drop need not be
 * (35.94, 0.04), so only the ratings are taken in tenths.
 * @example allianceBelowCutoff(35.9, 36) // true; allianceDropped(38, 37, 1) // true
 */
export function allianceBelowCutoff(total: number, cutoff: number): boolean {
	return toTenths(total) < cutoff * TENTHS_PER_POINT - EPSILON;
}

export function allianceDropped(previous: number, total: number, drop: number): boolean {
	return toTenths(previous) - toTenths(total) >= drop * TENTHS_PER_POINT - EPSILON;
}

function allianceSignal(history: History, latestIndex: number, latest: SessionEntry, thresholds: NonNullable<SignalThresholds['alliance']>): AllianceSignal {
	const session = latest.session;
	if (latest.alliance === null) return { level: 'missing', session, reasons: [reason('alliance-missing', { session })] };
	const total = latest.alliance.total;
	const reasons: SignalReason[] = [];
	const below = allianceBelowCutoff(total, thresholds.cutoff);
	if (below) reasons.push(reason('alliance-below-cutoff', { session, total, cutoff: thresholds.cutoff }));

	let previous: { session: number; rating: Rating } | null = null;
	for (let i = latestIndex - 1; i >= 0 && previous === null; i--) {
		const entry = history[i]!;
		if (entry.attendance === 'attended' && entry.alliance !== null) previous = { session: entry.session, rating: entry.alliance };
	}
	const comparable = previous !== null && sameInstrument(previous.rating, latest.alliance);
	let dropped = false;
	if (previous !== null && comparable) {
		dropped = allianceDropped(previous.rating.total, total, thresholds.drop);
		if (dropped) {
			const params = { session, total, previous: previous.rating.total, previousSession: previous.session, fall: scoreChange(total, previous.rating.total), drop: thresholds.drop };
			reasons.push(reason('alliance-dropped', params));
		}
	}
	if (below) return { level: 'below-cutoff', session, reasons };
	if (dropped) return { level: 'dropped', session, reasons };
	if (previous !== null && !comparable) {
		const params = { session, total, cutoff: thresholds.cutoff, previousSession: previous.session };
		return { level: 'fine', session, reasons: [reason('alliance-drop-not-judged', params)] };
	}
	return { level: 'fine', session, reasons: [reason('alliance-fine', { session, total, cutoff: thresholds.cutoff })] };
}
