import { and, eq, inArray } from 'drizzle-orm';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import type { RequestContext } from '../context';
import { appointments, episodes, locales, patients, settings, teams, type Locale } from '../db/schema';
import { recordAudit } from '../audit';
import { activeMembers } from '../episode-course';
import { ImportRefused, writeImport } from '../import/write';
import type { ImportPatient, Refusal } from '../import/rows';
import type { ApiClientActor } from './api-clients';
import { clientPatients } from './reads';
import { MAX_TRANSACTION_ENTRIES } from './capability';
import { D_NUMMER_SYSTEM, FODSELSNUMMER_SYSTEM, fhirUrls, type FhirUrls } from './identifiers';
import { FhirError, type Issue } from './outcome';
import { checkNationalId } from '$lib/domain/national-id';
import { clinicWallClock, DEFAULT_DURATION_MINUTES, isCalendarDate, MAX_DURATION_MINUTES, MIN_DURATION_MINUTES } from '$lib/domain/booking';

const MEDIA_TYPES = /^application\/(fhir\+)?json\s*(;|$)/i;
const ID = /^[1-9][0-9]{0,9}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

interface PatientEntry {
	index: number;
	fullUrl: string | null;
	code: string;
	nationalId: string | null;
	displayName: string;
	birthDate: string | null;
	birthYear: number | null;
	locale: Locale | null;
	/** The registered patient the condition found, else null (a new one). */
	existingId: number | null;
}
interface EpisodeEntry {
	index: number;
	patient: PatientEntry | { existingId: number };
	startDate: string;
	setting: ImportPatient['setting'];
	teamId: number;
	responsibleId: number | null;
	existingId: number | null;
}
interface AppointmentEntry {
	index: number;
	episode: EpisodeEntry | { existingId: number };
	at: Date;
	durationMinutes: number;
	clinicianId: number | null;
	existingId: number | null;
}

/** The identifier a condition names (`identifier=system|value`), or null. */
function conditionIdentifier(condition: string): { system: string; value: string } | null {
	const q = new URLSearchParams(condition);
	const keys = [...q.keys()];
	const id = q.get('identifier');
	if (keys.length !== 1 || id === null || !id.includes('|')) return null;
	const [system, value] = id.split('|', 2) as [string, string];
	return system === '' || value === '' ? null : { system, value };
}

/** The entry's condition: `request.ifNoneExist` of a POST, or the query of a conditional PUT (`Patient?identifier=…`). */
function entryCondition(request: Json, type: string): string | null {
	if (request.method === 'POST') return str(request.ifNoneExist);
	const url = str(request.url);
	return url !== null && url.startsWith(`${type}?`) ? url.slice(type.length + 1) : null;
}

/**
 * `POST /fhir` with a transaction Bundle of Patient, EpisodeOfCare and Appointment: a patient is
 * matched on the identifier its condition names (the patient code or the national identity
 * number), an episode on its patient and start date, an appointment on its episode and start;
 * what matched answers 200 and is left as it is, what did not is registered through the import's
 * own write (the registration's and the episode's audit lines, the client as actor), all in one
 * transaction. A new episode or appointment for a patient already registered is refused (opening
 * an episode and booking are the patient page's). Any refusal refuses the whole bundle, each issue
 * naming its entry and element.
 */
export async function postTransaction(ctx: RequestContext, client: ApiClientActor, base: string, request: Request): Promise<Bundle> {
	if (!MEDIA_TYPES.test(request.headers.get('content-type') ?? ''))
		throw new FhirError(415, [{ code: 'not-supported', diagnostics: 'Send the Bundle as application/fhir+json (or application/json)' }]);
	let text: string;
	try {
		text = await request.text();
	} catch {
		throw new FhirError(413, [
			{ code: 'too-costly', diagnostics: `The body is larger than this server accepts (BODY_SIZE_LIMIT); send at most ${MAX_TRANSACTION_ENTRIES} entries per Bundle, in smaller Bundles` }
		]);
	}
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new FhirError(400, [{ code: 'structure', diagnostics: 'The body is not JSON', expression: 'Bundle' }]);
	}
	if (!isObject(body) || body.resourceType !== 'Bundle') throw new FhirError(400, [{ code: 'structure', diagnostics: 'Send a Bundle', expression: 'Bundle.resourceType' }]);
	if (body.type !== 'transaction') throw new FhirError(400, [{ code: 'value', diagnostics: 'The Bundle must be of type transaction', expression: 'Bundle.type' }]);
	const entries = body.entry ?? [];
	if (!Array.isArray(entries)) throw new FhirError(400, [{ code: 'structure', diagnostics: 'Bundle.entry must be a list', expression: 'Bundle.entry' }]);
	if (entries.length > MAX_TRANSACTION_ENTRIES)
		throw new FhirError(413, [{ code: 'too-costly', diagnostics: `A transaction may carry at most ${MAX_TRANSACTION_ENTRIES} entries (this one has ${entries.length})`, expression: 'Bundle.entry' }]);
	return runTransaction(ctx, client, fhirUrls(base), entries);
}

function runTransaction(ctx: RequestContext, client: ApiClientActor, urls: FhirUrls, entries: unknown[]): Bundle {
	const issues: Issue[] = [];
	const at = (i: number, path: string) => `Bundle.entry[${i}]${path === '' ? '' : '.' + path}`;
	// An entry that refers to a refused one is not refused again: the first issue is the one to fix.
	const refusedUrls = new Set<string>();
	const refusedEntries = new Set<number>();
	const refuse = (i: number, path: string, code: Issue['code'], diagnostics: string) => {
		refusedEntries.add(i);
		issues.push({ code, diagnostics, expression: at(i, path) });
	};
	const today = clinicWallClock(ctx.now).date;
	const clientTeams = ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, client.teamIds)).all();
	const members = new Map(clientTeams.map((t) => [t.id, new Set(activeMembers(ctx.db, t.id).map((m) => m.id))]));
	const byFullUrl = new Map<string, PatientEntry | EpisodeEntry>();
	const kinds: { index: number; type: string; resource: Json; request: Json; fullUrl: string | null }[] = [];
	entries.forEach((e, i) => {
		if (!isObject(e) || !isObject(e.resource) || !isObject(e.request)) return refuse(i, '', 'structure', 'Each entry needs a resource and a request');
		const type = e.resource.resourceType;
		if (type !== 'Patient' && type !== 'EpisodeOfCare' && type !== 'Appointment')
			return refuse(i, 'resource.resourceType', 'not-supported', 'Only Patient, EpisodeOfCare and Appointment are imported');
		if (e.request.method !== 'POST' && e.request.method !== 'PUT') return refuse(i, 'request.method', 'not-supported', 'Each entry is a POST (with ifNoneExist) or a conditional PUT');
		kinds.push({ index: i, type, resource: e.resource, request: e.request, fullUrl: str(e.fullUrl) });
	});
	const markRefused = () => {
		for (const k of kinds) if (refusedEntries.has(k.index) && k.fullUrl !== null) refusedUrls.add(k.fullUrl);
	};
	const refersToRefused = (reference: unknown) => typeof reference === 'string' && refusedUrls.has(reference);

	// Patients first: the others refer to them.
	const seen = new Map<string, number>();
	const patientEntries: PatientEntry[] = [];
	for (const k of kinds.filter((x) => x.type === 'Patient')) {
		const r = k.resource;
		const ids = Array.isArray(r.identifier) ? r.identifier.filter(isObject) : [];
		const code = ids.find((x) => x.system === urls.patientCode);
		const national = ids.find((x) => x.system === FODSELSNUMMER_SYSTEM || x.system === D_NUMMER_SYSTEM);
		const codeValue = str(code?.value);
		if (codeValue === null || codeValue.length > 40) {
			refuse(k.index, 'resource.identifier', 'required', `A Patient needs its patient code (system ${urls.patientCode}, at most 40 characters)`);
			continue;
		}
		let nationalId: string | null = null;
		if (national !== undefined) {
			const checked = checkNationalId(String(national.value ?? ''));
			if (!checked.ok) {
				refuse(k.index, 'resource.identifier', 'value', `The national identity number is not valid (${checked.reason})`);
				continue;
			}
			nationalId = checked.value;
			if (str(r.birthDate) !== null && /^\d{4}-/.test(String(r.birthDate)) && r.birthDate !== checked.birthDate) {
				refuse(k.index, 'resource.birthDate', 'value', 'The birth date differs from the national identity number’s');
				continue;
			}
		}
		const condition = conditionIdentifier(entryCondition(k.request, 'Patient') ?? '');
		if (condition === null || !ids.some((x) => x.system === condition.system && str(x.value) === condition.value)) {
			refuse(k.index, k.request.method === 'PUT' ? 'request.url' : 'request.ifNoneExist', 'required', 'The entry must be conditional on one of the Patient’s identifiers (identifier=system|value)');
			continue;
		}
		const names = Array.isArray(r.name) ? r.name.filter(isObject) : [];
		const first = names[0];
		const displayName = str(first?.text) ?? str([...(Array.isArray(first?.given) ? first.given : []), first?.family].filter((x) => typeof x === 'string').join(' '));
		if (displayName === null || displayName.length > 100) {
			refuse(k.index, 'resource.name', 'required', 'A Patient needs a name (at most 100 characters)');
			continue;
		}
		const birth = str(r.birthDate);
		const birthYear = birth !== null && /^\d{4}$/.test(birth) ? Number(birth) : null;
		const birthDate = birth !== null && birthYear === null ? birth : null;
		if ((birthDate !== null && !isCalendarDate(birthDate)) || (birth === null && nationalId === null)) {
			refuse(k.index, 'resource.birthDate', birth === null ? 'required' : 'value', 'A Patient needs a birth date (YYYY or YYYY-MM-DD) or a national identity number');
			continue;
		}
		const comms = Array.isArray(r.communication) ? r.communication.filter(isObject) : [];
		const language = comms.map((c) => (isObject(c.language) && Array.isArray(c.language.coding) ? c.language.coding[0] : undefined)).find(isObject);
		const locale = str(language?.code);
		if (locale !== null && !(locales as readonly string[]).includes(locale)) {
			refuse(k.index, 'resource.communication', 'value', `The language must be one of ${locales.join(', ')}`);
			continue;
		}
		const twice = seen.get(codeValue) ?? (nationalId === null ? undefined : seen.get(nationalId));
		if (twice !== undefined) {
			refuse(k.index, 'resource.identifier', 'duplicate', `The same patient as Bundle.entry[${twice}]`);
			continue;
		}
		seen.set(codeValue, k.index);
		if (nationalId !== null) seen.set(nationalId, k.index);
		const match = ctx.db
			.select({ id: patients.id })
			.from(patients)
			.where(and(eq(patients.organisationId, client.organisationId), condition.system === urls.patientCode ? eq(patients.code, condition.value) : eq(patients.nationalId, nationalId ?? '')))
			.get();
		if (
			match !== undefined &&
			ctx.db
				.select({ id: patients.id })
				.from(patients)
				.where(and(eq(patients.id, match.id), clientPatients(client)))
				.get() === undefined
		) {
			refuse(k.index, 'resource.identifier', 'forbidden', 'This patient is registered in a team this client may not write');
			continue;
		}
		const entry: PatientEntry = { index: k.index, fullUrl: k.fullUrl, code: codeValue, nationalId, displayName, birthDate, birthYear, locale: locale as Locale | null, existingId: match?.id ?? null };
		patientEntries.push(entry);
		if (k.fullUrl !== null) byFullUrl.set(k.fullUrl, entry);
	}
	const resolve = (reference: unknown, type: 'Patient' | 'EpisodeOfCare'): PatientEntry | EpisodeEntry | { existingId: number } | null => {
		const ref = str(reference);
		if (ref === null) return null;
		const inBundle = byFullUrl.get(ref);
		if (inBundle !== undefined) return 'code' in inBundle === (type === 'Patient') ? inBundle : null;
		const [t, id] = ref.split('/');
		return t === type && id !== undefined && ID.test(id) ? { existingId: Number(id) } : null;
	};

	markRefused();
	const episodeEntries: EpisodeEntry[] = [];
	const refusedEpisodeOf = new Set<string>();
	for (const k of kinds.filter((x) => x.type === 'EpisodeOfCare')) {
		const r = k.resource;
		const patientRef = isObject(r.patient) ? r.patient.reference : null;
		if (refersToRefused(patientRef)) {
			if (k.fullUrl !== null) refusedUrls.add(k.fullUrl);
			continue;
		}
		const patient = resolve(patientRef, 'Patient') as PatientEntry | { existingId: number } | null;
		if (patient === null) {
			refuse(k.index, 'resource.patient', 'required', 'The episode’s patient must be a Patient of this Bundle (its fullUrl) or Patient/[id]');
			continue;
		}
		if (
			!('code' in patient) &&
			ctx.db
				.select({ id: patients.id })
				.from(patients)
				.where(and(eq(patients.id, patient.existingId), clientPatients(client)))
				.get() === undefined
		) {
			refuse(k.index, 'resource.patient', 'forbidden', 'This patient is not one of this client’s teams’');
			continue;
		}
		const period = isObject(r.period) ? r.period : {};
		const startDate = str(period.start);
		if (startDate === null || !isCalendarDate(startDate)) {
			refuse(k.index, 'resource.period.start', 'required', 'An episode needs its start date (YYYY-MM-DD)');
			continue;
		}
		const patientId = patient.existingId;
		const existing =
			patientId === null
				? undefined
				: ctx.db
						.select({ id: episodes.id })
						.from(episodes)
						.where(and(eq(episodes.patientId, patientId), eq(episodes.startDate, startDate)))
						.get();
		const type = Array.isArray(r.type) && isObject(r.type[0]) && Array.isArray(r.type[0].coding) && isObject(r.type[0].coding[0]) ? r.type[0].coding[0] : {};
		const setting = type.system === `${urls.codeSystem}-setting` ? str(type.code) : null;
		const teamName = Array.isArray(r.team) && isObject(r.team[0]) ? str(r.team[0].display) : null;
		const team = teamName === null ? (clientTeams.length === 1 ? clientTeams[0] : undefined) : clientTeams.find((t) => t.name === teamName);
		const manager = isObject(r.careManager) ? str(r.careManager.reference) : null;
		const responsibleId = manager !== null && /^Practitioner\/[1-9][0-9]{0,9}$/.test(manager) ? Number(manager.split('/')[1]) : null;
		const entry: EpisodeEntry = {
			index: k.index,
			patient,
			startDate,
			setting: (setting ?? 'outpatient') as EpisodeEntry['setting'],
			teamId: team?.id ?? 0,
			responsibleId,
			existingId: existing?.id ?? null
		};
		if (existing === undefined) {
			if (patientId !== null) {
				refuse(k.index, 'resource', 'not-supported', 'A new episode for a patient already registered is opened on the patient’s page');
				continue;
			}
			if (episodeEntries.some((e) => e.patient === patient)) {
				refuse(k.index, 'resource.patient', 'duplicate', 'One new episode per new patient');
				continue;
			}
			if (startDate > today || period.end !== undefined) {
				refuse(k.index, 'resource.period', 'value', 'A new episode has started (no later than today) and has not ended');
				continue;
			}
			if (setting === null || !(settings as readonly string[]).includes(setting)) {
				refuse(k.index, 'resource.type', 'required', `The setting (system ${urls.codeSystem}-setting, code ${settings.join(', ')})`);
				continue;
			}
			if (team === undefined) {
				refuse(k.index, 'resource.team', 'forbidden', 'The episode’s team (its name) must be one this client may write');
				continue;
			}
			if (manager !== null && (responsibleId === null || !members.get(team.id)!.has(responsibleId))) {
				refuse(k.index, 'resource.careManager', 'value', 'The responsible clinician must be an active member of the team (Practitioner/[id])');
				continue;
			}
		}
		episodeEntries.push(entry);
		if (k.fullUrl !== null) byFullUrl.set(k.fullUrl, entry);
	}
	for (const k of kinds) if (k.type === 'EpisodeOfCare' && refusedEntries.has(k.index) && isObject(k.resource.patient)) refusedEpisodeOf.add(String(k.resource.patient.reference));
	for (const p of patientEntries)
		if (p.existingId === null && !episodeEntries.some((e) => e.patient === p) && (p.fullUrl === null || !refusedEpisodeOf.has(p.fullUrl)))
			refuse(p.index, 'resource', 'required', 'A new patient is registered with an EpisodeOfCare in the same Bundle');
	markRefused();

	const appointmentEntries: AppointmentEntry[] = [];
	for (const k of kinds.filter((x) => x.type === 'Appointment')) {
		const r = k.resource;
		const info = Array.isArray(r.supportingInformation) ? r.supportingInformation.filter(isObject) : [];
		if (info.some((x) => refersToRefused(x.reference))) continue;
		const episode = info.map((x) => resolve(x.reference, 'EpisodeOfCare')).find((x) => x !== null) as EpisodeEntry | { existingId: number } | undefined;
		if (episode === undefined) {
			refuse(k.index, 'resource.supportingInformation', 'required', 'The appointment’s episode must be an EpisodeOfCare of this Bundle (its fullUrl) or EpisodeOfCare/[id]');
			continue;
		}
		const start = str(r.start);
		const at = start !== null && INSTANT.test(start) ? new Date(start) : null;
		if (at === null || Number.isNaN(at.getTime())) {
			refuse(k.index, 'resource.start', 'required', 'An appointment needs its start (an instant with its zone)');
			continue;
		}
		const end = str(r.end);
		const minutes = typeof r.minutesDuration === 'number' ? r.minutesDuration : end !== null ? Math.round((new Date(end).getTime() - at.getTime()) / 60_000) : DEFAULT_DURATION_MINUTES;
		const practitioner = (Array.isArray(r.participant) ? r.participant.filter(isObject) : [])
			.map((x) => (isObject(x.actor) ? str(x.actor.reference) : null))
			.find((x): x is string => x !== null && x.startsWith('Practitioner/'));
		const clinicianId = practitioner !== undefined && ID.test(practitioner.slice(13)) ? Number(practitioner.slice(13)) : null;
		const episodeId = episode.existingId;
		if (!('startDate' in episode) && episodeId !== null) {
			const mine = ctx.db
				.select({ id: episodes.id })
				.from(episodes)
				.innerJoin(patients, eq(patients.id, episodes.patientId))
				.where(and(eq(episodes.id, episodeId), clientPatients(client)))
				.get();
			if (mine === undefined) {
				refuse(k.index, 'resource.supportingInformation', 'forbidden', 'This episode is not one of this client’s teams’ patients’');
				continue;
			}
		}
		const existing =
			episodeId === null
				? undefined
				: ctx.db
						.select({ id: appointments.id })
						.from(appointments)
						.where(and(eq(appointments.episodeId, episodeId), eq(appointments.scheduledAt, at)))
						.get();
		if (existing === undefined) {
			if (episodeId !== null) {
				refuse(k.index, 'resource', 'not-supported', 'A new appointment in an episode already registered is booked on the patient’s page');
				continue;
			}
			const ep = episode as EpisodeEntry;
			if (r.status !== 'booked') {
				refuse(k.index, 'resource.status', 'value', 'A new appointment is booked');
				continue;
			}
			if (at.getTime() < ctx.now.getTime()) {
				refuse(k.index, 'resource.start', 'value', 'A new appointment is in the future');
				continue;
			}
			if (!Number.isInteger(minutes) || minutes < MIN_DURATION_MINUTES || minutes > MAX_DURATION_MINUTES) {
				refuse(k.index, 'resource.minutesDuration', 'value', `The length is ${MIN_DURATION_MINUTES}–${MAX_DURATION_MINUTES} minutes`);
				continue;
			}
			const who = clinicianId ?? ep.responsibleId;
			if (who === null || !(members.get(ep.teamId)?.has(who) ?? false)) {
				refuse(k.index, 'resource.participant', 'value', 'The appointment’s clinician (Practitioner/[id], or the episode’s careManager) must be an active member of the team');
				continue;
			}
		}
		appointmentEntries.push({ index: k.index, episode, at, durationMinutes: minutes, clinicianId, existingId: existing?.id ?? null });
	}
	if (issues.length > 0) throw new FhirError(issues.every((i) => i.code === 'forbidden') ? 403 : 400, issues);
	return write(ctx, client, entries.length, patientEntries, episodeEntries, appointmentEntries);
}

/** Registers what did not match, in one transaction, and answers each entry with its status and location. */
function write(ctx: RequestContext, client: ApiClientActor, count: number, patientList: PatientEntry[], episodeList: EpisodeEntry[], appointmentList: AppointmentEntry[]): Bundle {
	const responses: BundleEntry[] = Array.from({ length: count }, () => ({}));
	const created = (i: number, location: string, isNew: boolean) => (responses[i] = { response: { status: isNew ? '201 Created' : '200 OK', location } });
	// The new patients by team, each with its one episode and that episode's appointments.
	const byTeam = new Map<number, { list: ImportPatient[]; entries: EpisodeEntry[] }>();
	for (const ep of episodeList) {
		if (ep.existingId !== null || !('code' in ep.patient)) continue;
		const p = ep.patient;
		const group = byTeam.get(ep.teamId) ?? { list: [], entries: [] };
		group.list.push({
			rows: [p.index],
			code: p.code,
			displayName: p.displayName,
			birthDate: p.birthDate,
			birthYear: p.birthYear,
			nationalId: p.nationalId,
			preferredLocale: p.locale,
			setting: ep.setting,
			startDate: ep.startDate,
			plannedEnd: null,
			responsibleId: ep.responsibleId,
			sessionIntervalDays: null,
			referralReason: '',
			appointments: appointmentList
				.filter((a) => a.episode === ep)
				.map((a) => ({ row: a.index, at: a.at, durationMinutes: a.durationMinutes, sessionMode: 'in_person' as const, ...(a.clinicianId === null ? {} : { clinicianId: a.clinicianId }) }))
		});
		group.entries.push(ep);
		byTeam.set(ep.teamId, group);
	}
	const importer = { organisationId: client.organisationId, userId: null, apiClientId: client.id, mayWrite: (teamId: number) => client.teamIds.includes(teamId) };
	try {
		ctx.db.transaction(() => {
			let booked = 0;
			for (const [teamId, group] of byTeam) booked += writeImport(ctx.db, importer, teamId, group.list, ctx.now, ctx.address, () => {});
			// The new rows' ids, read back inside the transaction.
			const newPatients = patientList.filter((p) => p.existingId === null);
			const codes =
				newPatients.length === 0
					? []
					: ctx.db
							.select({ id: patients.id, code: patients.code })
							.from(patients)
							.where(
								and(
									eq(patients.organisationId, client.organisationId),
									inArray(
										patients.code,
										newPatients.map((p) => p.code)
									)
								)
							)
							.all();
			const idOf = new Map(codes.map((c) => [c.code, c.id]));
			for (const p of patientList) {
				const id = p.existingId ?? idOf.get(p.code)!;
				created(p.index, `Patient/${id}`, p.existingId === null);
				ctx.returned.push(id);
			}
			const episodeOf = new Map<EpisodeEntry, number>();
			for (const ep of episodeList) {
				const id =
					ep.existingId ??
					ctx.db
						.select({ id: episodes.id })
						.from(episodes)
						.where(eq(episodes.patientId, idOf.get((ep.patient as PatientEntry).code)!))
						.get()!.id;
				episodeOf.set(ep, id);
				created(ep.index, `EpisodeOfCare/${id}`, ep.existingId === null);
				if (!('code' in ep.patient)) ctx.returned.push(ep.patient.existingId);
			}
			for (const a of appointmentList) {
				const episodeId = a.existingId !== null ? null : episodeOf.get(a.episode as EpisodeEntry)!;
				const id =
					a.existingId ??
					ctx.db
						.select({ id: appointments.id })
						.from(appointments)
						.where(and(eq(appointments.episodeId, episodeId!), eq(appointments.scheduledAt, a.at)))
						.get()!.id;
				created(a.index, `Appointment/${id}`, a.existingId === null);
			}
			const made = responses.filter((r) => r.response?.status === '201 Created').length;
			if (made > 0)
				recordAudit(
					ctx.db,
					{
						userId: null,
						apiClientId: client.id,
						action: 'changed_record',
						detail: `FHIR transaction: ${newPatients.length} patients with open episodes, ${booked} appointments; ${count - made} entries unchanged`,
						address: ctx.address
					},
					ctx.now
				);
		});
	} catch (e) {
		if (!(e instanceof ImportRefused)) throw e;
		throw new FhirError(409, [
			{
				code: e.refusal.reason === 'already-registered' ? 'duplicate' : 'invalid',
				diagnostics: `Refused: ${e.refusal.field} ${e.refusal.reason}`,
				expression: `Bundle.entry[${e.refusal.row}].resource${elementOf(e.refusal.field)}`
			}
		]);
	}
	ctx.returned.splice(0, ctx.returned.length, ...new Set(ctx.returned));
	return { resourceType: 'Bundle', type: 'transaction-response', entry: responses };
}

/** The element of a refusal the write made (the database's last word, after the checks above). */
function elementOf(field: Refusal['field']): string {
	return field === 'patient_code' || field === 'national_id' ? '.identifier' : field === 'birth_date' ? '.birthDate' : field === 'responsible' ? '.participant' : '';
}
