import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { appointments, episodes, patients } from '../db/schema';
import { perDatabase } from '../db/prepared';
import { recordAudit } from '../audit';
import { checkIdentity, registrationDetail } from '../registration';
import { activeMembers, episodeOpenedDetail, teamTakesNewEpisodes } from '../episode-course';
import type { ImportPatient, Refusal } from './rows';
import { osloDate } from '../appointments';

const p = sql.placeholder;

// Built once per connection: the page's registerPatient and startEpisode build and parse their
// queries on each call (about 1.5 ms a patient, most of a 2,000-patient import's 3 s), which is
// right for one patient and wrong for thousands in one transaction that holds the database.
const statements = perDatabase((db: Db) => ({
	patient: db
		.insert(patients)
		.values({
			organisationId: p('organisationId'),
			teamId: p('teamId'),
			code: p('code'),
			displayName: p('displayName'),
			birthYear: p('birthYear'),
			birthDate: p('birthDate'),
			nationalId: p('nationalId'),
			preferredLocale: p('preferredLocale')
		})
		.returning({ id: patients.id })
		.prepare(),
	episode: db
		.insert(episodes)
		.values({
			patientId: p('patientId'),
			teamId: p('teamId'),
			setting: p('setting'),
			responsibleId: p('responsibleId'),
			startDate: p('startDate'),
			sessionIntervalDays: p('sessionIntervalDays'),
			plannedEnd: p('plannedEnd'),
			referralReason: p('referralReason'),
			identifierSystem: p('identifierSystem'),
			identifierValue: p('identifierValue')
		})
		.returning({ id: episodes.id })
		.prepare(),
	appointment: db
		.insert(appointments)
		.values({
			episodeId: p('episodeId'),
			clinicianId: p('clinicianId'),
			scheduledAt: p('scheduledAt'),
			durationMinutes: p('durationMinutes'),
			sessionMode: p('sessionMode'),
			isGroup: p('isGroup'),
			identifierSystem: p('identifierSystem'),
			identifierValue: p('identifierValue')
		})
		.returning({ id: appointments.id })
		.prepare()
}));

type EpisodeInput = Pick<ImportPatient, 'setting' | 'responsibleId' | 'startDate' | 'sessionIntervalDays' | 'plannedEnd' | 'referralReason' | 'identifier'>;

/**
 * Opens an episode of a registered patient, audited as the episode page does; in the caller's
 * transaction, its rules checked by the caller. Returns the episode's id.
 */
export function writeEpisode(db: Db, importer: Importer, patientId: number, teamId: number, input: EpisodeInput, now: Date, address: string | null): number {
	const episodeId = statements(db).episode.get({
		patientId,
		teamId,
		setting: input.setting,
		responsibleId: input.responsibleId,
		startDate: input.startDate,
		sessionIntervalDays: input.sessionIntervalDays,
		plannedEnd: input.plannedEnd,
		referralReason: input.referralReason,
		identifierSystem: input.identifier?.system ?? null,
		identifierValue: input.identifier?.value ?? null
	})!.id;
	recordAudit(
		db,
		{ userId: importer.userId, apiClientId: importer.apiClientId, action: 'episode_opened', patientId, detail: episodeOpenedDetail(episodeId, { teamId, ...input }, null), address },
		now
	);
	return episodeId;
}

/** Books one appointment in an episode, in the caller's transaction (its rules checked by the caller). Returns its id. */
export function writeAppointment(db: Db, episodeId: number, clinicianId: number, isGroup: boolean, a: ImportPatient['appointments'][number]): number {
	return statements(db).appointment.get({
		episodeId,
		clinicianId,
		scheduledAt: a.at,
		durationMinutes: a.durationMinutes,
		sessionMode: a.sessionMode,
		isGroup,
		identifierSystem: a.identifier?.system ?? null,
		identifierValue: a.identifier?.value ?? null
	})!.id;
}

/** Why the write stopped: the first row of the patient it could not store, the column and why. */
export class ImportRefused extends Error {
	readonly refusal: Refusal;
	constructor(row: number, field: Refusal['field'], reason: Refusal['reason']) {
		super(`row ${row}: ${field} ${reason}`);
		this.refusal = { row, field, reason };
	}
}

/** The registration's identity refusals, in the import's columns. */
const identityRefusal = (field: 'nationalId' | 'birthDate', reason: string): [Refusal['field'], Refusal['reason']] => [
	field === 'nationalId' ? 'national_id' : 'birth_date',
	reason === 'check-digit' ? 'check-digit' : reason === 'national-id-mismatch' ? 'differs' : reason === 'missing' ? 'required' : 'invalid'
];

/** SQLite's answer to a second patient with the same code or national identity number in the organisation. */
function uniqueField(e: unknown): 'patient_code' | 'national_id' | null {
	const message = (e as { code?: string; message?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' ? ((e as Error).message ?? '') : '';
	if (message.includes('patients.national_id')) return 'national_id';
	if (message.includes('patients.code')) return 'patient_code';
	return null;
}

/**
 * Who imports: a staff member through the import page, or an API client through `POST /fhir`.
 * `mayWrite` is the importer's right to the team (a member; a client given the team); the audit
 * lines name the user or the client.
 */
export interface Importer {
	organisationId: number;
	userId: number | null;
	apiClientId: number | null;
	mayWrite: (teamId: number) => boolean;
}

/**
 * Writes what a dry run accepted — each patient registered, their episode opened and their
 * appointments booked, with the same audit lines as the registration and episode pages write —
 * in the caller's transaction. The page's own rules are checked again here, once for the import
 * (the importer may write the team, the team takes new episodes, each responsible clinician is an active
 * member) and per patient (the identity); a patient registered meanwhile is refused by the
 * database's unique keys. Throws `ImportRefused` on the first problem: the caller rolls back.
 * A new patient has no earlier episode and no outreach task, so startEpisode's drop-out and
 * outreach steps have nothing to do here.
 */
export function writeImport(db: Db, importer: Importer, teamId: number, list: readonly ImportPatient[], now: Date, address: string | null, progress: (done: number) => void): number {
	// Before the first patient: the lead left the team, or it was archived, after the dry run.
	if (!importer.mayWrite(teamId) || !teamTakesNewEpisodes(db, teamId)) throw new ImportRefused(list[0]?.rows[0] ?? 1, 'row', 'team');
	const members = new Set(activeMembers(db, teamId).map((m) => m.id));
	// The dry run compared with its own day; the run may come after midnight.
	const today = osloDate(now);
	const s = statements(db);
	let booked = 0;
	list.forEach((patient, i) => {
		const row = patient.rows[0]!;
		const identity = checkIdentity(patient);
		if (!identity.ok) throw new ImportRefused(row, ...identityRefusal(identity.field, identity.reason));
		if (patient.responsibleId !== null && !members.has(patient.responsibleId)) throw new ImportRefused(row, 'responsible', 'not-in-team');
		if (patient.plannedEnd !== null && patient.plannedEnd < today) throw new ImportRefused(row, 'planned_end', 'in-past');
		let patientId: number;
		try {
			patientId = s.patient.get({
				organisationId: importer.organisationId,
				teamId,
				code: patient.code,
				displayName: patient.displayName,
				birthYear: identity.birthYear,
				birthDate: identity.birthDate,
				nationalId: identity.nationalId,
				preferredLocale: patient.preferredLocale
			})!.id;
		} catch (e) {
			const field = uniqueField(e);
			if (field === null) throw e;
			throw new ImportRefused(row, field, 'already-registered');
		}
		recordAudit(
			db,
			{ userId: importer.userId, apiClientId: importer.apiClientId, action: 'patient_registered', patientId, detail: registrationDetail(patient.code, teamId, identity.nationalId), address },
			now
		);
		const episodeId = writeEpisode(db, importer, patientId, teamId, patient, now, address);
		for (const a of patient.appointments) {
			const clinicianId = a.clinicianId ?? patient.responsibleId ?? importer.userId;
			if (clinicianId === null || !members.has(clinicianId)) throw new ImportRefused(a.row, 'responsible', 'not-in-team');
			writeAppointment(db, episodeId, clinicianId, patient.setting === 'group', a);
		}
		booked += patient.appointments.length;
		progress(i + 1);
	});
	return booked;
}
