import { m } from '$lib/paraglide/messages';
import { id, isCalendarDate, single } from './risk/forms';
import type { BookingInput, MoveInput } from './booking';
import { attendanceChanges, type AttendanceChange } from './booking';
import { isClockTime, MAX_DURATION_MINUTES, MAX_SERIES_SESSIONS, MIN_DURATION_MINUTES, repeats, sessionModes, type Repeat, type SeriesEnd, type SessionMode } from '$lib/domain/booking';

/** A refused form: the sentence to show and the form field it is about. */
export type FieldParsed<T> = { ok: true; value: T } | { ok: false; message: string; field: string };

const endKinds = ['count', 'until', 'planned-end'] as const;
const WHOLE = /^[1-9][0-9]{0,5}$/;

const labels = (): Record<string, string> => ({
	date: m.bk_date(),
	time: m.bk_time(),
	duration: m.bk_duration(),
	clinician: m.bk_clinician(),
	repeat: m.bk_repeat(),
	endKind: m.bk_end_kind(),
	sessions: m.bk_sessions(),
	until: m.bk_until(),
	mode: m.appt_mode(),
	confirm: m.bk_confirm_same_day(),
	change: m.bk_change()
});

function refuse(field: string, message?: string): { ok: false; message: string; field: string } {
	return { ok: false, field, message: message ?? m.field_invalid({ field: labels()[field] ?? field }) };
}
function required(field: string): { ok: false; message: string; field: string } {
	return refuse(field, m.field_required({ field: labels()[field] ?? field }));
}

/** A field no form of ours sends is refused rather than ignored: it may be a hostile form's. */
function unknownField(form: FormData, allowed: readonly string[]): string | null {
	for (const name of form.keys()) if (!allowed.includes(name)) return name;
	return null;
}

function oneOf<T extends string>(form: FormData, name: string, allowed: readonly T[]): FieldParsed<T> {
	const raw = single(form, name);
	if (raw === undefined || raw === '') return required(name);
	return raw !== null && (allowed as readonly string[]).includes(raw) ? { ok: true, value: raw as T } : refuse(name);
}

function dateField(form: FormData, name: string): FieldParsed<string> {
	const raw = single(form, name);
	if (raw === undefined || raw === '') return required(name);
	return raw !== null && isCalendarDate(raw) ? { ok: true, value: raw } : refuse(name);
}

/** A whole number in [min, max]; `outside` says why one out of range is refused. */
function whole(form: FormData, name: string, min: number, max: number, outside: (n: number) => string): FieldParsed<number> {
	const raw = single(form, name);
	if (raw === undefined || raw === '') return required(name);
	if (raw === null || !WHOLE.test(raw)) return refuse(name, raw !== null && /^[0-9]{7,}$/.test(raw) ? outside(max + 1) : undefined);
	const n = Number(raw);
	return n >= min && n <= max ? { ok: true, value: n } : refuse(name, outside(n));
}

/** The fields shared by booking and moving: date, time, length, clinician (one of the team's). */
function when(form: FormData, clinicians: readonly { id: number }[]): FieldParsed<Omit<MoveInput, 'confirmSameDay'>> {
	const date = dateField(form, 'date');
	if (!date.ok) return date;
	const rawTime = single(form, 'time');
	if (rawTime === undefined || rawTime === '') return required('time');
	if (rawTime === null || !isClockTime(rawTime)) return refuse('time');
	const duration = whole(form, 'duration', MIN_DURATION_MINUTES, MAX_DURATION_MINUTES, () => m.bk_duration_range({ min: MIN_DURATION_MINUTES, max: MAX_DURATION_MINUTES }));
	if (!duration.ok) return duration;
	const clinician = id(form, 'clinician', m.bk_clinician());
	if (!clinician.ok) return { ...clinician, field: 'clinician' };
	if (!clinicians.some((c) => c.id === clinician.value)) return refuse('clinician', m.bk_clinician_outside());
	return { ok: true, value: { date: date.value, time: rawTime, durationMinutes: duration.value, clinicianId: clinician.value } };
}

function confirmed(form: FormData): FieldParsed<boolean> {
	const raw = single(form, 'confirm');
	if (raw === undefined || raw === '') return { ok: true, value: false };
	return raw === '1' ? { ok: true, value: true } : refuse('confirm');
}

const BOOKING_FIELDS = ['date', 'time', 'duration', 'clinician', 'mode', 'repeat', 'endKind', 'sessions', 'until', 'confirm'] as const;

/**
 * A booking: one appointment, or a series every one or two weeks for a number of sessions, until
 * a date or until the episode's planned end. Names the field that is wrong.
 */
export function parseBookingForm(form: FormData, context: { clinicians: readonly { id: number }[]; plannedEnd: string | null }): FieldParsed<BookingInput> {
	const unknown = unknownField(form, BOOKING_FIELDS);
	if (unknown !== null) return refuse(unknown.slice(0, 60), m.form_field_unknown({ field: unknown.slice(0, 60) }));
	const base = when(form, context.clinicians);
	if (!base.ok) return base;
	const mode = sessionModeField(form);
	if (!mode.ok) return mode;
	const repeat = oneOf<Repeat>(form, 'repeat', repeats);
	if (!repeat.ok) return repeat;
	const confirm = confirmed(form);
	if (!confirm.ok) return confirm;
	let end: SeriesEnd | null = null;
	if (repeat.value !== 'none') {
		const kind = oneOf(form, 'endKind', endKinds);
		if (!kind.ok) return kind;
		if (kind.value === 'count') {
			const sessions = whole(form, 'sessions', 1, MAX_SERIES_SESSIONS, (n) => (n > MAX_SERIES_SESSIONS ? m.bk_too_many({ max: MAX_SERIES_SESSIONS }) : m.field_invalid({ field: m.bk_sessions() })));
			if (!sessions.ok) return sessions;
			end = { kind: 'count', sessions: sessions.value };
		} else if (kind.value === 'until') {
			const until = dateField(form, 'until');
			if (!until.ok) return until;
			end = { kind: 'until', date: until.value };
		} else {
			if (context.plannedEnd === null) return refuse('endKind', m.bk_no_planned_end());
			end = { kind: 'until', date: context.plannedEnd };
		}
	}
	return { ok: true, value: { ...base.value, sessionMode: mode.value, repeat: repeat.value, end, confirmSameDay: confirm.value } };
}

/** The session type; a form without it books a session in the room (the usual case). */
function sessionModeField(form: FormData): FieldParsed<SessionMode> {
	const raw = single(form, 'mode');
	if (raw === undefined || raw === '') return { ok: true, value: 'in_person' };
	return raw !== null && (sessionModes as readonly string[]).includes(raw) ? { ok: true, value: raw as SessionMode } : refuse('mode');
}

/** Changing an appointment's session type on its page. */
export function parseSessionModeForm(form: FormData): FieldParsed<SessionMode> {
	const unknown = unknownField(form, ['mode']);
	if (unknown !== null) return refuse(unknown.slice(0, 60), m.form_field_unknown({ field: unknown.slice(0, 60) }));
	return oneOf(form, 'mode', sessionModes);
}

/** Moving an appointment: the new date, time, length and clinician. */
export function parseMoveForm(form: FormData, clinicians: readonly { id: number }[]): FieldParsed<MoveInput> {
	const unknown = unknownField(form, ['date', 'time', 'duration', 'clinician', 'confirm']);
	if (unknown !== null) return refuse(unknown.slice(0, 60), m.form_field_unknown({ field: unknown.slice(0, 60) }));
	const base = when(form, clinicians);
	if (!base.ok) return base;
	const confirm = confirmed(form);
	if (!confirm.ok) return confirm;
	return { ok: true, value: { ...base.value, confirmSameDay: confirm.value } };
}

/** An attendance change: attended, no-show, back to scheduled, or one of the three cancellations. */
export function parseAttendanceForm(form: FormData, field: 'status' | 'change', extra: readonly string[] = []): FieldParsed<AttendanceChange> {
	const unknown = unknownField(form, [field, ...extra]);
	if (unknown !== null) return refuse(unknown.slice(0, 60), m.form_field_unknown({ field: unknown.slice(0, 60) }));
	const parsed = oneOf(form, field, attendanceChanges);
	return parsed.ok ? parsed : { ...parsed, message: field === 'status' ? m.field_invalid({ field: m.appt_status() }) : parsed.message };
}

/** The message for a booking or move the server refused. */
export function bookingRefusal(
	r: { reason: 'same_day'; days: string[] } | { reason: 'too_many'; max: number } | { reason: 'end_before_start' | 'in_past' | 'not_scheduled' } | { reason: 'beyond_horizon'; last: string }
): { message: string; field: string } {
	switch (r.reason) {
		case 'same_day':
			return { message: m.bk_same_day({ days: r.days.join(', ') }), field: 'confirm' };
		case 'too_many':
			return { message: m.bk_too_many({ max: r.max }), field: 'sessions' };
		case 'end_before_start':
			return { message: m.bk_end_before_start(), field: 'until' };
		case 'in_past':
			return { message: m.bk_in_past(), field: 'date' };
		case 'not_scheduled':
			return { message: m.bk_not_scheduled(), field: 'date' };
		case 'beyond_horizon':
			return { message: m.bk_beyond_horizon({ last: r.last }), field: 'date' };
	}
}
