import type { History } from '../history';

/** The age bands the field reports by (docs/clinical/statistics.md: clients by age band). */
export const AGE_BANDS = ['under-18', '18-24', '25-plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Under 18: the child and youth measures' age; 18–24: young adults, the checklist's young age (docs/clinical/dropout-and-milestones.md). */
const ADULT_FROM = 18;
const OLDER_FROM = 25;

/**
 * The age band of an age in whole years; null when the age is unknown.
 * @example ageBand(17) // 'under-18'; ageBand(24) // '18-24'; ageBand(25) // '25-plus'
 */
export function ageBand(age: number | null): AgeBand | null {
	if (age === null) return null;
	return age < ADULT_FROM ? 'under-18' : age < OLDER_FROM ? '18-24' : '25-plus';
}

export interface Dose {
	episodes: number;
	/** Attended sessions per episode; null without episodes. */
	meanSessions: number | null;
	medianSessions: number | null;
	/** Weeks from the start to the last attended session, mean over episodes with a session; null when none has one. */
	meanWeeks: number | null;
}

/**
 * Sessions per episode and weeks in treatment (docs/clinical/statistics.md: mean sessions per
 * episode; treatment length from opening to the last session).
 * @example dose([{ startDate: '2026-01-05', history }]) // { episodes: 1, meanSessions: 3, medianSessions: 3, meanWeeks: 2 }
 */
export function dose(episodes: readonly { startDate: string; history: History }[]): Dose {
	const sessions: number[] = [];
	const weeks: number[] = [];
	for (const e of episodes) {
		const attended = e.history.filter((s) => s.attendance === 'attended');
		sessions.push(attended.length);
		const last = attended[attended.length - 1];
		if (last !== undefined) weeks.push((Date.parse(last.date.slice(0, 10)) - Date.parse(e.startDate)) / (7 * 86_400_000));
	}
	return { episodes: episodes.length, meanSessions: mean(sessions), medianSessions: median(sessions), meanWeeks: mean(weeks) };
}

function mean(values: readonly number[]): number | null {
	return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
