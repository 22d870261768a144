import { and, eq, inArray } from 'drizzle-orm';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import type { RequestContext } from '../context';
import { appointments, episodes, patients } from '../db/schema';
import { recordAudit } from '../audit';
import { ImportRefused, writeAppointment, writeEpisode, writeImport, type Importer } from '../import/write';
import type { ImportPatient, Refusal, SourceIdentifier } from '../import/rows';
import type { ApiClientActor } from './api-clients';
import { FhirError } from './outcome';
import { registeredPatientId } from './transaction-episodes';
import type { AppointmentEntry, EpisodeEntry, PatientEntry } from './transaction-entries';

const idByIdentifier = (ctx: RequestContext, table: typeof episodes | typeof appointments, id: SourceIdentifier): number =>
	ctx.db
		.select({ id: table.id })
		.from(table)
		.where(and(eq(table.identifierSystem, id.system), eq(table.identifierValue, id.value)))
		.get()!.id;

/** A new appointment as the import's write takes it. */
const booking = (a: AppointmentEntry): ImportPatient['appointments'][number] => ({
	row: a.index,
	at: a.at,
	durationMinutes: a.durationMinutes,
	sessionMode: 'in_person',
	clinicianId: a.clinicianId,
	identifier: a.identifier
});

/**
 * Writes what the checks accepted, in one transaction: new patients with their episode and its
 * appointments through the import's write, a registered patient's changed fields (audited as the
 * patient page does), new episodes of registered patients and new appointments in registered
 * episodes, each with its identifier. Answers each entry with its status and location: 201 for
 * what it made, 200 for what matched (changed or not). One audit line sums it up when anything
 * was written; the same Bundle again writes nothing.
 */
export function writeTransaction(ctx: RequestContext, client: ApiClientActor, count: number, patientList: PatientEntry[], episodeList: EpisodeEntry[], appointmentList: AppointmentEntry[]): Bundle {
	const responses: BundleEntry[] = Array.from({ length: count }, () => ({}));
	const answer = (i: number, location: string, isNew: boolean) => (responses[i] = { response: { status: isNew ? '201 Created' : '200 OK', location } });
	const importer: Importer = { organisationId: client.organisationId, userId: null, apiClientId: client.id, mayWrite: (teamId) => client.teamIds.includes(teamId) };
	const newAppointments = appointmentList.filter((a) => a.existingId === null);
	const byEpisode = new Map<EpisodeEntry, AppointmentEntry[]>();
	for (const a of newAppointments) if (a.episode.kind === 'bundle') byEpisode.set(a.episode.entry, [...(byEpisode.get(a.episode.entry) ?? []), a]);
	const inEpisode = (ep: EpisodeEntry) => byEpisode.get(ep) ?? [];
	const byTeam = new Map<number, ImportPatient[]>();
	for (const ep of episodeList) {
		if (ep.existing !== null || ep.patient.kind !== 'bundle' || ep.patient.entry.existing !== null) continue;
		const p = ep.patient.entry;
		const list = byTeam.get(ep.teamId) ?? [];
		list.push({
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
			identifier: ep.identifier,
			appointments: inEpisode(ep).map(booking)
		});
		byTeam.set(ep.teamId, list);
	}
	const tally = { patients: 0, updated: 0, episodes: 0, appointments: 0 };
	try {
		ctx.db.transaction(() => {
			for (const [teamId, list] of byTeam) {
				tally.appointments += writeImport(ctx.db, importer, teamId, list, ctx.now, ctx.address, () => {});
				tally.patients += list.length;
				tally.episodes += list.length;
			}
			for (const p of patientList) {
				if (p.existing !== null && Object.keys(p.changes).length > 0) {
					ctx.db.update(patients).set(p.changes).where(eq(patients.id, p.existing.id)).run();
					recordAudit(ctx.db, { userId: null, apiClientId: client.id, action: 'patient_edited', patientId: p.existing.id, detail: p.changeDetail, address: ctx.address }, ctx.now);
					tally.updated++;
				}
			}
			// The new patients' ids, read back inside the transaction in one query.
			const newCodes = patientList.filter((p) => p.existing === null).map((p) => p.code);
			const made =
				newCodes.length === 0
					? []
					: ctx.db
							.select({ id: patients.id, code: patients.code })
							.from(patients)
							.where(and(eq(patients.organisationId, client.organisationId), inArray(patients.code, newCodes)))
							.all();
			const idOfCode = new Map(made.map((p) => [p.code, p.id]));
			const patientIdOf = (p: PatientEntry) => p.existing?.id ?? idOfCode.get(p.code)!;
			for (const p of patientList) {
				answer(p.index, `Patient/${patientIdOf(p)}`, p.existing === null);
				ctx.returned.push(patientIdOf(p));
			}
			const episodeIds = new Map<EpisodeEntry, number>();
			for (const ep of episodeList) {
				const patientId = registeredPatientId(ep.patient);
				let id = ep.existing?.id ?? null;
				if (id === null && patientId !== null) {
					id = writeEpisode(ctx.db, importer, patientId, ep.teamId, { ...ep, plannedEnd: null, sessionIntervalDays: null, referralReason: '' }, ctx.now, ctx.address);
					tally.episodes++;
				}
				id ??= idByIdentifier(ctx, episodes, ep.identifier);
				episodeIds.set(ep, id);
				answer(ep.index, `EpisodeOfCare/${id}`, ep.existing === null);
				ctx.returned.push(patientId ?? patientIdOf((ep.patient as { entry: PatientEntry }).entry));
			}
			for (const a of appointmentList) {
				let id = a.existingId;
				const written = a.episode.kind === 'bundle' && a.episode.entry.existing === null && registeredPatientId(a.episode.entry.patient) === null;
				if (id === null && !written) {
					const episodeId = a.episode.kind === 'registered' ? a.episode.episode.id : episodeIds.get(a.episode.entry)!;
					const setting = a.episode.kind === 'registered' ? a.episode.episode.setting : a.episode.entry.setting;
					id = writeAppointment(ctx.db, episodeId, a.clinicianId, setting === 'group', booking(a));
					tally.appointments++;
				}
				answer(a.index, `Appointment/${id ?? idByIdentifier(ctx, appointments, a.identifier)}`, a.existingId === null);
				if (a.episode.kind === 'registered') ctx.returned.push(a.episode.episode.patientId);
			}
			if (tally.patients + tally.updated + tally.episodes + tally.appointments > 0)
				recordAudit(
					ctx.db,
					{
						userId: null,
						apiClientId: client.id,
						action: 'changed_record',
						detail: `FHIR transaction: ${tally.patients} new patients, ${tally.updated} patients updated, ${tally.episodes} episodes opened, ${tally.appointments} appointments booked; ${count - responses.filter((r) => r.response?.status === '201 Created').length - tally.updated} entries unchanged`,
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

/** The element of a refusal the write made (the database's last word, after the checks). */
function elementOf(field: Refusal['field']): string {
	return field === 'patient_code' || field === 'national_id' ? '.identifier' : field === 'birth_date' ? '.birthDate' : field === 'responsible' ? '.participant' : '';
}
