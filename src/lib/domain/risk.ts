import { attendanceSignals, ATTENDANCE_RULES_VERSION, type AppointmentRecord, type AttendanceConfig } from './attendance-signals';
import { checkpoints } from './checkpoints';
import { CHECKPOINT_CHANGE_APPROACH_SESSION, CHECKPOINT_DISCUSS_SESSION } from './clinical-constants';
import type { Checklist } from './checklist';
import type { ExpectedModel } from './expected-score';
import type { History } from './history';
import { sessionSignals, SIGNAL_RULES_VERSION, type SignalThresholds } from './session-signals';

export type FactorAnswer = 'yes' | 'no' | 'unknown';

/**
 * One reason for concern on an episode, from the checklist or from the data. `key` is stable:
 * the same condition keeps the same key from one evaluation to the next, so a flag is raised
 * once and not again on every page load.
 */
export interface RiskCondition {
	key: string;
	source: 'factor' | 'signal';
	rule: string;
	rulesVersion: number;
	params: Readonly<Record<string, number>>;
	/** English fallback; the interface words it in the reader's language from `rule` + `params`. */
	text: string;
}

export interface RiskInput {
	history: History;
	/** Null when the episode has no usable instruments: then only factors and attendance count. */
	thresholds: (Required<Pick<SignalThresholds, 'outcome' | 'alliance'>> & Pick<SignalThresholds, 'checkpoints'>) | null;
	model: ExpectedModel | null;
	appointments: readonly AppointmentRecord[];
	episode: { start: string; transition: string | null };
	now: Date;
	attendance: AttendanceConfig;
	checklist: Checklist;
	/** The clinicians' answers, by factor key; a factor not answered is unknown. */
	answers: Readonly<Record<string, FactorAnswer>>;
	/** Whole years, or null when unknown. */
	age: number | null;
	/**
	 * When a session's ratings are judged: 'complete-sessions' (the rule: once its ratings are in or
	 * it is over, a missing rating clearing nothing), or 'every-rating' — each rating as it arrives,
	 * the latest session judged even half-rated — the earlier behaviour, kept only so that the
	 * benchmark can measure the flag burden of both in one run.
	 */
	judging?: 'complete-sessions' | 'every-rating';
}

/** Bumped when the way factors raise conditions changes. */
export const FACTOR_RULES_VERSION = 1;

/**
 * A factor's answer with what the data says: `age-under` is yes or no from the age alone;
 * `alliance` is yes when the alliance signal is below the cutoff or dropped, or when a clinician
 * said yes (the data adds to the clinician's answer, never overrules a yes).
 */
export function factorFromData(factor: Checklist['factors'][number], answer: FactorAnswer, age: number | null, allianceWeak: boolean): { answer: FactorAnswer; fromData: boolean } {
	if (factor.fromData?.kind === 'age-under') {
		if (age === null) return { answer, fromData: false };
		return { answer: age < factor.fromData.age ? 'yes' : 'no', fromData: true };
	}
	if (factor.fromData?.kind === 'alliance' && allianceWeak) return { answer: 'yes', fromData: answer !== 'yes' };
	return { answer, fromData: false };
}

/**
 * Every condition that holds for the episode now: checklist factors answered (or filled in) yes,
 * and the signals of the data — alliance below cutoff or dropped, no reliable improvement at a
 * checkpoint (unless the change from intake is reliable now), reliable deterioration at the
 * latest rating, and the attendance signals. A checklist with reasons, never a score
 * (docs/clinical/dropout-and-milestones.md).
 */
export function riskConditions(input: RiskInput): RiskCondition[] {
	const out: RiskCondition[] = [];
	for (const factor of input.checklist.factors) {
		const { answer } = factorFromData(factor, input.answers[factor.key] ?? 'unknown', input.age, false);
		if (answer === 'yes') {
			out.push({
				key: `factor:${factor.key}`,
				source: 'factor',
				rule: factor.key,
				rulesVersion: FACTOR_RULES_VERSION,
				params: factor.fromData?.kind === 'age-under' && input.age !== null ? { age: input.age, under: factor.fromData.age } : {},
				text: factor.label.en ?? factor.key
			});
		}
	}

	if (input.thresholds !== null) {
		const everyRating = input.judging === 'every-rating';
		out.push(...ratingConditions(everyRating ? input.history : judgedHistory(input.history, input.now), input.thresholds, input.model, !everyRating));
	}

	for (const s of attendanceSignals(input.appointments, input.episode, input.now, input.attendance)) {
		out.push({ key: `signal:${s.rule}`, source: 'signal', rule: s.rule, rulesVersion: ATTENDANCE_RULES_VERSION, params: s.params, text: s.text });
	}
	return out;
}

/**
 * How long an appointment lasts, minutes: the store keeps only its start, so a session counts as
 * over this long after it began. An ordinary outpatient session is 45–60 minutes and the outcome
 * and alliance ratings are taken at its start and its end (docs/clinical/change.md, after OpenFIT), so 60
 * minutes covers a session that runs to the hour.
 */
export const APPOINTMENT_MINUTES = 60;

/**
 * The sessions whose ratings can be judged at `now`: all of them, except the latest attended
 * session while it is still going on — begun less than `APPOINTMENT_MINUTES` ago and without all
 * its ratings yet. A session is judged once its ratings are complete (outcome at the start,
 * alliance at the end) or once it is over; until then the outcome rating given at its start
 * changes no flag, so a flag about the alliance is not cleared by a session that has no alliance
 * rating yet, and raised again when it comes (docs/clinical/dropout-and-milestones.md: one flag per standing
 * condition).
 * @example judgedHistory(history, new Date(Date.parse(history.at(-1)!.date) + 5 * 60_000)) // without the last session when it has only its outcome rating
 */
export function judgedHistory(history: History, now: Date, expects: { outcome: boolean; alliance: boolean } = { outcome: true, alliance: true }): History {
	for (let i = history.length - 1; i >= 0; i--) {
		const entry = history[i]!;
		if (entry.attendance !== 'attended') continue;
		const complete = (!expects.outcome || entry.outcome !== null) && (!expects.alliance || entry.alliance !== null);
		const over = now.getTime() >= Date.parse(entry.date) + APPOINTMENT_MINUTES * 60_000;
		return complete || over ? history : history.slice(0, i);
	}
	return history;
}

/**
 * The history up to and including the latest attended session that has a rating of the given
 * kind: a session where that rating was not given says nothing new about it, so a standing
 * condition on it holds until a later rating clears it (a missing rating never clears a flag).
 */
function upToLatestRated(history: History, kind: 'outcome' | 'alliance'): History {
	for (let i = history.length - 1; i >= 0; i--) {
		const entry = history[i]!;
		if (entry.attendance === 'attended' && entry[kind] !== null) return history.slice(0, i + 1);
	}
	return history;
}

/** Whether the alliance signal is below the cutoff or dropped now (the weak-alliance factor's data). */
export function allianceIsWeak(history: History, thresholds: NonNullable<RiskInput['thresholds']>, model: ExpectedModel | null, now?: Date): boolean {
	const judged = now === undefined ? history : upToLatestRated(judgedHistory(history, now), 'alliance');
	const level = sessionSignals(judged, thresholds, model).alliance.level;
	return level === 'below-cutoff' || level === 'dropped';
}

function ratingConditions(judged: History, thresholds: NonNullable<RiskInput['thresholds']>, model: ExpectedModel | null, latestRated = true): RiskCondition[] {
	const out: RiskCondition[] = [];
	const history = latestRated ? upToLatestRated(judged, 'outcome') : judged;
	const signals = sessionSignals(history, thresholds, model);
	const alliance = sessionSignals(latestRated ? upToLatestRated(judged, 'alliance') : judged, thresholds, model).alliance;
	const allianceWeak = alliance.level === 'below-cutoff' || alliance.level === 'dropped';
	if (allianceWeak) {
		for (const r of alliance.reasons) {
			if (r.rule === 'alliance-below-cutoff' || r.rule === 'alliance-dropped') {
				out.push({ key: `signal:${r.rule}`, source: 'signal', rule: r.rule, rulesVersion: SIGNAL_RULES_VERSION, params: r.params, text: r.text });
			}
		}
	}

	const cp = checkpoints(history, {
		discussSession: thresholds.checkpoints?.discussSession ?? CHECKPOINT_DISCUSS_SESSION,
		changeApproachSession: thresholds.checkpoints?.changeApproachSession ?? CHECKPOINT_CHANGE_APPROACH_SESSION,
		rci: thresholds.outcome.rci,
		strict: thresholds.outcome.strict === true
	});
	const improvedNow = signals.outcome.reasons.some((r) => r.rule === 'reliable-improvement');
	if (cp.deterioration.status === 'triggered' && cp.deterioration.latestDeteriorated) {
		const r = signals.outcome.reasons.find((x) => x.rule === 'reliable-deterioration');
		out.push({
			key: 'signal:reliable-deterioration',
			source: 'signal',
			rule: 'reliable-deterioration',
			rulesVersion: SIGNAL_RULES_VERSION,
			params: r?.params ?? { session: cp.deterioration.firstSession ?? 0 },
			text: r?.text ?? 'Reliable deterioration since intake.'
		});
	} else if (!improvedNow) {
		const change = cp.changeApproach.status === 'triggered' ? cp.changeApproach : cp.discuss.status === 'triggered' ? cp.discuss : null;
		if (change !== null) {
			const rule = change === cp.changeApproach ? 'no-reliable-improvement-change-approach' : 'no-reliable-improvement-discuss';
			const params = { session: change.evaluatedAt ?? change.session, checkpoint: change.session, change: change.change ?? 0, rci: thresholds.outcome.rci };
			out.push({
				key: `signal:${rule}`,
				source: 'signal',
				rule,
				rulesVersion: SIGNAL_RULES_VERSION,
				params,
				text: `No reliable improvement at session ${params.session} (checkpoint ${change.session}).`
			});
		}
	}
	return out;
}

/** What a flag is about, for filtering a caseload: the checklist, the alliance, progress, attendance or a transition. */
export const FLAG_KINDS = ['factor', 'alliance', 'progress', 'attendance', 'transition'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/**
 * The kind of a flag from its source and rule.
 * @example flagKind('signal', 'long-gap') // 'attendance'
 */
export function flagKind(source: 'factor' | 'signal', rule: string): FlagKind {
	if (source === 'factor') return 'factor';
	if (rule.startsWith('alliance-')) return 'alliance';
	if (rule === 'transition-near') return 'transition';
	if (rule === 'missed-recently' || rule === 'missed-share' || rule === 'long-gap') return 'attendance';
	return 'progress';
}
