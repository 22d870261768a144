import { m } from '$lib/paraglide/messages';
import { formatScore } from '$lib/format';
import type { SignalReason } from '$lib/domain/signal-reasons';
import type { ChartText, SignalLevel } from './chart-data';

const WHOLE = new Set(['session', 'previousSession', 'checkpoint']);
type Message = (params: Record<string, string>) => string;

/** A signal's reason in the reader's language, numbers with their decimal sign. */
export function reasonText(reason: SignalReason): string {
	const params = Object.fromEntries(Object.entries(reason.params).map(([k, v]) => [k, WHOLE.has(k) ? String(v) : formatScore(v)]));
	const message = (m as unknown as Record<string, Message | undefined>)[`reason_${reason.rule.replaceAll('-', '_')}`];
	return message === undefined ? reason.text : message(params);
}

/** A signal level's name. */
export function levelText(level: SignalLevel): string {
	const message = (m as unknown as Record<string, Message | undefined>)[`level_${level.replaceAll('-', '_')}`];
	return message === undefined ? level : message({});
}

/**
 * The chart's words in the viewer's language. `plain`: the together view's words for the patient
 * (the lines described by what they mean, no "critical", no "clinical cutoff").
 */
export function chartText(plain = false): ChartText {
	return {
		outcomeTotal: m.chart_outcome_total(),
		allianceTotal: m.chart_alliance_total(),
		cutoff: plain ? () => m.chart_cutoff_plain() : (value) => m.chart_cutoff({ value }),
		allianceCutoff: plain ? () => m.chart_alliance_cutoff_plain() : (value) => m.chart_alliance_cutoff({ value }),
		target: plain ? m.chart_target_plain() : m.chart_target(),
		critical: plain ? m.chart_critical_plain() : m.chart_critical(),
		expected: plain ? m.chart_expected_plain() : m.chart_expected(),
		followUp: m.chart_follow_up(),
		ended: m.chart_ended(),
		improved: plain ? m.chart_improved_plain() : m.chart_improved(),
		deteriorated: plain ? m.chart_deteriorated_plain() : m.chart_deteriorated(),
		missed: plain ? m.chart_missed_plain() : m.chart_missed(),
		reason: reasonText,
		number: formatScore
	};
}
