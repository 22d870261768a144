/**
 * The life of an episode as the clinic records it: opened, moved (a transition), ended with a
 * reason, reopened within a window, or followed by a new one. Pure: dates are 'YYYY-MM-DD' in the
 * clinic's calendar and `today` is passed in.
 */

export const END_REASONS = ['planned_completion', 'dropout', 'transfer', 'other'] as const;
export type EndReason = (typeof END_REASONS)[number];

/**
 * An episode ended less than this many days ago is reopened when the patient comes back; a later
 * return is a new episode. Stemme's default, a configuration and not a published threshold: the
 * national drop-out work (docs/clinical/dropout-and-milestones.md, "back on track") asks that a
 * patient who stopped coming can return to the same course without a new referral while the
 * course is still fresh.
 */
export const REOPEN_WINDOW_DAYS = 30;

/**
 * Feedback counts as "used regularly" when both ratings (outcome and alliance) were given at this
 * share of the attended sessions. The programme asks for both every session
 * (docs/clinical/measures.md, "The family"); the national pathway code for "feedback tool used"
 * (docs/clinical/fhir.md, "National pathway code at discharge") says "regularly" without a number,
 * so Stemme's default allows one session in four without both — a configuration, not a source.
 */
export const FEEDBACK_REGULAR_SHARE = 0.75;
/** Fewer attended sessions than this are too few to call any use "regular". Stemme default. */
export const FEEDBACK_REGULAR_MIN_SESSIONS = 3;

const DAY_MS = 86_400_000;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in 'YYYY-MM-DD' between 1900 and 2199 (a form's date field). */
export function isCalendarDate(value: string): boolean {
	const m = YMD.exec(value);
	if (m === null) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	if (y < 1900 || y > 2199) return false;
	const date = new Date(Date.UTC(y, mo - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Whole days from `a` to `b` (negative when `b` is earlier).
 * @example daysBetween('2026-11-01', '2026-11-23') // 22
 */
export function daysBetween(a: string, b: string): number {
	return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/**
 * Whether an ended episode may be reopened today (ended less than REOPEN_WINDOW_DAYS ago).
 * @example canReopen('2026-11-01', '2026-11-23') // true (22 days)
 */
export function canReopen(actualEnd: string | null, today: string): boolean {
	if (actualEnd === null) return false;
	const days = daysBetween(actualEnd, today);
	return days >= 0 && days < REOPEN_WINDOW_DAYS;
}

export interface FeedbackUse {
	attended: number;
	/** Attended sessions with both an outcome and an alliance rating. */
	withBoth: number;
	/** withBoth / attended, 0 when nothing was attended. */
	share: number;
	regular: boolean;
}

/**
 * How regularly feedback was used in an episode: the share of attended sessions with both ratings.
 * @example feedbackUse([{ status: 'attended', kinds: ['outcome', 'alliance'] }, { status: 'attended', kinds: ['outcome'] }])
 * // { attended: 2, withBoth: 1, share: 0.5, regular: false }
 */
export function feedbackUse(sessions: readonly { status: string; kinds: readonly (string | null)[] }[]): FeedbackUse {
	const attended = sessions.filter((s) => s.status === 'attended');
	const withBoth = attended.filter((s) => s.kinds.includes('outcome') && s.kinds.includes('alliance')).length;
	const share = attended.length === 0 ? 0 : withBoth / attended.length;
	return { attended: attended.length, withBoth, share, regular: attended.length >= FEEDBACK_REGULAR_MIN_SESSIONS && share >= FEEDBACK_REGULAR_SHARE };
}

export interface PastEpisode {
	id: number;
	startDate: string;
	actualEnd: string | null;
	endReason: EndReason | null;
}

/**
 * The patient's most recent earlier episode that ended in drop-out, for the checklist's "earlier
 * drop-out" factor (docs/clinical/dropout-and-milestones.md, checklist item 10); null when none.
 * @example earlierDropout([{ id: 1, startDate: '2025-01-10', actualEnd: '2025-04-02', endReason: 'dropout' }])?.actualEnd // '2025-04-02'
 */
export function earlierDropout(episodes: readonly PastEpisode[]): (PastEpisode & { actualEnd: string }) | null {
	let found: (PastEpisode & { actualEnd: string }) | null = null;
	for (const e of episodes) {
		if (e.endReason !== 'dropout' || e.actualEnd === null) continue;
		if (found === null || e.actualEnd > found.actualEnd) found = { ...e, actualEnd: e.actualEnd };
	}
	return found;
}

/**
 * The transition date the risk rule reads: of the recorded transitions, the one nearest today
 * (a planned one ahead or a recent one behind); without any, the date given on the checklist.
 * @example transitionForRisk(['2026-10-01', '2026-11-30'], null, '2026-11-23') // '2026-11-30'
 */
export function transitionForRisk(recorded: readonly string[], checklistDate: string | null, today: string): string | null {
	let best: string | null = null;
	for (const date of recorded) {
		if (best === null || Math.abs(daysBetween(today, date)) < Math.abs(daysBetween(today, best))) best = date;
	}
	return best ?? checklistDate;
}

export type EndingProblem = 'endDate-before-start' | 'endDate-in-future' | 'lastAttended-required' | 'lastAttended-after-end' | 'lastAttended-before-start' | 'dropout-after-planned-end';

/**
 * Checks an ending against the episode: the end lies between the start and today; a drop-out is a
 * unilateral end before the planned end and names the last attended session.
 */
export function endingProblem(
	episode: { startDate: string; plannedEnd: string | null },
	ending: { reason: EndReason; endDate: string; lastAttendedDate: string | null },
	today: string
): EndingProblem | null {
	if (ending.endDate < episode.startDate) return 'endDate-before-start';
	if (ending.endDate > today) return 'endDate-in-future';
	if (ending.reason !== 'dropout') return null;
	if (ending.lastAttendedDate === null) return 'lastAttended-required';
	if (ending.lastAttendedDate > ending.endDate) return 'lastAttended-after-end';
	if (ending.lastAttendedDate < episode.startDate) return 'lastAttended-before-start';
	if (episode.plannedEnd !== null && ending.endDate >= episode.plannedEnd) return 'dropout-after-planned-end';
	return null;
}
