import { m } from '$lib/paraglide/messages';
import { goalStatuses, type DischargePlanFields, type MeetingParticipants } from '../db/schema';
import { id, isCalendarDate, single, text, type Parsed } from '../risk/forms';
import type { GoalStatus } from './plan';
import { checkNextMeetingDate, type Setting } from '$lib/domain/milestones';
import { formatDate } from '$lib/format';
import type { AgreedAction } from './meetings';

const LONG = 4_000;
const SHORT = 200;
/** Rows for the people who took part from outside the team (the patient's relatives, others). */
export const PEOPLE_ROWS = 6;
/** Rows for the actions the meeting agrees. */
export const ACTION_ROWS = 3;

function date(form: FormData, name: string, field: string, required: boolean): Parsed<string | null> {
	const raw = single(form, name);
	if (raw === null) return { ok: false, message: m.field_invalid({ field }) };
	if (raw === undefined || raw === '') return required ? { ok: false, message: m.field_required({ field }) } : { ok: true, value: null };
	return isCalendarDate(raw) ? { ok: true, value: raw } : { ok: false, message: m.field_invalid({ field }) };
}

/** Planning: a date (today or later) and who presents (a team member who is not the responsible clinician). */
export function parsePlanForm(form: FormData, presenters: readonly { id: number }[], today: string): Parsed<{ date: string; presenterId: number | null }> {
	const d = date(form, 'date', m.meeting_date(), true);
	if (!d.ok) return d;
	if (d.value! < today) return { ok: false, message: m.meeting_date_past() };
	const raw = single(form, 'presenter');
	if (raw === undefined || raw === '') return { ok: true, value: { date: d.value!, presenterId: null } };
	const p = id(form, 'presenter', m.meeting_presenter());
	if (!p.ok) return p;
	if (!presenters.some((x) => x.id === p.value)) return { ok: false, message: m.meeting_presenter_outside() };
	return { ok: true, value: { date: d.value!, presenterId: p.value } };
}

export interface RecordForm {
	meetingId: number | null;
	participants: MeetingParticipants;
	answers: Record<string, string>;
	decisions: string;
	patientWords: string;
	nextDate: string | null;
	/** The day the meeting was held: today unless the user gives an earlier day. */
	heldOn: string;
	/** The actions agreed: what, who (a team member), by when (today or later). */
	actions: AgreedAction[];
}

/**
 * The meeting's record: who took part, the answers, decisions, the patient's words, the next date.
 * The next date must come after today (the meeting is held today) and within the pathway's limit
 * for the episode's setting (docs/clinical/dropout-and-milestones.md): 56 days outpatient and
 * group, 42 inpatient; the refusal names the limit and the last date allowed.
 */
export function parseRecordForm(
	form: FormData,
	questions: readonly { key: string; text: string }[],
	today: string,
	setting: Setting,
	team: readonly { id: number; name: string }[]
): Parsed<RecordForm> {
	let meetingId: number | null = null;
	const rawMeeting = single(form, 'meeting');
	if (rawMeeting !== undefined && rawMeeting !== '') {
		const parsed = id(form, 'meeting', m.meeting_title());
		if (!parsed.ok) return parsed;
		meetingId = parsed.value;
	}
	const present = single(form, 'patientPresent');
	if (present === null || (present !== undefined && present !== 'on')) return { ok: false, message: m.field_invalid({ field: m.meeting_patient_present() }) };
	const people: MeetingParticipants['people'] = [];
	// Team members are ticked by id and stored by name too, so the record reads without the team.
	for (const raw of form.getAll('member')) {
		const member = typeof raw === 'string' && /^[1-9][0-9]{0,9}$/.test(raw) ? team.find((t) => t.id === Number(raw)) : undefined;
		// A ticked box comes once; the same member twice is not a form this page sends.
		if (member === undefined || people.some((p) => p.userId === member.id)) return { ok: false, message: m.field_invalid({ field: m.meeting_team_present() }) };
		people.push({ role: '', name: member.name, userId: member.id });
	}
	for (let i = 0; i < PEOPLE_ROWS; i++) {
		const role = text(form, `role-${i}`, `${m.meeting_role()} ${i + 1}`, SHORT, false);
		if (!role.ok) return role;
		const name = text(form, `name-${i}`, `${m.meeting_name()} ${i + 1}`, SHORT, false);
		if (!name.ok) return name;
		if (role.value !== '' || name.value !== '') people.push({ role: role.value, name: name.value });
	}
	const answers: Record<string, string> = {};
	for (const q of questions) {
		const a = text(form, `q-${q.key}`, q.text, LONG, false);
		if (!a.ok) return a;
		if (a.value !== '') answers[q.key] = a.value;
	}
	const decisions = text(form, 'decisions', m.meeting_decisions(), LONG, false);
	if (!decisions.ok) return decisions;
	const words = text(form, 'patientWords', m.meeting_patient_words(), LONG, false);
	if (!words.ok) return words;
	const held = date(form, 'heldOn', m.meeting_held_on(), false);
	if (!held.ok) return held;
	const heldOn = held.value ?? today;
	if (heldOn > today) return { ok: false, message: m.meeting_held_future({ field: m.meeting_held_on() }) };
	const next = date(form, 'nextDate', m.meeting_next_date(), false);
	if (!next.ok) return next;
	if (next.value !== null) {
		const check = checkNextMeetingDate(setting, today, next.value);
		if (!check.ok && check.reason === 'not-after') return { ok: false, message: m.meeting_next_past() };
		if (!check.ok) return { ok: false, message: m.meeting_next_beyond_limit({ max: String(check.max), weeks: String(check.max / 7), latest: formatDate(check.latest) }) };
	}
	const actions = parseAgreedActions(form, team, today);
	if (!actions.ok) return actions;
	return {
		ok: true,
		value: {
			meetingId,
			participants: { patientPresent: present === 'on', people },
			answers,
			decisions: decisions.value,
			patientWords: words.value,
			nextDate: next.value,
			heldOn,
			actions: actions.value
		}
	};
}

/** The action rows: an empty row is skipped; a row begun needs all three fields, each named with its row. */
function parseAgreedActions(form: FormData, team: readonly { id: number }[], today: string): Parsed<AgreedAction[]> {
	const out: AgreedAction[] = [];
	for (let i = 0; i < ACTION_ROWS; i++) {
		const n = ` ${i + 1}`;
		const whatField = m.meeting_action_what() + n;
		const what = text(form, `action-${i}-what`, whatField, 1_000, false);
		if (!what.ok) return what;
		const owner = single(form, `action-${i}-owner`);
		const due = single(form, `action-${i}-due`);
		if (owner === null) return { ok: false, message: m.field_invalid({ field: m.action_owner() + n }) };
		if (due === null) return { ok: false, message: m.field_invalid({ field: m.action_due() + n }) };
		if (what.value === '' && (owner ?? '') === '' && (due ?? '') === '') continue;
		if (what.value === '') return { ok: false, message: m.field_required({ field: whatField }) };
		if (owner === undefined || owner === '') return { ok: false, message: m.field_required({ field: m.action_owner() + n }) };
		const person = /^[1-9][0-9]{0,9}$/.test(owner) ? team.find((t) => t.id === Number(owner)) : undefined;
		if (person === undefined) return { ok: false, message: m.field_invalid({ field: m.action_owner() + n }) };
		const d = date(form, `action-${i}-due`, m.action_due() + n, true);
		if (!d.ok) return d;
		if (d.value! < today) return { ok: false, message: m.meeting_action_due_past({ field: m.action_due() + n }) };
		out.push({ what: what.value, ownerId: person.id, dueDate: d.value! });
	}
	return { ok: true, value: out };
}

/** A goal in the patient's words with its status; `goal` names an existing one to update. */
export function parseGoalForm(form: FormData): Parsed<{ goalId: number | null; text: string; status: GoalStatus }> {
	let goalId: number | null = null;
	const raw = single(form, 'goal');
	if (raw !== undefined && raw !== '') {
		const g = id(form, 'goal', m.goal_title());
		if (!g.ok) return g;
		goalId = g.value;
	}
	const words = text(form, 'text', m.goal_text(), 500, true);
	if (!words.ok) return words;
	const status = single(form, 'status');
	if (status === undefined || status === '') return { ok: false, message: m.field_required({ field: m.goal_status() }) };
	if (status === null || !(goalStatuses as readonly string[]).includes(status)) return { ok: false, message: m.field_invalid({ field: m.goal_status() }) };
	return { ok: true, value: { goalId, text: words.value, status: status as GoalStatus } };
}

/** The discharge plan's fields; all free text but the follow-up rating date. */
export function parseDischargeForm(form: FormData): Parsed<DischargePlanFields> {
	const fields = [
		['housing', m.discharge_housing()],
		['activity', m.discharge_activity()],
		['economy', m.discharge_economy()],
		['followUpTeam', m.discharge_team()],
		['contactPerson', m.discharge_contact()],
		['contactPhone', m.discharge_phone()]
	] as const;
	const out: Record<string, string> = {};
	for (const [name, label] of fields) {
		const v = text(form, name, label, name === 'contactPhone' ? 40 : 1_000, false);
		if (!v.ok) return v;
		out[name] = v.value;
	}
	if (out.contactPhone !== '' && !isPhoneNumber(out.contactPhone!)) return { ok: false, message: m.field_invalid({ field: m.discharge_phone() }) };
	const followUp = date(form, 'followUpRatingDate', m.discharge_follow_up(), false);
	if (!followUp.ok) return followUp;
	return { ok: true, value: { ...(out as Omit<DischargePlanFields, 'followUpRatingDate'>), followUpRatingDate: followUp.value } };
}

/** Digits with the usual separators; 3 (emergency and short numbers) to 15 digits (E.164's maximum). */
function isPhoneNumber(value: string): boolean {
	const digits = value.replace(/[^0-9]/g, '').length;
	return /^[+0-9 ()-]+$/.test(value) && digits >= 3 && digits <= 15;
}
