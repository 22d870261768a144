import type { Appointment as FhirAppointment, EpisodeOfCare } from '@medplum/fhirtypes';
import type { FhirUrls } from './identifiers';

/** One episode with what its resource needs: its team's name and its clinician's. */
export interface EpisodeRow {
	identifierSystem: string | null;
	identifierValue: string | null;
	id: number;
	patientId: number;
	startDate: string;
	actualEnd: string | null;
	endReason: string | null;
	setting: string;
	teamName: string | null;
	responsibleId: number | null;
	responsibleName: string | null;
	createdAt: Date;
}

export interface AppointmentRow {
	identifierSystem: string | null;
	identifierValue: string | null;
	id: number;
	episodeId: number;
	patientId: number;
	clinicianId: number;
	clinicianName: string;
	scheduledAt: Date;
	durationMinutes: number;
	status: 'scheduled' | 'attended' | 'no_show' | 'late_cancellation' | 'cancelled';
	isGroup: boolean;
	createdAt: Date;
}

/**
 * The episode as an EpisodeOfCare: finished once it has an end, planned while its start is
 * ahead (the clinic's today, given), else active. The setting and the way it ended are local
 * codes (no national code set exists for them).
 */
/** The sending system's identifier, kept when it sent the episode or appointment (POST /fhir), so that it can send it again conditionally. */
function identifierOf(row: { identifierSystem: string | null; identifierValue: string | null }): { identifier?: { system: string; value: string }[] } {
	return row.identifierSystem === null || row.identifierValue === null ? {} : { identifier: [{ system: row.identifierSystem, value: row.identifierValue }] };
}

export function toEpisodeOfCare(urls: FhirUrls, row: EpisodeRow, today: string): EpisodeOfCare {
	const status = row.actualEnd !== null ? 'finished' : row.startDate > today ? 'planned' : 'active';
	return {
		resourceType: 'EpisodeOfCare',
		...identifierOf(row),
		id: String(row.id),
		meta: { lastUpdated: row.createdAt.toISOString() },
		status,
		type: [{ coding: [{ system: `${urls.codeSystem}-setting`, code: row.setting }] }],
		patient: { reference: `Patient/${row.patientId}` },
		period: { start: row.startDate, ...(row.actualEnd === null ? {} : { end: row.actualEnd }) },
		...(row.teamName === null ? {} : { team: [{ display: row.teamName }] }),
		...(row.responsibleId === null ? {} : { careManager: { reference: `Practitioner/${row.responsibleId}`, display: row.responsibleName ?? undefined } }),
		...(row.endReason === null ? {} : { extension: [{ url: `${urls.base}/StructureDefinition/episode-end-reason`, valueCode: row.endReason }] })
	};
}

// Stemme's appointment states in the R4 value set appointmentstatus; a late cancellation is a
// cancellation whose lateness Stemme keeps locally.
const STATUS: Record<AppointmentRow['status'], FhirAppointment['status']> = {
	scheduled: 'booked',
	attended: 'fulfilled',
	no_show: 'noshow',
	late_cancellation: 'cancelled',
	cancelled: 'cancelled'
};

/** The appointment, its episode as supporting information (R4 Appointment has no episode element). */
export function toAppointment(row: AppointmentRow): FhirAppointment {
	const end = new Date(row.scheduledAt.getTime() + row.durationMinutes * 60_000);
	return {
		resourceType: 'Appointment',
		...identifierOf(row),
		id: String(row.id),
		meta: { lastUpdated: row.createdAt.toISOString() },
		status: STATUS[row.status],
		...(row.status === 'late_cancellation' ? { cancelationReason: { text: 'late cancellation' } } : {}),
		...(row.isGroup ? { appointmentType: { text: 'group session' } } : {}),
		start: row.scheduledAt.toISOString(),
		end: end.toISOString(),
		minutesDuration: row.durationMinutes,
		supportingInformation: [{ reference: `EpisodeOfCare/${row.episodeId}` }],
		participant: [
			{ actor: { reference: `Patient/${row.patientId}` }, status: 'accepted' },
			{ actor: { reference: `Practitioner/${row.clinicianId}`, display: row.clinicianName }, status: 'accepted' }
		]
	};
}
