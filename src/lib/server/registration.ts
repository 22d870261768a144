import { and, eq, isNull, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from './db';
import { patients, teamMemberships, teams, type Locale, type Patient } from './db/schema';
import type { SessionUser } from './auth/session';
import { recordAudit } from './audit';
import { findPatientForUser } from './patients';
import { patientVisibleTo, visibleTeamIds } from './access';
import { checkNationalId, maskNationalId } from '$lib/domain/national-id';

/** What a registration (or an edit) carries, already parsed from the form or the import row. */
export interface PatientInput {
	/** The clinic's own code, or null for one Stemme makes up. */
	code: string | null;
	displayName: string;
	/** The full birth date when known ('YYYY-MM-DD'); otherwise `birthYear` alone. */
	birthDate: string | null;
	birthYear: number | null;
	preferredLocale: Locale | null;
	/** Fødselsnummer or D-number as typed (spaces allowed); null when not given. */
	nationalId: string | null;
	/** The registering team; it must be one of the user's. */
	teamId: number;
}

/** An existing patient the registration collides with: named only when the user may see them. */
export type Existing = { id: number; code: string; displayName: string } | null;

export type RegisterResult =
	| { ok: true; patient: Patient }
	| { ok: false; field: 'code' | 'nationalId'; reason: 'duplicate'; existing: Existing }
	| { ok: false; field: 'nationalId'; reason: 'format' | 'date' | 'check-digit' }
	| { ok: false; field: 'birthDate'; reason: 'national-id-mismatch' | 'missing' }
	| { ok: false; field: 'teamId'; reason: 'not-your-team' };

/** Letters a person reads back without mixing them up (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;

/** A code Stemme makes up: `P-` and six random characters, not yet used in the organisation. */
export function generatePatientCode(db: Db, organisationId: number): string {
	for (;;) {
		const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
		const code = `P-${[...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('')}`;
		if (
			db
				.select({ id: patients.id })
				.from(patients)
				.where(and(eq(patients.organisationId, organisationId), eq(patients.code, code)))
				.get() === undefined
		)
			return code;
	}
}

/** Whether the user belongs to the team (a team lead or clinician registers for their own teams). */
export function isMemberOf(db: Db, user: SessionUser, teamId: number): boolean {
	return (
		db
			.select({ teamId: teamMemberships.teamId })
			.from(teamMemberships)
			.where(and(eq(teamMemberships.userId, user.id), eq(teamMemberships.teamId, teamId)))
			.get() !== undefined
	);
}

/** The user's teams, by name: where they can register a patient or open an episode. */
export function teamsOf(db: Db, user: SessionUser): { id: number; name: string }[] {
	return db
		.select({ id: teams.id, name: teams.name })
		.from(teamMemberships)
		.innerJoin(teams, eq(teams.id, teamMemberships.teamId))
		.where(eq(teamMemberships.userId, user.id))
		.orderBy(teams.name)
		.all();
}

function existingFor(db: Db, user: SessionUser, id: number): Existing {
	const seen = findPatientForUser(db, user, id);
	return seen === null ? null : { id: seen.id, code: seen.code, displayName: seen.displayName };
}

type Checked =
	| { ok: true; nationalId: string | null; birthDate: string | null; birthYear: number }
	| Extract<RegisterResult, { ok: false; field: 'nationalId' | 'birthDate'; reason: 'format' | 'date' | 'check-digit' | 'national-id-mismatch' | 'missing' }>;

/** The national identity number checked, and the birth date and year agreeing with it. */
export function checkIdentity(input: Pick<PatientInput, 'nationalId' | 'birthDate' | 'birthYear'>): Checked {
	let nationalId: string | null = null;
	let birthDate = input.birthDate;
	if (input.nationalId !== null) {
		const checked = checkNationalId(input.nationalId);
		if (!checked.ok) return { ok: false, field: 'nationalId', reason: checked.reason };
		nationalId = checked.value;
		if (birthDate !== null && birthDate !== checked.birthDate) return { ok: false, field: 'birthDate', reason: 'national-id-mismatch' };
		birthDate = checked.birthDate;
	}
	const birthYear = birthDate !== null ? Number(birthDate.slice(0, 4)) : input.birthYear;
	if (birthYear === null) return { ok: false, field: 'birthDate', reason: 'missing' };
	if (input.birthYear !== null && birthDate !== null && input.birthYear !== birthYear) return { ok: false, field: 'birthDate', reason: 'national-id-mismatch' };
	return { ok: true, nationalId, birthDate, birthYear };
}

function duplicateOf(db: Db, organisationId: number, field: 'code' | 'nationalId', value: string, except: number | null): number | null {
	const column = field === 'code' ? patients.code : patients.nationalId;
	const row = db
		.select({ id: patients.id })
		.from(patients)
		.where(and(eq(patients.organisationId, organisationId), eq(column, value), except === null ? undefined : sql`${patients.id} <> ${except}`))
		.get();
	return row?.id ?? null;
}

/** The audit line of a registration (the national identity number masked, as on screen). */
export function registrationDetail(code: string, teamId: number, nationalId: string | null): string {
	return `code ${code}, team ${teamId}${nationalId === null ? '' : `, national id ${maskNationalId(nationalId)}`}`;
}

/**
 * Registers a patient for one of the user's teams, in one transaction with its audit line. A code
 * or national identity number already registered in the organisation is refused, naming the
 * existing patient only when the user may see them. Safe inside an outer transaction (an import
 * of many rows: better-sqlite3 nests it as a savepoint).
 */
export function registerPatient(db: Db, user: SessionUser, input: PatientInput, now: Date, address: string | null = null): RegisterResult {
	if (!isMemberOf(db, user, input.teamId)) return { ok: false, field: 'teamId', reason: 'not-your-team' };
	const identity = checkIdentity(input);
	if (!identity.ok) return identity;
	return db.transaction((tx): RegisterResult => {
		const code = input.code ?? generatePatientCode(db, user.organisationId);
		const sameCode = duplicateOf(db, user.organisationId, 'code', code, null);
		if (sameCode !== null) return { ok: false, field: 'code', reason: 'duplicate', existing: existingFor(db, user, sameCode) };
		if (identity.nationalId !== null) {
			const sameId = duplicateOf(db, user.organisationId, 'nationalId', identity.nationalId, null);
			if (sameId !== null) return { ok: false, field: 'nationalId', reason: 'duplicate', existing: existingFor(db, user, sameId) };
		}
		const patient = tx
			.insert(patients)
			.values({
				organisationId: user.organisationId,
				teamId: input.teamId,
				code,
				displayName: input.displayName,
				birthYear: identity.birthYear,
				birthDate: identity.birthDate,
				nationalId: identity.nationalId,
				preferredLocale: input.preferredLocale
			})
			.returning()
			.get();
		recordAudit(
			tx,
			{
				userId: user.id,
				action: 'patient_registered',
				patientId: patient.id,
				detail: registrationDetail(code, input.teamId, identity.nationalId),
				address
			},
			now
		);
		return { ok: true, patient };
	});
}

export type EditResult = Exclude<RegisterResult, { ok: true }> | { ok: true; patient: Patient; changed: string[] };

/** What the audit line shows of a field: the national identity number masked, as on screen. */
function shown(field: keyof Patient, value: unknown): string {
	if (value === null || value === undefined) return '—';
	if (field === 'nationalId') return maskNationalId(String(value));
	return JSON.stringify(value);
}

/** The fields `next` changes of a patient, and the `patient_edited` audit line of them (each before and after). */
export function patientChanges<K extends keyof Patient>(patient: Patient, next: Pick<Patient, K>): { changed: K[]; detail: string } {
	const changed = (Object.keys(next) as K[]).filter((k) => next[k] !== patient[k]);
	return { changed, detail: changed.map((k) => `${String(k)}: ${shown(k, patient[k])} → ${shown(k, next[k])}`).join('; ') };
}

/**
 * Changes a registered patient's details (not the team: a transition moves that), audited with
 * each changed field before and after. The same refusals as a registration.
 */
export function editPatient(db: Db, user: SessionUser, patient: Patient, input: Omit<PatientInput, 'teamId' | 'code'> & { code: string }, now: Date, address: string | null = null): EditResult {
	const identity = checkIdentity(input);
	if (!identity.ok) return identity;
	return db.transaction((tx): EditResult => {
		const sameCode = duplicateOf(db, patient.organisationId, 'code', input.code, patient.id);
		if (sameCode !== null) return { ok: false, field: 'code', reason: 'duplicate', existing: existingFor(db, user, sameCode) };
		if (identity.nationalId !== null) {
			const sameId = duplicateOf(db, patient.organisationId, 'nationalId', identity.nationalId, patient.id);
			if (sameId !== null) return { ok: false, field: 'nationalId', reason: 'duplicate', existing: existingFor(db, user, sameId) };
		}
		const next = {
			code: input.code,
			displayName: input.displayName,
			birthYear: identity.birthYear,
			birthDate: identity.birthDate,
			nationalId: identity.nationalId,
			preferredLocale: input.preferredLocale
		};
		const { changed, detail } = patientChanges(patient, next);
		if (changed.length === 0) return { ok: true, patient, changed };
		const updated = tx.update(patients).set(next).where(eq(patients.id, patient.id)).returning().get();
		recordAudit(tx, { userId: user.id, action: 'patient_edited', patientId: patient.id, detail, address }, now);
		return { ok: true, patient: updated, changed };
	});
}

/** LIKE with a backslash escaping % and _ typed by the user (SQLite has no default escape). */
function contains(column: AnyColumn, pattern: string): SQL {
	return sql`${column} like ${pattern} escape '\\'`;
}

export interface SearchHit {
	id: number;
	code: string;
	displayName: string;
	birthYear: number;
	/** Masked, as on screen; null when none is registered. */
	nationalId: string | null;
}

export const SEARCH_LIMIT = 50;

/**
 * The patients of the user's teams whose code or name contains the query, or whose national
 * identity number is the query (all 11 digits, or the first six: the birth date). Audited as a
 * read of the patient list, with the query masked when it is a number.
 */
/**
 * A search as it may be shown and logged: a national identity number keeps its date part only
 * (`010190 *****`), as everywhere else; codes and names as typed.
 */
export function shownQuery(query: string): string {
	const q = query.trim();
	const digits = q.replace(/\s+/g, '');
	return /^[0-9]{6,11}$/.test(digits) ? `${digits.slice(0, 6)}${digits.length > 6 ? ' *****' : ''}` : q;
}

export function searchPatients(db: Db, user: SessionUser, query: string, now: Date, address: string | null = null): SearchHit[] {
	const teamIds = visibleTeamIds(db, user);
	const q = query.trim();
	const digits = q.replace(/\s+/g, '');
	recordAudit(db, { userId: user.id, action: 'searched_patients', detail: `search: ${shownQuery(q).slice(0, 80)}`, address }, now);
	if (teamIds.length === 0 || q === '') return [];
	const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
	const text = or(contains(patients.code, `%${escaped}%`), contains(patients.displayName, `%${escaped}%`));
	const number = /^[0-9]{11}$/.test(digits) ? eq(patients.nationalId, digits) : /^[0-9]{6}$/.test(digits) ? contains(patients.nationalId, `${digits}_____`) : undefined;
	return db
		.select({ id: patients.id, code: patients.code, displayName: patients.displayName, birthYear: patients.birthYear, nationalId: patients.nationalId })
		.from(patients)
		.where(and(patientVisibleTo(teamIds), isNull(patients.erasedAt), number === undefined ? text : or(text, number)))
		.orderBy(patients.code)
		.limit(SEARCH_LIMIT)
		.all()
		.map((p) => ({ ...p, nationalId: p.nationalId === null ? null : maskNationalId(p.nationalId) }));
}
