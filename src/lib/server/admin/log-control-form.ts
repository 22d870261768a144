import { CONTROL_CHARACTERS } from '../form';
import { exactFields, parseId, type ParsedForm } from './user-form';
import type { LogControlPeriod, ReviewInput } from './log-control';
import { osloDate } from '$lib/domain/oslo-day';
import { unusualKinds, type UnusualKind } from '$lib/domain/log-control';
import { m } from '$lib/paraglide/messages';

/** The longest period one report reads: a year of the trail, still one quick query on `at`. */
export const LOG_CONTROL_MAX_DAYS = 366;
export const REVIEW_NOTE_MAX = 500;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (v: string): boolean => DAY.test(v) && !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) && new Date(`${v}T12:00:00Z`).toISOString().startsWith(v);

/**
 * The period unless chosen: from the first of last month (the monthly control) to today, in Oslo.
 * @example defaultPeriod(new Date('2026-12-04T10:00:00Z')) // { from: '2026-11-01', to: '2026-12-04' }
 */
export function defaultPeriod(now: Date): LogControlPeriod {
	const today = osloDate(now);
	const [year, month] = today.split('-').map(Number) as [number, number];
	const previous = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
	return { from: `${previous}-01`, to: today };
}

/** The two days of a period, checked: real days, in order, at most a year apart. */
function checkPeriod(from: string, to: string): 'from' | 'to' | null {
	if (!isDay(from)) return 'from';
	if (!isDay(to) || to < from) return 'to';
	const days = (Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000;
	return days >= LOG_CONTROL_MAX_DAYS ? 'to' : null;
}

/**
 * The period from the address bar: both days given and sound, else the default, with the field
 * that was wrong named so the page can say so (a report is read, not refused).
 */
export function periodFrom(params: URLSearchParams, now: Date): { period: LogControlPeriod; problem: string | null } {
	const from = params.get('from')?.trim() ?? '';
	const to = params.get('to')?.trim() ?? '';
	if (from === '' && to === '') return { period: defaultPeriod(now), problem: null };
	const wrong = checkPeriod(from, to);
	if (wrong === null) return { period: { from, to }, problem: null };
	return { period: defaultPeriod(now), problem: m.lc_period_invalid({ field: wrong === 'from' ? m.lc_from() : m.lc_to(), max: LOG_CONTROL_MAX_DAYS }) };
}

/** The review form: which finding (kind, reader, first row, the period it was found in) and the admin's note. */
export function parseReviewForm(form: FormData): ParsedForm<ReviewInput> {
	const labels = { kind: m.lc_kind(), reader: m.lc_reader(), first: m.lc_first_event(), from: m.lc_from(), to: m.lc_to(), note: m.lc_note() };
	const fields = exactFields(form, Object.keys(labels), Object.keys(labels), labels);
	if (!fields.ok) return fields;
	const { kind, reader, first, from, to } = fields.value as Record<keyof typeof labels, string>;
	const note = fields.value.note!.trim();
	if (!unusualKinds.includes(kind as UnusualKind)) return { ok: false, field: 'kind', message: m.field_invalid({ field: labels.kind }) };
	const readerId = parseId(reader);
	if (readerId === null) return { ok: false, field: 'reader', message: m.field_invalid({ field: labels.reader }) };
	const firstEventId = parseId(first);
	if (firstEventId === null) return { ok: false, field: 'first', message: m.field_invalid({ field: labels.first }) };
	const wrong = checkPeriod(from, to);
	if (wrong !== null) return { ok: false, field: wrong, message: m.lc_period_invalid({ field: labels[wrong], max: LOG_CONTROL_MAX_DAYS }) };
	if (note.length > REVIEW_NOTE_MAX) return { ok: false, field: 'note', message: m.field_too_long({ field: labels.note, max: REVIEW_NOTE_MAX }) };
	if (CONTROL_CHARACTERS.test(note)) return { ok: false, field: 'note', message: m.field_invalid({ field: labels.note }) };
	return { ok: true, value: { period: { from, to }, kind: kind as UnusualKind, readerId, firstEventId, note } };
}
