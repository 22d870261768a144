import { and, eq, isNull } from 'drizzle-orm';
import { episodes, patients, settings } from '../db/schema';
import { teamTakesNewEpisodes } from '../episode-course';
import {
	conditionOf,
	conditionPath,
	ID,
	isClientPatient,
	isObject,
	registeredEpisode,
	str,
	type Entry,
	type EpisodeEntry,
	type PatientEntry,
	type PatientTarget,
	type Transaction
} from './transaction-entries';
import { isCalendarDate } from '$lib/domain/booking';

const PRACTITIONER = /^Practitioner\/[1-9][0-9]{0,9}$/;

/** The episode's patient: a Patient entry of the Bundle (its fullUrl) or `Patient/[id]`; null when it names neither. */
function patientTarget(t: Transaction, reference: unknown): PatientTarget | null {
	const ref = str(reference);
	if (ref === null) return null;
	const inBundle = t.byFullUrl.get(ref);
	if (inBundle !== undefined) return 'code' in inBundle ? { kind: 'bundle', entry: inBundle } : null;
	const [type, id] = ref.split('/');
	return type === 'Patient' && id !== undefined && ID.test(id) ? { kind: 'registered', id: Number(id) } : null;
}

/** The registered patient's id of a target; null for a new patient of the Bundle. */
export const registeredPatientId = (p: PatientTarget): number | null => (p.kind === 'registered' ? p.id : (p.entry.existing?.id ?? null));

/**
 * The EpisodeOfCare entries checked, each matched on the identifier its condition names. What
 * matched must be the same patient's episode, and is left as it is. A new one opens an episode
 * of a new patient of the Bundle (which must have one) or of a registered one, with the episode
 * page's rules: started by today and not ended, a setting, a team of the client's that takes new
 * episodes, an active member as responsible, and no open episode of the patient in that team.
 */
export function checkEpisodes(t: Transaction, entries: Entry[], patientList: PatientEntry[]): EpisodeEntry[] {
	const { refusals } = t;
	const out: EpisodeEntry[] = [];
	const identifiers = new Map<string, number>();
	// The patients a new episode opens for: one each.
	const opened = new Set<number | PatientEntry>();
	for (const k of entries) {
		const r = k.resource;
		const patientRef = isObject(r.patient) ? r.patient.reference : null;
		if (refusals.passedOver(k, patientRef)) continue;
		const patient = patientTarget(t, patientRef);
		if (patient === null) {
			refusals.refuse(k, 'resource.patient', 'required', 'The episode’s patient must be a Patient of this Bundle (its fullUrl) or Patient/[id]');
			continue;
		}
		const patientId = registeredPatientId(patient);
		if (patient.kind === 'registered' && !isClientPatient(t, patient.id)) {
			refusals.refuse(k, 'resource.patient', 'forbidden', 'This patient is not one of this client’s teams’');
			continue;
		}
		const identifier = conditionOf(k);
		if (identifier === null) {
			refusals.refuse(k, conditionPath(k), 'required', 'The entry must be conditional on one of the EpisodeOfCare’s identifiers (identifier=system|value)');
			continue;
		}
		const key = `${identifier.system}|${identifier.value}`;
		if (identifiers.has(key)) {
			refusals.refuse(k, 'resource.identifier', 'duplicate', `The same episode as Bundle.entry[${identifiers.get(key)}]`);
			continue;
		}
		identifiers.set(key, k.index);
		const period = isObject(r.period) ? r.period : {};
		const startDate = str(period.start);
		if (startDate === null || !isCalendarDate(startDate)) {
			refusals.refuse(k, 'resource.period.start', 'required', 'An episode needs its start date (YYYY-MM-DD)');
			continue;
		}
		const existing = registeredEpisode(t, identifier);
		if (existing !== null) {
			if (!isClientPatient(t, existing.patientId)) {
				refusals.refuse(k, 'resource.identifier', 'forbidden', 'This identifier is an episode of a patient this client may not write');
				continue;
			}
			if (existing.patientId !== patientId) {
				refusals.refuse(k, 'resource.patient', 'value', `This identifier is another patient’s episode (EpisodeOfCare/${existing.id})`);
				continue;
			}
			const entry: EpisodeEntry = {
				index: k.index,
				fullUrl: k.fullUrl,
				patient,
				identifier,
				startDate,
				setting: existing.setting,
				teamId: existing.teamId,
				responsibleId: existing.responsibleId,
				existing
			};
			out.push(entry);
			if (k.fullUrl !== null) t.byFullUrl.set(k.fullUrl, entry);
			continue;
		}
		const entry = newEpisode(t, k, patient, identifier, startDate, opened);
		if (entry === null) continue;
		out.push(entry);
		if (k.fullUrl !== null) t.byFullUrl.set(k.fullUrl, entry);
	}
	for (const p of patientList)
		if (p.existing === null && !out.some((e) => e.patient.kind === 'bundle' && e.patient.entry === p) && !refusals.isRefused(p.fullUrl) && !refusedEpisodeOf(t, entries, p))
			refusals.refuse(p, 'resource', 'required', 'A new patient is registered with an EpisodeOfCare in the same Bundle');
	return out;
}

/** Whether an EpisodeOfCare entry of the patient was refused (its issue is the one to fix). */
function refusedEpisodeOf(t: Transaction, entries: Entry[], p: PatientEntry): boolean {
	return p.fullUrl !== null && entries.some((k) => isObject(k.resource.patient) && k.resource.patient.reference === p.fullUrl && !t.byFullUrl.has(k.fullUrl ?? ''));
}

/** A new episode's checks; null when refused (the issue recorded). */
function newEpisode(t: Transaction, k: Entry, patient: PatientTarget, identifier: EpisodeEntry['identifier'], startDate: string, opened: Set<number | PatientEntry>): EpisodeEntry | null {
	const { urls } = t;
	const r = k.resource;
	const period = isObject(r.period) ? r.period : {};
	const type = Array.isArray(r.type) && isObject(r.type[0]) && Array.isArray(r.type[0].coding) && isObject(r.type[0].coding[0]) ? r.type[0].coding[0] : {};
	const setting = type.system === `${urls.codeSystem}-setting` ? str(type.code) : null;
	const teamName = Array.isArray(r.team) && isObject(r.team[0]) ? str(r.team[0].display) : null;
	const team = teamName === null ? (t.teams.length === 1 ? t.teams[0] : undefined) : t.teams.find((x) => x.name === teamName);
	const manager = isObject(r.careManager) ? str(r.careManager.reference) : null;
	const responsibleId = manager !== null && PRACTITIONER.test(manager) ? Number(manager.split('/')[1]) : null;
	const patientId = registeredPatientId(patient);
	const key = patientId ?? (patient as { entry: PatientEntry }).entry;
	if (opened.has(key)) return refuse(t, k, 'resource.patient', 'duplicate', 'One new episode per patient in a Bundle');

	if (startDate > t.today || period.end !== undefined) return refuse(t, k, 'resource.period', 'value', 'A new episode has started (no later than today) and has not ended');
	if (setting === null || !(settings as readonly string[]).includes(setting))
		return refuse(t, k, 'resource.type', 'required', `The setting (system ${urls.codeSystem}-setting, code ${settings.join(', ')})`);
	if (team === undefined || !teamTakesNewEpisodes(t.ctx.db, team.id)) return refuse(t, k, 'resource.team', 'forbidden', 'The episode’s team (its name) must be one this client may write');
	if (manager !== null && (responsibleId === null || !t.members.get(team.id)!.has(responsibleId)))
		return refuse(t, k, 'resource.careManager', 'value', 'The responsible clinician must be an active member of the team (Practitioner/[id])');
	if (patientId !== null) {
		const open = openEpisodeIn(t, patientId, team.id);
		if (open !== null) return refuse(t, k, 'resource', 'duplicate', `The patient has an open episode in this team (EpisodeOfCare/${open}); it is ended on the patient’s page before another opens`);
	}
	opened.add(key);
	return { index: k.index, fullUrl: k.fullUrl, patient, identifier, startDate, setting: setting as EpisodeEntry['setting'], teamId: team.id, responsibleId, existing: null };
}

function refuse(t: Transaction, k: Entry, path: string, code: Parameters<Transaction['refusals']['refuse']>[2], diagnostics: string): null {
	t.refusals.refuse(k, path, code, diagnostics);
	return null;
}

/** The patient's open episode in the team (its own team, or the patient's for an episode from before episodes had one), or null. */
function openEpisodeIn(t: Transaction, patientId: number, teamId: number): number | null {
	const row = t.ctx.db
		.select({ id: episodes.id, teamId: episodes.teamId, patientTeamId: patients.teamId })
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(and(eq(episodes.patientId, patientId), isNull(episodes.actualEnd)))
		.all()
		.find((e) => (e.teamId ?? e.patientTeamId) === teamId);
	return row?.id ?? null;
}
