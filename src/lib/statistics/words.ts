import { m } from '$lib/paraglide/messages';
import { flagKind } from '$lib/domain/risk';
import { flagKindLabel } from '$lib/risk/words';
import type { Cell } from '$lib/domain/statistics/small-cells';

/** The words of the statistics page and its CSV files, one map per vocabulary. */
export const endingLabel = {
	planned_completion: m.st_ending_planned_completion,
	dropout: m.st_ending_dropout,
	transfer: m.st_ending_transfer,
	other: m.st_ending_other
} as const;

export const effectLabel = { 'with-effect': m.st_effect_with_effect, 'without-effect': m.st_effect_without_effect, 'not-measured': m.st_effect_not_measured } as const;

export const classLabel = { recovered: m.st_class_recovered, improved: m.st_class_improved, unchanged: m.st_class_unchanged, deteriorated: m.st_class_deteriorated } as const;

export const ageLabel = { 'under-18': m.st_age_under_18, '18-24': m.st_age_18_24, '25-plus': m.st_age_25_plus } as const;

export const channelLabel: Record<string, () => string> = { tablet: m.st_channel_tablet, paper: m.st_channel_paper };

/**
 * A sign's name: a checklist factor by its label in the checklist in force, a signal rule by its
 * kind and the reason's own words when the catalogue has them.
 */
export function signLabel(sign: string, factorLabel: (key: string) => string | null): string {
	const [source, rule = ''] = sign.split(':', 2) as [string, string | undefined];
	if (source === 'factor') return factorLabel(rule) ?? rule;
	return m.st_sign_signal({ kind: flagKindLabel[flagKind('signal', rule)](), rule: rule.replaceAll('-', ' ') });
}

/** A count as shown: the number, or "< 5". */
export function cellText(c: Cell, minCell: number): string {
	return c.suppressed ? m.st_suppressed({ cell: String(minCell) }) : String(c.n);
}

export const raterLabel = { patient: m.st_rater_patient, collateral: m.st_rater_collateral } as const;

export const reliableLabel = { improved: m.st_reliable_improved, 'no-change': m.st_reliable_no_change, deteriorated: m.st_reliable_deteriorated } as const;

/** The session signal's levels, outcome and alliance, as the team lead's list names them. */
export const levelLabel = {
	'not-on-track': m.st_level_not_on_track,
	watch: m.st_level_watch,
	'on-track': m.st_level_on_track,
	none: m.st_level_none,
	'below-cutoff': m.st_level_below_cutoff,
	dropped: m.st_level_dropped,
	fine: m.st_level_fine,
	missing: m.st_level_missing,
	'not-measured': m.st_level_not_measured
} as const;
