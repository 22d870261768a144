import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { textFor } from '$lib/domain/localized';
import type { Checklist } from '$lib/domain/checklist';
import { FLAG_KINDS, type FlagKind } from '$lib/domain/risk';
import type { SubmittedFactor } from './checklist';
import { CONTROL_CHARACTERS } from '../form';

/** A parsed form, or one clear sentence naming the field that is wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const NOTE_MAX = 1_000;
const TEXT_MAX = 2_000;
const ID = /^[1-9][0-9]{0,9}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The one value of a field; `undefined` when missing, `null` when sent more than once. */
export function single(form: FormData, name: string): string | undefined | null {
	const all = form.getAll(name);
	if (all.length === 0) return undefined;
	if (all.length > 1 || typeof all[0] !== 'string') return null;
	return all[0];
}

/** A calendar date 'YYYY-MM-DD' that exists (no 31 February), between 2000 and 2100. */
const calendarDate = z.string().refine((value) => {
	const match = DATE.exec(value);
	if (match === null) return false;
	const [, y, mo, d] = match.map(Number) as [number, number, number, number];
	const date = new Date(Date.UTC(y, mo - 1, d));
	return y >= 2000 && y <= 2100 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
});
/** A record id as a form sends it: a positive whole number, no sign, no leading zero. */
const recordId = z.string().regex(ID).transform(Number);
/** Free text: trimmed, Windows line ends made plain, at most `max` characters, no control characters. */
const freeText = (max: number) =>
	z
		.string()
		.transform((raw) => raw.replace(/\r\n/g, '\n').trim())
		.pipe(
			z
				.string()
				.max(max)
				.refine((value) => !CONTROL_CHARACTERS.test(value))
		);

export function isCalendarDate(value: string): boolean {
	return calendarDate.safeParse(value).success;
}

export function text(form: FormData, name: string, field: string, max: number, required: boolean): Parsed<string> {
	const raw = single(form, name);
	if (raw === null) return { ok: false, message: m.field_invalid({ field }) };
	const parsed = freeText(max).safeParse(raw ?? '');
	if (parsed.success) {
		if (required && parsed.data === '') return { ok: false, message: m.field_required({ field }) };
		return { ok: true, value: parsed.data };
	}
	if (required && (raw ?? '').trim() === '') return { ok: false, message: m.field_required({ field }) };
	const tooLong = parsed.error.issues.some((issue) => issue.code === 'too_big');
	return { ok: false, message: tooLong ? m.field_too_long({ field, max }) : m.field_invalid({ field }) };
}

export function id(form: FormData, name: string, field: string): Parsed<number> {
	const raw = single(form, name);
	if (raw === undefined || raw === '') return { ok: false, message: m.field_required({ field }) };
	const parsed = recordId.safeParse(raw);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: m.field_invalid({ field }) };
}

/**
 * A review of the whole checklist: for every factor an answer (yes / no / unknown), a note, and
 * a date where the factor asks for one. Names the factor whose field is wrong.
 */
export function parseChecklistForm(form: FormData, checklist: Checklist, language: string): Parsed<Record<string, SubmittedFactor>> {
	const out: Record<string, SubmittedFactor> = {};
	for (const factor of checklist.factors) {
		const label = textFor(factor.label, language);
		const answer = single(form, `answer-${factor.key}`);
		if (answer === undefined) return { ok: false, message: m.field_required({ field: `${label} (${m.checklist_answer()})` }) };
		if (answer !== 'yes' && answer !== 'no' && answer !== 'unknown') return { ok: false, message: m.field_invalid({ field: `${label} (${m.checklist_answer()})` }) };
		const note = text(form, `note-${factor.key}`, `${label} (${m.checklist_note()})`, NOTE_MAX, false);
		if (!note.ok) return note;
		let date: string | null = null;
		if (factor.hasDate === true) {
			const raw = single(form, `date-${factor.key}`);
			if (raw === null || (raw !== undefined && raw !== '' && !isCalendarDate(raw))) return { ok: false, message: m.field_invalid({ field: `${label} (${m.checklist_date()})` }) };
			date = raw === undefined || raw === '' ? null : raw;
		}
		out[factor.key] = { answer, note: note.value, date };
	}
	return { ok: true, value: out };
}

export interface ActionForm {
	flagId: number | null;
	/** The domain card the action was agreed on, when not on one flag. */
	flagKind: FlagKind | null;
	actionKey: string;
	ownerId: number;
	dueDate: string;
	note: string;
}

/** An action on a flag (or on the episode): one of the checklist's actions, a team member, a due date from today. */
export function parseActionForm(form: FormData, actions: readonly { key: string }[], members: readonly { id: number }[], today: string): Parsed<ActionForm> {
	const flagRaw = single(form, 'flag');
	let flagId: number | null = null;
	if (flagRaw !== undefined && flagRaw !== '') {
		const f = id(form, 'flag', m.flags_title());
		if (!f.ok) return f;
		flagId = f.value;
	}
	const kind = flagKindField(form);
	if (!kind.ok) return kind;
	const actionKey = single(form, 'action');
	if (actionKey === undefined || actionKey === '') return { ok: false, message: m.field_required({ field: m.action_choose() }) };
	if (actionKey === null || !actions.some((a) => a.key === actionKey)) return { ok: false, message: m.field_invalid({ field: m.action_choose() }) };
	const owner = id(form, 'owner', m.action_owner());
	if (!owner.ok) return owner;
	if (!members.some((x) => x.id === owner.value)) return { ok: false, message: m.field_invalid({ field: m.action_owner() }) };
	const due = single(form, 'due');
	if (due === undefined || due === '') return { ok: false, message: m.field_required({ field: m.action_due() }) };
	if (due === null || !isCalendarDate(due)) return { ok: false, message: m.field_invalid({ field: m.action_due() }) };
	if (due < today) return { ok: false, message: m.action_due_past() };
	const note = text(form, 'note', m.action_note(), NOTE_MAX, false);
	if (!note.ok) return note;
	if (actionKey === 'other' && note.value === '') return { ok: false, message: m.action_note_needed() };
	return { ok: true, value: { flagId, flagKind: kind.value, actionKey, ownerId: owner.value, dueDate: due, note: note.value } };
}

/** What came of an action. */
export function parseOutcomeForm(form: FormData): Parsed<{ actionId: number; outcome: string }> {
	const action = id(form, 'action', m.action_choose());
	if (!action.ok) return action;
	const outcome = text(form, 'outcome', m.action_outcome(), TEXT_MAX, true);
	if (!outcome.ok) return outcome;
	return { ok: true, value: { actionId: action.value, outcome: outcome.value } };
}

/** The flag a button names. */
export function parseFlagForm(form: FormData): Parsed<number> {
	return id(form, 'flag', m.flags_title());
}

/** The optional `kind` field: one of the flag domains, or null when not sent. */
function flagKindField(form: FormData): Parsed<FlagKind | null> {
	const raw = single(form, 'kind');
	if (raw === undefined || raw === '') return { ok: true, value: null };
	if (raw === null || !(FLAG_KINDS as readonly string[]).includes(raw)) return { ok: false, message: m.field_invalid({ field: m.flags_kind_field() }) };
	return { ok: true, value: raw as FlagKind };
}

/**
 * What "mark as seen" covers: every open flag (`all`), one domain's card (`kind`), or one flag
 * (`flag`). Exactly one of them.
 */
export function parseAcknowledgeForm(form: FormData): Parsed<{ scope: 'all' } | { scope: 'kind'; kind: FlagKind } | { scope: 'flag'; flagId: number }> {
	const all = single(form, 'all');
	const kind = flagKindField(form);
	if (!kind.ok) return kind;
	const flag = single(form, 'flag');
	const given = [all !== undefined, kind.value !== null, flag !== undefined].filter(Boolean).length;
	if (given !== 1) return { ok: false, message: m.field_required({ field: m.flags_title() }) };
	if (all !== undefined) return all === '1' ? { ok: true, value: { scope: 'all' } } : { ok: false, message: m.field_invalid({ field: m.flags_title() }) };
	if (kind.value !== null) return { ok: true, value: { scope: 'kind', kind: kind.value } };
	const f = id(form, 'flag', m.flags_title());
	return f.ok ? { ok: true, value: { scope: 'flag', flagId: f.value } } : f;
}

/** Closing a flag by hand: the flag and the reason (required, at most 1,000 characters). */
export function parseCloseForm(form: FormData): Parsed<{ flagId: number; reason: string }> {
	const flag = id(form, 'flag', m.flags_title());
	if (!flag.ok) return flag;
	const reason = text(form, 'reason', m.flag_close_reason_field(), NOTE_MAX, true);
	if (!reason.ok) return reason;
	return { ok: true, value: { flagId: flag.value, reason: reason.value } };
}

/** The agreement on what happens if the patient stops coming. */
export function parseAbsenceForm(form: FormData): Parsed<string> {
	return text(form, 'agreement', m.absence_label(), TEXT_MAX, true);
}

/** The episode's responsible clinician (a team member, or none) and planned days between sessions. */
export function parseEpisodeForm(form: FormData, members: readonly { id: number }[]): Parsed<{ responsibleId: number | null; sessionIntervalDays: number }> {
	const raw = single(form, 'responsible');
	let responsibleId: number | null = null;
	if (raw === null) return { ok: false, message: m.field_invalid({ field: m.episode_responsible() }) };
	if (raw !== undefined && raw !== '') {
		if (!ID.test(raw) || !members.some((x) => x.id === Number(raw))) return { ok: false, message: m.field_invalid({ field: m.episode_responsible() }) };
		responsibleId = Number(raw);
	}
	const interval = single(form, 'interval');
	if (interval === undefined || interval === '') return { ok: false, message: m.field_required({ field: m.episode_interval() }) };
	if (interval === null || !/^[0-9]{1,3}$/.test(interval) || Number(interval) < 1 || Number(interval) > 90) return { ok: false, message: m.field_invalid({ field: m.episode_interval() }) };
	return { ok: true, value: { responsibleId, sessionIntervalDays: Number(interval) } };
}
