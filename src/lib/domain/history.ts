/**
 * The shape of one episode's sessions, shared by the tablet, charts, signals, checkpoints,
 * drop-out flags and statistics.
 *
 * Numbering: `session` counts sessions that took place, 1 = intake. An appointment that did not
 * take place (no-show, cancellation) is kept in the list, in date order, with the number the
 * session would have had; the next attended session carries that same number. So numbers never
 * decrease, and each number belongs to at most one attended entry.
 *
 * Missing data stays missing: a rating not given is `null`. Nothing in the domain interpolates,
 * carries forward or imputes a rating.
 */

/** Same spellings as the database's appointment statuses (a future 'scheduled' appointment is
 *  not part of a history). */
export const ATTENDANCE = ['attended', 'no_show', 'late_cancellation', 'cancelled'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

/** A scored rating as stored: the instrument it was given on, the total and each item, 0–10. */
export interface Rating {
	instrumentId: string;
	instrumentVersion: number;
	total: number;
	items: Readonly<Record<string, number>>;
}

export interface SessionEntry {
	/** 1 = intake; see the numbering note above. */
	session: number;
	/** ISO 8601 date (or date-time) of the appointment. */
	date: string;
	attendance: Attendance;
	/** Outcome rating given at the start of this session; null when not given. */
	outcome: Rating | null;
	/** Alliance rating given at the end of this session; null when not given. */
	alliance: Rating | null;
}

/** All sessions of one episode in date order. */
export type History = readonly SessionEntry[];

/** How an episode ended (the database's end reasons); null while it is open. */
export const EPISODE_ENDINGS = ['planned_completion', 'dropout', 'transfer', 'other'] as const;
export type EpisodeEnding = (typeof EPISODE_ENDINGS)[number];

/**
 * Problems that break the rules above, one sentence each; empty when the history is sound.
 * @example historyProblems([{ session: 2, … }, { session: 1, … }]) // ['entry 1: session 1 comes after session 2']
 */
export function historyProblems(history: History): string[] {
	const problems: string[] = [];
	let previous: SessionEntry | null = null;
	const attendedNumbers = new Set<number>();
	history.forEach((entry, i) => {
		if (!Number.isInteger(entry.session) || entry.session < 1) {
			problems.push(`entry ${i}: session must be a whole number from 1, got ${entry.session}`);
		}
		if (previous !== null && entry.session < previous.session) {
			problems.push(`entry ${i}: session ${entry.session} comes after session ${previous.session}`);
		}
		if (previous !== null && entry.date < previous.date) {
			problems.push(`entry ${i}: date ${entry.date} is before ${previous.date}`);
		}
		if (entry.attendance === 'attended') {
			if (attendedNumbers.has(entry.session)) problems.push(`entry ${i}: session ${entry.session} is attended twice`);
			attendedNumbers.add(entry.session);
		} else if (entry.outcome !== null || entry.alliance !== null) {
			problems.push(`entry ${i}: a session that did not take place has a rating`);
		}
		previous = entry;
	});
	return problems;
}

/** An outcome rating with the session it belongs to. */
export interface RatedSession {
	session: number;
	total: number;
}

/**
 * The outcome totals of the attended sessions that have one, in order (missing ones skipped,
 * never filled in).
 * @example outcomeSeries(history) // [{ session: 1, total: 17.2 }, { session: 3, total: 21 }]
 */
export function outcomeSeries(history: History): RatedSession[] {
	const series: RatedSession[] = [];
	for (const entry of history) {
		if (entry.attendance === 'attended' && entry.outcome !== null) {
			series.push({ session: entry.session, total: entry.outcome.total });
		}
	}
	return series;
}

/**
 * The intake outcome rating: the rating of attended session 1, or null when the intake has none
 * (the episode then has no baseline; it is reported as missing, not replaced by a later rating).
 * @example intakeRating(history)?.instrumentId // 'stemme-outcome-adult'
 */
export function intakeRating(history: History): Rating | null {
	for (const entry of history) {
		if (entry.session === 1 && entry.attendance === 'attended') return entry.outcome;
		if (entry.session > 1) return null;
	}
	return null;
}

/**
 * The intake outcome total (see `intakeRating`), or null.
 * @example intakeScore(history) // 17.2
 */
export function intakeScore(history: History): number | null {
	return intakeRating(history)?.total ?? null;
}

/**
 * Whether two ratings were given on the same scale: the same instrument id AND version. Totals of
 * different instruments (a child and an adult measure, or two versions of a pack) are not
 * compared as if they were one scale.
 * @example sameInstrument(intake, latest) // false when the intake was 'stemme-outcome-child' v1
 */
export function sameInstrument(a: Rating, b: Rating): boolean {
	return a.instrumentId === b.instrumentId && a.instrumentVersion === b.instrumentVersion;
}

/** The outcome ratings of an episode that can be compared with one another (see `intakeScale`). */
export interface IntakeScale {
	/** The intake rating, or null (then nothing is compared). */
	intake: Rating | null;
	/** The intake and every later outcome rating on the same instrument id and version, in order. */
	series: RatedSession[];
	/** Outcome ratings of attended sessions on another instrument or version, left out of `series`. */
	otherScale: RatedSession[];
}

/**
 * The one rule by which outcome change is compared (docs/clinical/change.md, "One scale at a
 * time"): an episode is judged on its intake's instrument; a rating on another instrument id or
 * version (a child measure's 20 and an adult measure's 27) is never compared with it. The episode
 * summary, checkpoints, flags, the session signal and the milestone "change since" all read this.
 * Without an intake rating the series is empty and every rating counts as `otherScale`.
 * @example intakeScale(history).series // [{ session: 1, total: 20 }, { session: 2, total: 22.5 }]
 */
export function intakeScale(history: History): IntakeScale {
	const intake = intakeRating(history);
	const series: RatedSession[] = [];
	const otherScale: RatedSession[] = [];
	for (const entry of history) {
		if (entry.attendance !== 'attended' || entry.outcome === null) continue;
		const rated = { session: entry.session, total: entry.outcome.total };
		if (intake !== null && sameInstrument(intake, entry.outcome)) series.push(rated);
		else otherScale.push(rated);
	}
	return { intake, series, otherScale };
}
