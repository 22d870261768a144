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

export function chartText(): ChartText {
	return {
		outcomeTotal: m.chart_outcome_total(),
		allianceTotal: m.chart_alliance_total(),
		cutoff: (value) => m.chart_cutoff({ value }),
		allianceCutoff: (value) => m.chart_alliance_cutoff({ value }),
		target: m.chart_target(),
		critical: m.chart_critical(),
		expected: m.chart_expected(),
		improved: m.chart_improved(),
		deteriorated: m.chart_deteriorated(),
		missed: m.chart_missed(),
		reason: reasonText,
		number: formatScore
	};
}
