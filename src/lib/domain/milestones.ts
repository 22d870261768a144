import type { Localized } from './localized';
import { classifyChange, scoreChange, type ChangeClass, type ReliableChangeRule } from './change';
import { MILESTONE_INTERVAL_DAYS, PATHWAY_MAX_EVALUATION_DAYS } from './clinical-constants';
import { type History, intakeScale } from './history';

/**
 * Milestone meetings (docs/clinical/dropout-and-milestones.md, "Milestone meetings"): every fourth week the
 * patient and the team look at the whole course and decide. The national pathway asks for an
 * evaluation at least every 8 weeks outpatient and 6 weeks inpatient in the first year, with the
 * questions below.
 */

/** The pathway's evaluation questions (pakkeforløp TSB; same note), asked at every meeting. */
export const PATHWAY_QUESTIONS: readonly { key: string; text: Localized }[] = [
	{ key: 'useful', text: { nb: 'Opplever pasienten behandlingen som nyttig?', nn: 'Opplever pasienten behandlinga som nyttig?', en: 'Does the patient find treatment useful?' } },
	{ key: 'resources', text: { nb: 'Hvilke ressurser hjelper?', nn: 'Kva ressursar hjelper?', en: 'Which resources help?' } },
	{ key: 'followed-up', text: { nb: 'Er avtalte tiltak fulgt opp?', nn: 'Er avtalte tiltak følgde opp?', en: 'Were the agreed measures followed up?' } },
	{ key: 'more-assessment', text: { nb: 'Trengs mer utredning eller behandling?', nn: 'Trengst meir utgreiing eller behandling?', en: 'Is more assessment or treatment needed?' } },
	{ key: 'plan', text: { nb: 'Behandlingsplan / individuell plan: oppdatert?', nn: 'Behandlingsplan / individuell plan: oppdatert?', en: 'Treatment plan / individual plan: updated?' } },
	{
		key: 'municipal',
		text: { nb: 'Kommunale tjenester: hva trengs, hva er på plass?', nn: 'Kommunale tenester: kva trengst, kva er på plass?', en: 'Municipal services: what is needed, what is in place?' }
	},
	{ key: 'children', text: { nb: 'Barn som pårørende: er barna ivaretatt?', nn: 'Barn som pårørande: er borna tekne vare på?', en: 'Children as next of kin: are the children looked after?' } },
	{ key: 'peer', text: { nb: 'Kontakt med likepersoner / erfaringskonsulent?', nn: 'Kontakt med likepersonar / erfaringskonsulent?', en: 'Peer contact / peer support worker?' } }
];

export type Setting = keyof typeof PATHWAY_MAX_EVALUATION_DAYS;

/**
 * The days between meetings for a setting: the configured value, else every fourth week. A value
 * beyond the pathway's minimum frequency (56 days outpatient, 42 inpatient) is refused.
 * @example milestoneInterval('inpatient', {}) // { ok: true, days: 28 }
 * @example milestoneInterval('inpatient', { inpatient: 60 }) // { ok: false, max: 42 }
 */
export function milestoneInterval(setting: Setting, configured: Partial<Record<Setting, number>>): { ok: true; days: number } | { ok: false; max: number } {
	const days = configured[setting] ?? MILESTONE_INTERVAL_DAYS;
	const max = PATHWAY_MAX_EVALUATION_DAYS[setting];
	return Number.isInteger(days) && days >= 7 && days <= max ? { ok: true, days } : { ok: false, max };
}

export type NextMeetingCheck = { ok: true; days: number } | { ok: false; reason: 'not-after' | 'beyond-limit'; max: number; latest: string };

/**
 * Whether an agreed next meeting date keeps within the national pathway's limit
 * (docs/clinical/dropout-and-milestones.md, "Milestone meetings"): after the meeting held on
 * `heldOn`, and no more than 56 days later outpatient and in groups, 42 inpatient
 * (PATHWAY_MAX_EVALUATION_DAYS). `latest` is the last date allowed, to name in the refusal.
 * @example checkNextMeetingDate('inpatient', '2026-12-02', '2027-01-14') // { ok: false, reason: 'beyond-limit', max: 42, latest: '2027-01-13' }
 */
export function checkNextMeetingDate(setting: Setting, heldOn: string, next: string): NextMeetingCheck {
	const max = PATHWAY_MAX_EVALUATION_DAYS[setting];
	const latest = addDays(heldOn, max);
	const days = daysBetween(heldOn, next);
	if (days <= 0) return { ok: false, reason: 'not-after', max, latest };
	if (days > max) return { ok: false, reason: 'beyond-limit', max, latest };
	return { ok: true, days };
}

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' plus whole days. */
export function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export interface MeetingDue {
	date: string;
	/** A meeting already planned (possibly called early), or the interval from the last one / the start. */
	source: 'planned' | 'interval';
	status: 'overdue' | 'due' | 'later';
}

/**
 * When the next milestone meeting is due: a planned meeting's date when there is one (the earliest
 * not yet held), else the last held meeting's next date, else the interval after the last held
 * meeting or, before any, after the start. Overdue when the date is before today; due when it is
 * within `horizonDays` (both ends included).
 * @example nextMeeting({ start: '2026-10-01', lastHeld: null, nextAgreed: null, planned: null, intervalDays: 28 }, '2026-10-20', 14)
 * // { date: '2026-10-29', source: 'interval', status: 'due' }
 */
export function nextMeeting(e: { start: string; lastHeld: string | null; nextAgreed: string | null; planned: string | null; intervalDays: number }, today: string, horizonDays: number): MeetingDue {
	const date = e.planned ?? e.nextAgreed ?? addDays(e.lastHeld ?? e.start, e.intervalDays);
	const ahead = daysBetween(today, date);
	return { date, source: e.planned !== null ? 'planned' : 'interval', status: ahead < 0 ? 'overdue' : ahead <= horizonDays ? 'due' : 'later' };
}

export interface ChangeSince {
	fromSession: number;
	from: number;
	latestSession: number;
	latest: number;
	change: number;
	changeClass: ChangeClass;
}

/**
 * Change in the outcome from a session (the intake, or the last meeting's latest session) to the
 * latest rated session, classed with the same rules as change since intake
 * (docs/clinical/change.md). Only ratings on the intake's scale are compared (`intakeScale`). Null
 * when there is no such rating at or before `fromSession` or none after it.
 */
export function changeSince(history: History, fromSession: number, thresholds: { cutoff: number } & ReliableChangeRule): ChangeSince | null {
	const rated = intakeScale(history).series;
	const base = [...rated].reverse().find((e) => e.session <= fromSession);
	const last = rated.at(-1);
	if (base === undefined || last === undefined || last.session <= base.session) return null;
	const from = base.total;
	const latest = last.total;
	return {
		fromSession: base.session,
		from,
		latestSession: last.session,
		latest,
		change: scoreChange(from, latest),
		changeClass: classifyChange({ intake: from, latest, cutoff: thresholds.cutoff, rci: thresholds.rci, strict: thresholds.strict })
	};
}

/** Appointments since a date (inclusive) by what happened: attended, no-show, cancelled (late or in time). */
export function attendanceSince(
	appointments: readonly { at: string; status: string }[],
	since: string | null,
	now: Date
): { attended: number; noShow: number; lateCancelled: number; cancelled: number } {
	const out = { attended: 0, noShow: 0, lateCancelled: 0, cancelled: 0 };
	const from = since === null ? Number.NEGATIVE_INFINITY : Date.parse(`${since}T00:00:00Z`);
	for (const a of appointments) {
		const t = Date.parse(a.at);
		if (t < from || t > now.getTime()) continue;
		if (a.status === 'attended') out.attended++;
		else if (a.status === 'no_show') out.noShow++;
		else if (a.status === 'late_cancellation') out.lateCancelled++;
		else if (a.status === 'cancelled') out.cancelled++;
	}
	return out;
}

/** The factors whose answer differs between two checklists (an unanswered factor counts as unknown). */
export function checklistChanges(before: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): { key: string; from: string; to: string }[] {
	const keys = [...new Set([...Object.keys(before), ...Object.keys(now)])];
	return keys.map((key) => ({ key, from: before[key] ?? 'unknown', to: now[key] ?? 'unknown' })).filter((c) => c.from !== c.to);
}
