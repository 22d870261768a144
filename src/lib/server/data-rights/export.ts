import { asc, eq, getTableColumns, inArray, or } from 'drizzle-orm';
import type { Db } from '../db';
import {
	auditEventPatients,
	absencePlans,
	appointments,
	auditEvents,
	checklistAnswers,
	contactConsents,
	dischargePlans,
	episodes,
	flags,
	followUpPoints,
	goalVersions,
	meetingRecords,
	milestoneMeetings,
	outboxMessages,
	ratings,
	ratingLinks,
	riskActions,
	teams,
	treatmentGoals,
	type Patient
} from '../db/schema';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { patientScopes } from './patient-data';

const { tokenHash: _secret, ...linkColumns } = getTableColumns(ratingLinks);
// A queued message's body still holds its link's token: the export names the message, not its text.
const { body: _body, ...messageColumns } = getTableColumns(outboxMessages);

/**
 * Bumped when the shape of the export changes, so a reader knows what it holds.
 * 1: the first versioned file. 2: appointments gain `sessionMode` (in person, video or phone).
 * 3: `followUpPoints` (follow-ups after discharge, with their answers), `contactConsents` and
 * `messages`; `ratingLinks` include the follow-ups' links (`followUpPointId`, `appointmentId` null) and the
 * birth-date gate's `unlockedAt` and `gateFailures`. 4: episodes and appointments gain the patient-record
 * system's `identifierSystem` and `identifierValue` (POST /fhir).
 */
export const EXPORT_FORMAT_VERSION = 4;

/**
 * Everything stored about one patient (GDPR art. 15 and 20: access and portability), as plain
 * rows of each table — nothing summarised away: ratings with their corrections, every version of
 * checklist answers, meeting records, goals and discharge plans, and the audit events about the
 * patient. Staff are referred to by user id. The export itself is audited first, so it is in it.
 */
export function exportPatient(db: Db, user: SessionUser, patient: Patient, address: string | null, now: Date) {
	recordAudit(db, { userId: user.id, action: 'exported_patient', patientId: patient.id, address }, now);
	const s = patientScopes(db, patient.id);
	const team = db.select({ name: teams.name }).from(teams).where(eq(teams.id, patient.teamId)).get();
	return {
		format: 'stemme-patient-export',
		version: EXPORT_FORMAT_VERSION,
		exportedAt: now.toISOString(),
		exportedBy: { id: user.id, username: user.username },
		patient: { ...patient, teamName: team?.name ?? null },
		episodes: db.select().from(episodes).where(eq(episodes.patientId, patient.id)).orderBy(asc(episodes.id)).all(),
		appointments: db.select().from(appointments).where(inArray(appointments.id, s.appointmentIds)).orderBy(asc(appointments.id)).all(),
		ratings: db.select().from(ratings).where(inArray(ratings.appointmentId, s.appointmentIds)).orderBy(asc(ratings.id)).all(),
		// The links sent for the patient's own phone, without the hash of their token.
		ratingLinks: db.select(linkColumns).from(ratingLinks).where(inArray(ratingLinks.id, s.linkIds)).orderBy(asc(ratingLinks.id)).all(),
		followUpPoints: db.select().from(followUpPoints).where(inArray(followUpPoints.id, s.followUpPointIds)).orderBy(asc(followUpPoints.id)).all(),
		contactConsents: db.select().from(contactConsents).where(eq(contactConsents.patientId, patient.id)).orderBy(asc(contactConsents.id)).all(),
		messages: db.select(messageColumns).from(outboxMessages).where(eq(outboxMessages.patientId, patient.id)).orderBy(asc(outboxMessages.id)).all(),
		checklistAnswers: db.select().from(checklistAnswers).where(inArray(checklistAnswers.episodeId, s.episodeIds)).orderBy(asc(checklistAnswers.id)).all(),
		absencePlans: db.select().from(absencePlans).where(inArray(absencePlans.episodeId, s.episodeIds)).orderBy(asc(absencePlans.id)).all(),
		flags: db.select().from(flags).where(inArray(flags.episodeId, s.episodeIds)).orderBy(asc(flags.id)).all(),
		actions: db.select().from(riskActions).where(inArray(riskActions.episodeId, s.episodeIds)).orderBy(asc(riskActions.id)).all(),
		meetings: db.select().from(milestoneMeetings).where(inArray(milestoneMeetings.episodeId, s.episodeIds)).orderBy(asc(milestoneMeetings.id)).all(),
		meetingRecords: db.select().from(meetingRecords).where(inArray(meetingRecords.meetingId, s.meetingIds)).orderBy(asc(meetingRecords.id)).all(),
		goals: db.select().from(treatmentGoals).where(inArray(treatmentGoals.episodeId, s.episodeIds)).orderBy(asc(treatmentGoals.id)).all(),
		goalVersions: db.select().from(goalVersions).where(inArray(goalVersions.goalId, s.goalIds)).orderBy(asc(goalVersions.id)).all(),
		dischargePlans: db.select().from(dischargePlans).where(inArray(dischargePlans.episodeId, s.episodeIds)).orderBy(asc(dischargePlans.id)).all(),
		// The patient's access log: events about them, and list pages that showed them.
		auditEvents: db
			.select()
			.from(auditEvents)
			.where(
				or(eq(auditEvents.patientId, patient.id), inArray(auditEvents.id, db.select({ id: auditEventPatients.eventId }).from(auditEventPatients).where(eq(auditEventPatients.patientId, patient.id))))
			)
			.orderBy(asc(auditEvents.id))
			.all()
	};
}

export type PatientExport = ReturnType<typeof exportPatient>;
