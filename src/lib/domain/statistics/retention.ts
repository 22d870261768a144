/** One episode on the retention curve: days in treatment until it ended or was censored. */
export interface Survival {
	days: number;
	/** True when it ended by drop-out (an event); planned endings, transfers, other endings and open episodes are censored. */
	dropout: boolean;
}

export interface RetentionStep {
	/** Whole weeks since the start (days / 7, rounded down). */
	week: number;
	/** Episodes still in treatment and observed at the start of this week. */
	atRisk: number;
	dropouts: number;
	censored: number;
	/** Kaplan–Meier estimate of the share still in treatment after this week, 0–1. */
	retained: number;
}

/**
 * The Kaplan–Meier retention curve by week (docs/clinical/statistics.md, "Drop-out over time"):
 * S(t) = Π over weeks ≤ t of (1 − dropouts / at risk). Ties: an episode censored in a week is
 * still counted at risk in that week (events before censorings, the usual convention). Weeks with
 * nothing happening are listed too, so the number at risk can be read under every week.
 * @example retention([{ days: 14, dropout: true }, { days: 30, dropout: false }]) // week 2: atRisk 2, retained 0.5
 */
export function retention(episodes: readonly Survival[]): RetentionStep[] {
	if (episodes.length === 0) return [];
	const weeks = episodes.map((e) => ({ week: Math.floor(Math.max(0, e.days) / 7), dropout: e.dropout }));
	const last = Math.max(...weeks.map((w) => w.week));
	const dropouts = new Array<number>(last + 1).fill(0);
	const censored = new Array<number>(last + 1).fill(0);
	for (const w of weeks) (w.dropout ? dropouts : censored)[w.week]!++;
	const steps: RetentionStep[] = [];
	let atRisk = episodes.length;
	let retained = 1;
	for (let week = 0; week <= last; week++) {
		const d = dropouts[week]!;
		const c = censored[week]!;
		if (atRisk > 0) retained *= 1 - d / atRisk;
		steps.push({ week, atRisk, dropouts: d, censored: c, retained });
		atRisk -= d + c;
	}
	return steps;
}
