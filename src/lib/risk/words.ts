import { m } from '$lib/paraglide/messages';
import { reasonText } from '$lib/trajectory/words';
import type { SignalReason } from '$lib/domain/signal-reasons';

export interface FlagWordsInput {
	source: 'factor' | 'signal';
	rule: string;
	params: Readonly<Record<string, number>>;
	/** English fallback stored with the flag. */
	text: string;
}

type Message = (params: Record<string, string>) => string;
const messages = m as unknown as Record<string, Message | undefined>;

function whole(params: Readonly<Record<string, number>>): Record<string, string> {
	return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(Math.abs(v))]));
}

/**
 * What a flag is about, in the reader's language: a checklist factor by its label (from the
 * checklist in force, `factorLabel`), a signal by its reason with the figures behind it.
 */
export function flagText(flag: FlagWordsInput, factorLabel: (key: string) => string | null): string {
	const p = whole(flag.params);
	if (flag.source === 'factor') {
		const label = factorLabel(flag.rule) ?? flag.text;
		return flag.params.age !== undefined && flag.params.under !== undefined ? `${label}: ${say('reason_factor_age', p, '')}` : label;
	}
	if (ATTENDANCE.has(flag.rule)) return say(`reason_${attendanceVariant(flag).replaceAll('-', '_')}`, p, flag.text);
	return messages[`reason_${flag.rule.replaceAll('-', '_')}`] === undefined ? flag.text : reasonText({ rule: flag.rule, params: flag.params, text: flag.text } as SignalReason);
}

/**
 * A flag in the reader's language as one set of numbers: what it was raised on, with the session
 * it was judged at ("At session 3: …"), and, when the data has moved since, today's figures
 * beside it ("Now (session 5): …"). `raisedParams` null (flags from before they were kept): the
 * current figures are the only ones.
 */
export function flagWords(flag: FlagWordsInput & { raisedParams: Readonly<Record<string, number>> | null }, factorLabel: (key: string) => string | null): { raised: string; now: string | null } {
	const raisedParams = flag.raisedParams ?? flag.params;
	const atSession = (params: Readonly<Record<string, number>>, text: string, now: boolean) => {
		const session = params.session;
		if (flag.source !== 'signal' || session === undefined) return now ? m.flag_now({ text }) : text;
		return now ? m.flag_now_session({ session: String(session), text }) : m.flag_at_session({ session: String(session), text });
	};
	const raised = atSession(raisedParams, flagText({ ...flag, params: raisedParams }, factorLabel), false);
	const moved = Object.keys(flag.params).length !== Object.keys(raisedParams).length || Object.entries(flag.params).some(([k, v]) => raisedParams[k] !== v);
	return { raised, now: moved ? atSession(flag.params, flagText(flag, factorLabel), true) : null };
}

const ATTENDANCE = new Set(['missed-recently', 'missed-share', 'long-gap', 'transition-near']);

/** The message variant of an attendance rule: no session yet, or which side of the transition. */
function attendanceVariant(flag: FlagWordsInput): string {
	if (flag.rule === 'long-gap') return flag.params.attended === 0 ? 'long-gap-none' : 'long-gap';
	if (flag.rule === 'transition-near') {
		const days = flag.params.days ?? 0;
		return days === 0 ? 'transition-today' : days > 0 ? 'transition-ahead' : 'transition-past';
	}
	return flag.rule;
}

function say(key: string, params: Record<string, string>, fallback: string): string {
	const message = messages[key];
	return message === undefined ? fallback : message(params);
}

export const flagKindLabel = {
	factor: m.flagkind_factor,
	alliance: m.flagkind_alliance,
	progress: m.flagkind_progress,
	attendance: m.flagkind_attendance,
	transition: m.flagkind_transition
} as const;

export const answerLabel = { yes: m.answer_yes, no: m.answer_no, unknown: m.answer_unknown } as const;

export const attentionLabel = {
	unacknowledged: m.attention_unacknowledged,
	overdue: m.attention_overdue,
	open: m.attention_open,
	none: m.attention_none
} as const;
