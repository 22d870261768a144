import { and, eq } from 'drizzle-orm';
import { appointments } from '../db/schema';
import { conditionOf, conditionPath, ID, isClientPatient, isObject, registeredEpisode, str, type AppointmentEntry, type Entry, type EpisodeTarget, type Transaction } from './transaction-entries';
import { DEFAULT_DURATION_MINUTES, MAX_DURATION_MINUTES, MIN_DURATION_MINUTES } from '$lib/domain/booking';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The appointment's episode among its `supportingInformation`: an EpisodeOfCare entry of the Bundle or `EpisodeOfCare/[id]`. */
function episodeTarget(t: Transaction, references: unknown[]): EpisodeTarget | 'not-found' | null {
	for (const reference of references) {
		const ref = str(reference);
		if (ref === null) continue;
		const inBundle = t.byFullUrl.get(ref);
		if (inBundle !== undefined && 'startDate' in inBundle) return { kind: 'bundle', entry: inBundle };
		const [type, id] = ref.split('/');
		if (type !== 'EpisodeOfCare' || id === undefined || !ID.test(id)) continue;
		const episode = registeredEpisode(t, { id: Number(id) });
		return episode === null || !isClientPatient(t, episode.patientId) ? 'not-found' : { kind: 'registered', episode };
	}
	return null;
}

/**
 * The Appointment entries checked, each matched on the identifier its condition names; what
 * matched must be in the same episode, and is left as it is. A new one is booked in a new or
 * registered episode that is open and of one of the client's teams: `booked`, ahead, 10–240
 * minutes, its clinician (the Practitioner participant, or the episode's responsible) an active
 * member of the episode's team.
 */
export function checkAppointments(t: Transaction, entries: Entry[]): AppointmentEntry[] {
	const { refusals } = t;
	const out: AppointmentEntry[] = [];
	const identifiers = new Map<string, number>();
	for (const k of entries) {
		const r = k.resource;
		const info = (Array.isArray(r.supportingInformation) ? r.supportingInformation.filter(isObject) : []).map((x) => x.reference);
		if (info.some((ref) => refusals.passedOver(k, ref))) continue;
		const episode = episodeTarget(t, info);
		if (episode === null || episode === 'not-found') {
			if (episode === null) refusals.refuse(k, 'resource.supportingInformation', 'required', 'The appointment’s episode must be an EpisodeOfCare of this Bundle (its fullUrl) or EpisodeOfCare/[id]');
			else refusals.refuse(k, 'resource.supportingInformation', 'forbidden', 'This episode is not one of this client’s teams’ patients’');
			continue;
		}
		const identifier = conditionOf(k);
		if (identifier === null) {
			refusals.refuse(k, conditionPath(k), 'required', 'The entry must be conditional on one of the Appointment’s identifiers (identifier=system|value)');
			continue;
		}
		const key = `${identifier.system}|${identifier.value}`;
		if (identifiers.has(key)) {
			refusals.refuse(k, 'resource.identifier', 'duplicate', `The same appointment as Bundle.entry[${identifiers.get(key)}]`);
			continue;
		}
		identifiers.set(key, k.index);
		const start = str(r.start);
		const at = start !== null && INSTANT.test(start) ? new Date(start) : null;
		if (at === null || Number.isNaN(at.getTime())) {
			refusals.refuse(k, 'resource.start', 'required', 'An appointment needs its start (an instant with its zone)');
			continue;
		}
		const end = str(r.end);
		const minutes = typeof r.minutesDuration === 'number' ? r.minutesDuration : end !== null ? Math.round((new Date(end).getTime() - at.getTime()) / 60_000) : DEFAULT_DURATION_MINUTES;
		const practitioner = (Array.isArray(r.participant) ? r.participant.filter(isObject) : [])
			.map((x) => (isObject(x.actor) ? str(x.actor.reference) : null))
			.find((x): x is string => x !== null && x.startsWith('Practitioner/'));
		const named = practitioner !== undefined && ID.test(practitioner.slice(13)) ? Number(practitioner.slice(13)) : null;
		const ep = episode.kind === 'bundle' ? episode.entry : null;
		const episodeId = episode.kind === 'registered' ? episode.episode.id : (ep!.existing?.id ?? null);
		const existing = t.ctx.db
			.select({ id: appointments.id, episodeId: appointments.episodeId })
			.from(appointments)
			.where(and(eq(appointments.identifierSystem, identifier.system), eq(appointments.identifierValue, identifier.value)))
			.get();
		if (existing !== undefined) {
			if (existing.episodeId !== episodeId) {
				refusals.refuse(k, 'resource.identifier', 'value', 'This identifier is an appointment in another episode');
				continue;
			}
			out.push({ index: k.index, episode, identifier, at, durationMinutes: minutes, clinicianId: named ?? 0, existingId: existing.id });
			continue;
		}
		const target = episode.kind === 'registered' ? episode.episode : ep!.existing;
		const teamId = target?.teamId ?? ep!.teamId;
		if (target !== null && target.actualEnd !== null) {
			refusals.refuse(k, 'resource.supportingInformation', 'value', 'The episode has ended: a new appointment is booked in an open episode');
			continue;
		}
		if (!t.client.teamIds.includes(teamId)) {
			refusals.refuse(k, 'resource.supportingInformation', 'forbidden', 'The episode’s team is not one this client may write');
			continue;
		}
		if (r.status !== 'booked') {
			refusals.refuse(k, 'resource.status', 'value', 'A new appointment is booked');
			continue;
		}
		if (at.getTime() < t.ctx.now.getTime()) {
			refusals.refuse(k, 'resource.start', 'value', 'A new appointment is in the future');
			continue;
		}
		if (!Number.isInteger(minutes) || minutes < MIN_DURATION_MINUTES || minutes > MAX_DURATION_MINUTES) {
			refusals.refuse(k, 'resource.minutesDuration', 'value', `The length is ${MIN_DURATION_MINUTES}–${MAX_DURATION_MINUTES} minutes`);
			continue;
		}
		const who = named ?? target?.responsibleId ?? ep!.responsibleId;
		if (who === null || !(t.members.get(teamId)?.has(who) ?? false)) {
			refusals.refuse(k, 'resource.participant', 'value', 'The appointment’s clinician (Practitioner/[id], or the episode’s careManager) must be an active member of the team');
			continue;
		}
		out.push({ index: k.index, episode, identifier, at, durationMinutes: minutes, clinicianId: who, existingId: null });
	}
	return out;
}
