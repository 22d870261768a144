import { m } from '$lib/paraglide/messages';
import { CONTROL_CHARACTERS } from './form';
import { isCalendarDate } from '$lib/domain/episode-course';
import { contactChannels, contactResults, locales, settings, transitionKinds } from './db/schema';
import { END_REASONS } from '$lib/domain/episode-course';

/** A parsed form, or a sentence naming the field that is wrong, and which field (for focus). */
export type FormResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

type FieldKind =
	| { kind: 'text'; max: number; required: boolean; multiline?: boolean }
	| { kind: 'code' }
	| { kind: 'date'; required: boolean }
	| { kind: 'year' }
	| { kind: 'int'; min: number; max: number; required: boolean }
	| { kind: 'id'; required: boolean }
	| { kind: 'choice'; options: readonly string[]; required: boolean }
	| { kind: 'checkbox' }
	| { kind: 'digits' };

type Spec = Record<string, FieldKind & { label: () => string }>;
type Value<K extends FieldKind> = K extends { kind: 'checkbox' } ? boolean : K extends { kind: 'int' | 'id' | 'year' } ? number | null : string | null;
type Values<S extends Spec> = { [F in keyof S]: Value<S[F]> };

/** A clinic's own patient code: a letter, then letters, digits, hyphens, full stops or underscores. */
const CODE = /^[A-Za-z][A-Za-z0-9._-]{0,31}$/;
const RECORD_ID = /^[1-9][0-9]{0,9}$/;
const WHOLE = /^(0|[1-9][0-9]{0,5})$/;

function invalid(field: string, label: string): { ok: false; field: string; message: string } {
	return { ok: false, field, message: m.field_invalid({ field: label }) };
}

/**
 * Reads a form against its fields: a field the form does not have, or one sent twice, is refused
 * by name, as is each value that does not fit. Empty optional fields are null.
 */
export function readForm<S extends Spec>(form: FormData, spec: S): FormResult<Values<S>> {
	const seen = new Set<string>();
	for (const [name, value] of form.entries()) {
		if (!(name in spec)) return { ok: false, field: name.slice(0, 60), message: m.pe_err_unknown_field({ field: name.slice(0, 60) }) };
		if (seen.has(name) || typeof value !== 'string') return invalid(name, spec[name]!.label());
		seen.add(name);
	}
	const out: Record<string, unknown> = {};
	for (const [name, f] of Object.entries(spec)) {
		const label = f.label();
		const raw = form.get(name);
		const value = typeof raw === 'string' ? raw.replace(/\r\n/g, '\n').trim() : '';
		const required = 'required' in f && f.required;
		if (f.kind === 'checkbox') {
			if (value !== '' && value !== 'on') return invalid(name, label);
			out[name] = value === 'on';
			continue;
		}
		if (value === '') {
			if (required) return { ok: false, field: name, message: m.field_required({ field: label }) };
			out[name] = null;
			continue;
		}
		if (f.kind !== 'text' && value.length > 64) return invalid(name, label);
		switch (f.kind) {
			case 'text':
				if (value.length > f.max) return { ok: false, field: name, message: m.field_too_long({ field: label, max: f.max }) };
				if (CONTROL_CHARACTERS.test(value) || (f.multiline !== true && value.includes('\n'))) return invalid(name, label);
				out[name] = value;
				break;
			case 'code':
				if (!CODE.test(value)) return invalid(name, label);
				out[name] = value;
				break;
			case 'digits':
				// A national identity number as typed: digits, spaces allowed between groups.
				if (!/^[0-9 ]{1,20}$/.test(value)) return invalid(name, label);
				out[name] = value;
				break;
			case 'date':
				if (!isCalendarDate(value)) return invalid(name, label);
				out[name] = value;
				break;
			case 'year':
				if (!/^(19|20|21)[0-9]{2}$/.test(value)) return invalid(name, label);
				out[name] = Number(value);
				break;
			case 'int':
				if (!WHOLE.test(value) || Number(value) < f.min || Number(value) > f.max) return invalid(name, label);
				out[name] = Number(value);
				break;
			case 'id':
				if (!RECORD_ID.test(value)) return invalid(name, label);
				out[name] = Number(value);
				break;
			case 'choice':
				if (!f.options.includes(value)) return invalid(name, label);
				out[name] = value;
				break;
		}
	}
	return { ok: true, value: out as Values<S> };
}

const NAME_MAX = 120;
const NOTE_MAX = 1_000;

export const patientFields = {
	code: { kind: 'code', label: m.pe_field_code },
	displayName: { kind: 'text', max: NAME_MAX, required: true, label: m.pe_field_name },
	birthDate: { kind: 'date', required: false, label: m.pe_field_birth_date },
	birthYear: { kind: 'year', label: m.pe_field_birth_year },
	preferredLocale: { kind: 'choice', options: locales, required: false, label: m.pe_field_locale },
	nationalId: { kind: 'digits', label: m.pe_field_national_id }
} as const satisfies Spec;

export const registerFields = { ...patientFields, team: { kind: 'id', required: true, label: m.pe_field_team } } as const satisfies Spec;
export const editFields = { ...patientFields, code: { kind: 'code', label: m.pe_field_code }, removeNationalId: { kind: 'checkbox', label: m.pe_national_id_remove } } as const satisfies Spec;

/** A birth date after today, or a year ahead, is refused by name. */
export function birthInFuture(value: { birthDate: string | null; birthYear: number | null }, today: string): FormResult<null> | null {
	if (value.birthDate !== null && value.birthDate > today) return { ok: false, field: 'birthDate', message: m.pe_err_date_range({ field: m.pe_field_birth_date(), from: '1900-01-01', to: today }) };
	if (value.birthYear !== null && value.birthYear > Number(today.slice(0, 4)))
		return { ok: false, field: 'birthYear', message: m.pe_err_date_range({ field: m.pe_field_birth_year(), from: '1900', to: today.slice(0, 4) }) };
	return null;
}

export const episodeFields = {
	team: { kind: 'id', required: true, label: m.pe_field_team },
	setting: { kind: 'choice', options: settings, required: true, label: m.pe_field_setting },
	responsible: { kind: 'id', required: false, label: m.pe_field_responsible },
	startDate: { kind: 'date', required: true, label: m.pe_field_start },
	interval: { kind: 'int', min: 1, max: 90, required: false, label: m.pe_field_interval },
	plannedEnd: { kind: 'date', required: false, label: m.pe_field_planned_end },
	referralReason: { kind: 'text', max: NOTE_MAX, required: false, multiline: true, label: m.pe_field_referral }
} as const satisfies Spec;

/** How far back an episode can start (an ongoing treatment registered late) and ahead (a planned intake), in years. */
export const EPISODE_START_YEARS = { back: 10, ahead: 1 } as const;

export function startOutOfRange(startDate: string, today: string): FormResult<null> | null {
	const year = Number(today.slice(0, 4));
	const from = `${year - EPISODE_START_YEARS.back}${today.slice(4)}`;
	const to = `${year + EPISODE_START_YEARS.ahead}${today.slice(4)}`;
	if (startDate < from || startDate > to) return { ok: false, field: 'startDate', message: m.pe_err_date_range({ field: m.pe_field_start(), from, to }) };
	return null;
}

export const transitionFields = {
	date: { kind: 'date', required: true, label: m.pe_field_transition_date },
	kind: { kind: 'choice', options: transitionKinds, required: true, label: m.pe_field_transition_kind },
	toTeam: { kind: 'id', required: true, label: m.pe_field_to_team },
	toSetting: { kind: 'choice', options: settings, required: true, label: m.pe_field_to_setting },
	place: { kind: 'text', max: NAME_MAX * 2, required: false, label: m.pe_field_place },
	note: { kind: 'text', max: NOTE_MAX, required: false, multiline: true, label: m.pe_field_note }
} as const satisfies Spec;

export const endFields = {
	reason: { kind: 'choice', options: END_REASONS, required: true, label: m.pe_field_end_reason },
	endDate: { kind: 'date', required: true, label: m.pe_field_end_date },
	lastAttended: { kind: 'date', required: false, label: m.pe_field_last_attended },
	note: { kind: 'text', max: NOTE_MAX, required: false, multiline: true, label: m.pe_field_note },
	withoutPlan: { kind: 'checkbox', label: m.pe_field_without_plan }
} as const satisfies Spec;

export const reopenFields = {
	reason: { kind: 'text', max: NOTE_MAX, required: true, multiline: true, label: m.pe_field_reopen_reason }
} as const satisfies Spec;

export const attemptFields = {
	date: { kind: 'date', required: true, label: m.pe_field_attempt_date },
	channel: { kind: 'choice', options: contactChannels, required: true, label: m.pe_field_channel },
	result: { kind: 'choice', options: contactResults, required: true, label: m.pe_field_result },
	note: { kind: 'text', max: NOTE_MAX, required: false, multiline: true, label: m.pe_field_note }
} as const satisfies Spec;

export const closeTaskFields = {
	outcome: { kind: 'choice', options: ['declined', 'unreachable'], required: true, label: m.pe_field_outcome }
} as const satisfies Spec;
