import { reliableDirection, scoreChange } from './change';
import { type History, type RatedSession, intakeScale } from './history';

/** Session numbers of the rule checkpoints and the reliable change they test (docs/clinical/change.md). */
export interface CheckpointConfig {
	/** No reliable improvement by this session → discuss (default CHECKPOINT_DISCUSS_SESSION). */
	discussSession: number;
	/** None by this session → consider changing the approach (CHECKPOINT_CHANGE_APPROACH_SESSION). */
	changeApproachSession: number;
	/** Minimum reliable difference of the outcome instrument, points. */
	rci: number;
	/** True for an RCI computed from SD and r (a change must exceed it); see reliableDirection. */
	strict?: boolean;
}

export interface ImprovementCheckpoint {
	session: number;
	/**
	 * pending: the episode has not reached the session yet · no-intake: no intake rating ·
	 * missing-rating: reached, but no outcome rating at or after it · improved: reliable
	 * improvement at the evaluated rating · triggered: no reliable improvement there.
	 */
	status: 'pending' | 'no-intake' | 'missing-rating' | 'improved' | 'triggered';
	/** Session of the rating the checkpoint was judged on, or null. */
	evaluatedAt: number | null;
	/** Change from intake at that rating, points, or null. */
	change: number | null;
}

export interface DeteriorationCheckpoint {
	/** no-intake · pending (no rating after the intake yet) · clear · triggered (review now). */
	status: 'no-intake' | 'pending' | 'clear' | 'triggered';
	/** First session with reliable deterioration from intake, or null. */
	firstSession: number | null;
	/** Whether the latest outcome rating is still reliably below the intake. */
	latestDeteriorated: boolean;
}

export interface Checkpoints {
	discuss: ImprovementCheckpoint;
	changeApproach: ImprovementCheckpoint;
	deterioration: DeteriorationCheckpoint;
}

/**
 * The rule checkpoints of docs/clinical/change.md, which need no model. An improvement checkpoint is judged on
 * the first outcome rating AT OR AFTER its session (a rating missed at session 3 is judged at the
 * next rated session, and says so in `evaluatedAt`; nothing is interpolated). Only ratings on the
 * intake's scale count (`intakeScale`). Reliable change as in `reliableDirection`.
 * @example checkpoints(history, { discussSession: 3, changeApproachSession: 6, rci: 5 }).discuss
 * // { session: 3, status: 'triggered', evaluatedAt: 3, change: 2 }
 */
export function checkpoints(history: History, config: CheckpointConfig): Checkpoints {
	const scale = intakeScale(history);
	const intake = scale.intake === null ? null : scale.intake.total;
	const series = scale.series;
	const strict = config.strict === true;
	let lastAttended = 0;
	for (const entry of history) if (entry.attendance === 'attended') lastAttended = entry.session;

	const improvement = (session: number): ImprovementCheckpoint => {
		if (lastAttended < session) return { session, status: 'pending', evaluatedAt: null, change: null };
		if (intake === null) return { session, status: 'no-intake', evaluatedAt: null, change: null };
		const rating = series.find((r) => r.session >= session);
		if (rating === undefined) return { session, status: 'missing-rating', evaluatedAt: null, change: null };
		const improved = reliableDirection(intake, rating.total, config.rci, strict) === 1;
		return {
			session,
			status: improved ? 'improved' : 'triggered',
			evaluatedAt: rating.session,
			change: scoreChange(intake, rating.total)
		};
	};

	return {
		discuss: improvement(config.discussSession),
		changeApproach: improvement(config.changeApproachSession),
		deterioration: deterioration(intake, series, config.rci, strict)
	};
}

function deterioration(intake: number | null, series: readonly RatedSession[], rci: number, strict: boolean): DeteriorationCheckpoint {
	if (intake === null) return { status: 'no-intake', firstSession: null, latestDeteriorated: false };
	const later = series.filter((r) => r.session > 1);
	const last = later[later.length - 1];
	if (last === undefined) return { status: 'pending', firstSession: null, latestDeteriorated: false };
	const first = later.find((r) => reliableDirection(intake, r.total, rci, strict) === -1);
	return {
		status: first === undefined ? 'clear' : 'triggered',
		firstSession: first === undefined ? null : first.session,
		latestDeteriorated: reliableDirection(intake, last.total, rci, strict) === -1
	};
}
