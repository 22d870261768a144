/**
 * Why a signal has its colour: a stable rule id plus the numbers, so the interface can render the
 * reason in nb, nn or en from its own message catalogue. `text` is an English fallback.
 */
export const SIGNAL_RULES = [
	'no-attended-session',
	'no-rating-this-session',
	'no-intake-rating',
	'fewer-than-two-ratings',
	'outcome-instrument-changed',
	'reliable-deterioration',
	'below-critical',
	'between-critical-and-target',
	'at-or-above-target',
	'reliable-improvement',
	'no-reliable-improvement-discuss',
	'no-reliable-improvement-change-approach',
	'before-first-checkpoint',
	'model-not-applicable',
	'alliance-missing',
	'alliance-below-cutoff',
	'alliance-dropped',
	'alliance-fine',
	'alliance-drop-not-judged',
	'alliance-not-measured'
] as const;
export type SignalRule = (typeof SIGNAL_RULES)[number];

export type SignalParams = Readonly<Record<string, number>>;

export interface SignalReason {
	rule: SignalRule;
	params: SignalParams;
	/** English fallback; the interface should render `rule` + `params` in the patient's language. */
	text: string;
}

const p = (params: SignalParams, key: string): string => {
	const value = params[key];
	return value === undefined ? '?' : String(Math.round(value * 10) / 10);
};

const TEXTS: Record<SignalRule, (params: SignalParams) => string> = {
	'no-attended-session': () => 'No session has taken place yet.',
	'no-rating-this-session': (x) => `No outcome rating at session ${p(x, 'session')}.`,
	'no-intake-rating': () => 'The intake session has no outcome rating, so change cannot be judged.',
	'fewer-than-two-ratings': () => 'Only the intake rating so far; change needs two ratings.',
	'outcome-instrument-changed': (x) => `Session ${p(x, 'session')} was rated on another outcome instrument than the intake; change is not judged across instruments.`,
	'reliable-deterioration': (x) => `Score ${p(x, 'latest')} is ${p(x, 'drop')} below the intake ${p(x, 'intake')} (reliable change is ${p(x, 'rci')}).`,
	'below-critical': (x) => `Score ${p(x, 'latest')} is below the critical line ${p(x, 'critical')} for session ${p(x, 'session')}.`,
	'between-critical-and-target': (x) => `Score ${p(x, 'latest')} is below the target ${p(x, 'target')} but at or above the critical line ${p(x, 'critical')}.`,
	'at-or-above-target': (x) => `Score ${p(x, 'latest')} is at or above the target ${p(x, 'target')} for session ${p(x, 'session')}.`,
	'reliable-improvement': (x) => `Score ${p(x, 'latest')} is ${p(x, 'change')} above the intake ${p(x, 'intake')} (reliable change is ${p(x, 'rci')}).`,
	'no-reliable-improvement-discuss': (x) => `No reliable improvement by session ${p(x, 'checkpoint')} (change ${p(x, 'change')}, reliable is ${p(x, 'rci')}): discuss it.`,
	'no-reliable-improvement-change-approach': (x) => `No reliable improvement by session ${p(x, 'checkpoint')} (change ${p(x, 'change')}, reliable is ${p(x, 'rci')}): consider changing the approach.`,
	'before-first-checkpoint': (x) => `No reliable change yet (change ${p(x, 'change')}); the first checkpoint is session ${p(x, 'checkpoint')}.`,
	'model-not-applicable': (x) => `The expected trajectory does not cover session ${p(x, 'session')}; rule checkpoints used.`,
	'alliance-missing': (x) => `No alliance rating at session ${p(x, 'session')}.`,
	'alliance-below-cutoff': (x) => `Alliance ${p(x, 'total')} is below the cutoff ${p(x, 'cutoff')}.`,
	'alliance-dropped': (x) => `Alliance fell from ${p(x, 'previous')} (session ${p(x, 'previousSession')}) to ${p(x, 'total')}, a drop of ${p(x, 'fall')}.`,
	'alliance-fine': (x) => `Alliance ${p(x, 'total')} is at or above the cutoff ${p(x, 'cutoff')} and did not drop.`,
	'alliance-drop-not-judged': (x) =>
		`Alliance ${p(x, 'total')} is at or above the cutoff ${p(x, 'cutoff')}; the previous rating (session ${p(x, 'previousSession')}) was on another instrument, so a drop is not judged.`,
	'alliance-not-measured': () => 'This episode has no alliance measure, so the alliance is not judged.'
};

/**
 * A reason with its English fallback text.
 * @example reason('alliance-below-cutoff', { total: 34.5, cutoff: 36 }).text // 'Alliance 34.5 is below the cutoff 36.'
 */
export function reason(rule: SignalRule, params: SignalParams = {}): SignalReason {
	return { rule, params, text: TEXTS[rule](params) };
}
