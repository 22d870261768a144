import { and, eq } from 'drizzle-orm';
import type { RequestContext } from '../context';
import { episodes, patients, type Locale, type Patient } from '../db/schema';
import type { ImportPatient, SourceIdentifier } from '../import/rows';
import type { ApiClientActor } from './api-clients';
import { clientPatients } from './reads';
import type { FhirUrls } from './identifiers';
import type { Issue } from './outcome';

// The parts of a transaction Bundle (transaction.ts): what each entry became once checked, and
// what the checks of Patient, EpisodeOfCare and Appointment entries share.

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
export const ID = /^[1-9][0-9]{0,9}$/;

export type EntryType = 'Patient' | 'EpisodeOfCare' | 'Appointment';

/** One entry of the Bundle, with its place (for the OperationOutcome) and its fullUrl (for references to it). */
export interface Entry {
	index: number;
	type: EntryType;
	resource: Json;
	request: Json;
	fullUrl: string | null;
}

/** A Patient entry, checked: a new patient, or the registered one its condition found and the fields it changes. */
export interface PatientEntry {
	index: number;
	fullUrl: string | null;
	code: string;
	nationalId: string | null;
	displayName: string;
	birthDate: string | null;
	birthYear: number | null;
	locale: Locale | null;
	existing: Patient | null;
	/** Of a registered patient: the changeable fields that differ (name, birth date, language, a first national identity number). */
	changes: Partial<Pick<Patient, 'displayName' | 'birthDate' | 'birthYear' | 'nationalId' | 'preferredLocale'>>;
	/** The `patient_edited` audit line of the changes (each field before and after). */
	changeDetail: string;
}

/** An episode's patient: a Patient entry of the Bundle, or one registered (`Patient/[id]`). */
export type PatientTarget = { kind: 'bundle'; entry: PatientEntry } | { kind: 'registered'; id: number };

export interface EpisodeEntry {
	index: number;
	fullUrl: string | null;
	patient: PatientTarget;
	identifier: SourceIdentifier;
	startDate: string;
	setting: ImportPatient['setting'];
	teamId: number;
	responsibleId: number | null;
	/** The episode the identifier found, else null (a new one). */
	existing: RegisteredEpisode | null;
}

export interface RegisteredEpisode {
	id: number;
	patientId: number;
	teamId: number;
	setting: ImportPatient['setting'];
	responsibleId: number | null;
	actualEnd: string | null;
}

/** An appointment's episode: an EpisodeOfCare entry of the Bundle, or one registered (`EpisodeOfCare/[id]`). */
export type EpisodeTarget = { kind: 'bundle'; entry: EpisodeEntry } | { kind: 'registered'; episode: RegisteredEpisode };

export interface AppointmentEntry {
	index: number;
	episode: EpisodeTarget;
	identifier: SourceIdentifier;
	at: Date;
	durationMinutes: number;
	clinicianId: number;
	existingId: number | null;
}

/** What every part reads: the request, the client, its teams and their active members, and the refusals so far. */
export interface Transaction {
	ctx: RequestContext;
	client: ApiClientActor;
	urls: FhirUrls;
	today: string;
	teams: { id: number; name: string }[];
	members: Map<number, Set<number>>;
	refusals: Refusals;
	/** The checked Patient and EpisodeOfCare entries by fullUrl, for the references to them. */
	byFullUrl: Map<string, PatientEntry | EpisodeEntry>;
}

/**
 * The issues of a Bundle, each naming its entry and element. An entry that refers to a refused
 * one is passed over without an issue of its own: the first issue is the one to fix.
 */
export class Refusals {
	readonly issues: Issue[] = [];
	private readonly urls = new Set<string>();

	refuse(entry: Pick<Entry, 'index' | 'fullUrl'>, path: string, code: Issue['code'], diagnostics: string): void {
		if (entry.fullUrl !== null) this.urls.add(entry.fullUrl);
		this.issues.push({ code, diagnostics, expression: `Bundle.entry[${entry.index}]${path === '' ? '' : '.' + path}` });
	}

	/** Refused along with the entry it refers to, when that was refused; true then. */
	passedOver(entry: Entry, reference: unknown): boolean {
		if (typeof reference !== 'string' || !this.urls.has(reference)) return false;
		if (entry.fullUrl !== null) this.urls.add(entry.fullUrl);
		return true;
	}

	isRefused(fullUrl: string | null): boolean {
		return fullUrl !== null && this.urls.has(fullUrl);
	}
}

/** The identifier a condition names (`identifier=system|value`), or null. */
function conditionIdentifier(condition: string): SourceIdentifier | null {
	const q = new URLSearchParams(condition);
	const id = q.get('identifier');
	if ([...q.keys()].length !== 1 || id === null || !id.includes('|')) return null;
	const [system, value] = id.split('|', 2) as [string, string];
	return system === '' || value === '' ? null : { system, value };
}

/** Where an entry's condition is: `request.ifNoneExist` of a POST, or the query of a conditional PUT (`Patient?identifier=…`). */
export const conditionPath = (entry: Entry): string => (entry.request.method === 'PUT' ? 'request.url' : 'request.ifNoneExist');

/** The resource's identifiers (objects only). */
export const identifiersOf = (resource: Json): Json[] => (Array.isArray(resource.identifier) ? resource.identifier.filter(isObject) : []);

/**
 * The identifier an entry is conditional on, when the resource carries it too; else null. Every
 * entry is conditional on an identifier, so the same Bundle sent again matches what the first made.
 */
export function conditionOf(entry: Entry): SourceIdentifier | null {
	const url = str(entry.request.url);
	const raw = entry.request.method === 'POST' ? str(entry.request.ifNoneExist) : url !== null && url.startsWith(`${entry.type}?`) ? url.slice(entry.type.length + 1) : null;
	const condition = conditionIdentifier(raw ?? '');
	if (condition === null) return null;
	return identifiersOf(entry.resource).some((x) => x.system === condition.system && str(x.value) === condition.value) ? condition : null;
}

/** Whether a registered patient is one of the client's teams'. */
export function isClientPatient(t: Transaction, patientId: number): boolean {
	return (
		t.ctx.db
			.select({ id: patients.id })
			.from(patients)
			.where(and(eq(patients.id, patientId), clientPatients(t.client)))
			.get() !== undefined
	);
}

/** A registered episode by id or by identifier, with the team that treats it now. */
export function registeredEpisode(t: Transaction, by: { id: number } | SourceIdentifier): RegisteredEpisode | null {
	const where = 'id' in by ? eq(episodes.id, by.id) : and(eq(episodes.identifierSystem, by.system), eq(episodes.identifierValue, by.value));
	const row = t.ctx.db
		.select({
			id: episodes.id,
			patientId: episodes.patientId,
			teamId: episodes.teamId,
			patientTeamId: patients.teamId,
			setting: episodes.setting,
			responsibleId: episodes.responsibleId,
			actualEnd: episodes.actualEnd
		})
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(where)
		.get();
	if (row === undefined) return null;
	const { patientTeamId, ...rest } = row;
	return { ...rest, teamId: row.teamId ?? patientTeamId };
}
