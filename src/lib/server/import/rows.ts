import { checkNationalId } from '$lib/domain/national-id';
import { clinicInstant, isCalendarDate, isClockTime, MAX_DURATION_MINUTES, MIN_DURATION_MINUTES, DEFAULT_DURATION_MINUTES, sessionModes, type SessionMode } from '$lib/domain/booking';
import { locales, settings, type Locale } from '../db/schema';
import { CONTROL_CHARACTERS } from '../form';

/**
 * The one column set an import reads (README, "Import"; docs/import-sample.csv): one row per
 * future appointment, the patient's and episode's columns repeated on each; a patient with no
 * appointment booked yet has one row with the appointment columns empty.
 */
export const IMPORT_COLUMNS = [
	'patient_code',
	'display_name',
	'birth_date',
	'national_id',
	'language',
	'setting',
	'episode_start',
	'planned_end',
	'responsible',
	'interval_days',
	'referral_reason',
	'appointment_date',
	'appointment_time',
	'duration_minutes'
] as const;
/** Columns a file may leave out: older exports have no session type (then every session is in the room). */
export const OPTIONAL_IMPORT_COLUMNS = ['session_mode'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number] | (typeof OPTIONAL_IMPORT_COLUMNS)[number];
export type ImportRecord = Record<(typeof IMPORT_COLUMNS)[number], string> & Partial<Record<(typeof OPTIONAL_IMPORT_COLUMNS)[number], string>>;

/** Free text longer than this is refused (a patient-record export's note field can run long). */
const TEXT_MAX = 2_000;
const SHORT_MAX = 100;
/** Planned days between sessions an import may set: a day to a quarter. */
const INTERVAL_MAX = 91;

export interface ImportPatient {
	/** Row numbers in the file (1 = the header): the patient's first row and every appointment's. */
	rows: number[];
	code: string;
	displayName: string;
	birthDate: string | null;
	birthYear: number | null;
	nationalId: string | null;
	preferredLocale: Locale | null;
	setting: (typeof settings)[number];
	startDate: string;
	plannedEnd: string | null;
	responsibleId: number | null;
	sessionIntervalDays: number | null;
	referralReason: string;
	/** The sending system's identifier of the episode (a FHIR EpisodeOfCare's); the CSV import has none. */
	identifier?: SourceIdentifier;
	/** Each with its clinician when the source names one (a FHIR Appointment's practitioner); else the responsible's or the importer's. */
	appointments: { row: number; at: Date; durationMinutes: number; sessionMode: SessionMode; clinicianId?: number; identifier?: SourceIdentifier }[];
}

/** An identifier a sending system gave an episode or appointment (`system|value`). */
export interface SourceIdentifier {
	system: string;
	value: string;
}

export interface Refusal {
	row: number;
	field: ImportColumn | 'row';
	reason: 'required' | 'invalid' | 'too-long' | 'duplicate-in-file' | 'already-registered' | 'not-in-team' | 'differs' | 'in-past' | 'before-start' | 'check-digit' | 'columns' | 'team';
}

type Check<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

const bad = (row: number, field: Refusal['field'], reason: Refusal['reason']) => ({ ok: false as const, refusal: { row, field, reason } });

function textOf(r: ImportRecord, row: number, field: ImportColumn, required: boolean, max = SHORT_MAX): Check<string> {
	const v = (r[field] ?? '').trim();
	if (required && v === '') return bad(row, field, 'required');
	if (v.length > max) return bad(row, field, 'too-long');
	if (CONTROL_CHARACTERS.test(v)) return bad(row, field, 'invalid');
	return { ok: true, value: v };
}

function dateOf(r: ImportRecord, row: number, field: ImportColumn, required: boolean): Check<string | null> {
	const v = (r[field] ?? '').trim();
	if (v === '') return required ? bad(row, field, 'required') : { ok: true, value: null };
	return isCalendarDate(v) ? { ok: true, value: v } : bad(row, field, 'invalid');
}

/**
 * One row read into a patient with its episode (and the row's appointment, if any), or the first
 * field that is wrong. `team` maps usernames of the importing team's active clinicians to ids.
 */
export function readRow(r: ImportRecord, row: number, team: ReadonlyMap<string, number>, today: string): Check<ImportPatient> {
	const code = textOf(r, row, 'patient_code', true, 40);
	if (!code.ok) return code;
	const name = textOf(r, row, 'display_name', true);
	if (!name.ok) return name;
	const birth = (r.birth_date ?? '').trim();
	let birthDate: string | null = null;
	let birthYear: number | null = null;
	if (/^\d{4}$/.test(birth)) birthYear = Number(birth);
	else if (birth !== '') {
		if (!isCalendarDate(birth)) return bad(row, 'birth_date', 'invalid');
		birthDate = birth;
	}
	let nationalId: string | null = null;
	if ((r.national_id ?? '').trim() !== '') {
		const checked = checkNationalId(r.national_id);
		if (!checked.ok) return bad(row, 'national_id', checked.reason === 'check-digit' ? 'check-digit' : 'invalid');
		if (birthDate !== null && birthDate !== checked.birthDate) return bad(row, 'birth_date', 'differs');
		nationalId = checked.value;
	}
	if (birthDate === null && birthYear === null && nationalId === null) return bad(row, 'birth_date', 'required');
	const language = (r.language ?? '').trim();
	if (language !== '' && !(locales as readonly string[]).includes(language)) return bad(row, 'language', 'invalid');
	const setting = (r.setting ?? '').trim();
	if (setting === '') return bad(row, 'setting', 'required');
	if (!(settings as readonly string[]).includes(setting)) return bad(row, 'setting', 'invalid');
	const start = dateOf(r, row, 'episode_start', true);
	if (!start.ok) return start;
	if (start.value! > today) return bad(row, 'episode_start', 'invalid');
	const end = dateOf(r, row, 'planned_end', false);
	if (!end.ok) return end;
	if (end.value !== null && end.value < today) return bad(row, 'planned_end', 'in-past');
	if (end.value !== null && end.value <= start.value!) return bad(row, 'planned_end', 'before-start');
	const who = (r.responsible ?? '').trim();
	const responsibleId = who === '' ? null : (team.get(who) ?? -1);
	if (responsibleId === -1) return bad(row, 'responsible', 'not-in-team');
	const interval = (r.interval_days ?? '').trim();
	if (interval !== '' && (!/^[1-9][0-9]{0,2}$/.test(interval) || Number(interval) > INTERVAL_MAX)) return bad(row, 'interval_days', 'invalid');
	const reason = textOf(r, row, 'referral_reason', false, TEXT_MAX);
	if (!reason.ok) return reason;
	const appointments: ImportPatient['appointments'] = [];
	const date = (r.appointment_date ?? '').trim();
	const time = (r.appointment_time ?? '').trim();
	const minutes = (r.duration_minutes ?? '').trim();
	const mode = (r.session_mode ?? '').trim();
	if (date !== '' || time !== '' || minutes !== '' || mode !== '') {
		if (!isCalendarDate(date)) return bad(row, 'appointment_date', date === '' ? 'required' : 'invalid');
		if (date < today) return bad(row, 'appointment_date', 'in-past');
		if (!isClockTime(time)) return bad(row, 'appointment_time', time === '' ? 'required' : 'invalid');
		const d = minutes === '' ? DEFAULT_DURATION_MINUTES : /^[0-9]{1,3}$/.test(minutes) ? Number(minutes) : NaN;
		if (!(d >= MIN_DURATION_MINUTES && d <= MAX_DURATION_MINUTES)) return bad(row, 'duration_minutes', 'invalid');
		const sessionMode = mode === '' ? 'in_person' : (sessionModes as readonly string[]).includes(mode) ? (mode as SessionMode) : null;
		if (sessionMode === null) return bad(row, 'session_mode', 'invalid');
		appointments.push({ row, at: clinicInstant(date, time), durationMinutes: d, sessionMode });
	}
	return {
		ok: true,
		value: {
			rows: [row],
			code: code.value,
			displayName: name.value,
			birthDate: nationalId !== null ? (birthDate ?? null) : birthDate,
			birthYear,
			nationalId,
			preferredLocale: language === '' ? null : (language as Locale),
			setting: setting as ImportPatient['setting'],
			startDate: start.value!,
			plannedEnd: end.value,
			responsibleId,
			sessionIntervalDays: interval === '' ? null : Number(interval),
			referralReason: reason.value,
			appointments
		}
	};
}

/** A later row of a patient already read: its patient and episode columns must say the same. */
export function sameAs(a: ImportPatient, b: ImportPatient): ImportColumn | null {
	const pairs: [ImportColumn, unknown, unknown][] = [
		['display_name', a.displayName, b.displayName],
		['birth_date', `${a.birthDate}/${a.birthYear}`, `${b.birthDate}/${b.birthYear}`],
		['national_id', a.nationalId, b.nationalId],
		['language', a.preferredLocale, b.preferredLocale],
		['setting', a.setting, b.setting],
		['episode_start', a.startDate, b.startDate],
		['planned_end', a.plannedEnd, b.plannedEnd],
		['responsible', a.responsibleId, b.responsibleId],
		['interval_days', a.sessionIntervalDays, b.sessionIntervalDays],
		['referral_reason', a.referralReason, b.referralReason]
	];
	return pairs.find(([, x, y]) => x !== y)?.[0] ?? null;
}
