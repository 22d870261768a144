import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import {
	ratingLinks,
	outboxMessages,
	contactConsents,
	followUpPoints,
	absencePlans,
	appointments,
	checklistAnswers,
	dischargePlans,
	episodeReopenings,
	episodeTransitions,
	outreachAttempts,
	outreachTasks,
	episodes,
	flags,
	goalVersions,
	meetingRecords,
	milestoneMeetings,
	patients,
	ratings,
	riskActions,
	tabletHandoffs,
	teams,
	treatmentGoals,
	type Patient
} from '../db/schema';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { redactPatientDetails } from '../audit-chain';
import { patientScopes } from './patient-data';

export const ERASE_REASON_MIN = 10;
export const ERASE_REASON_MAX = 500;

/** The code an erased patient's tombstone carries instead of the clinic's code. */
export function tombstoneCode(patientId: number): string {
	return `slettet-${patientId}`;
}

/**
 * The patient with this code in the administrator's organisation, not already erased. The
 * administrator erases by code: they treat no one, so they never open the patient's record.
 */
export function findPatientByCode(db: Db, organisationId: number, code: string): Patient | null {
	const row = db
		.select({ patient: patients })
		.from(patients)
		.innerJoin(teams, eq(teams.id, patients.teamId))
		.where(and(eq(teams.organisationId, organisationId), eq(patients.code, code), isNull(patients.erasedAt)))
		.get();
	return row?.patient ?? null;
}

/**
 * Erases a patient's clinical data on request (GDPR art. 17), in one transaction: every row of
 * every clinical table that hangs off the patient is deleted, children before parents. What is
 * left is a tombstone — the patient row with no name, birth year or code, and `erased_at` set —
 * because the append-only audit trail refers to it by id; the trail keeps its events (their
 * details removed, see redactPatientDetails) and gains an `erased_patient` event with who, when
 * and why. Neither the name nor the code stays anywhere in the file: the delete runs with
 * SQLite's secure_delete on (freed space is overwritten with zeros, not left readable in free
 * pages), and the WAL, which still holds the pages as they were, is checkpointed and truncated
 * once the erasure is committed. Backups taken before still hold the data (README, "Erasure").
 */
export function erasePatient(db: Db, admin: SessionUser, patient: Patient, reason: string, address: string | null, now: Date): void {
	const client = db.$client;
	const secure = client.pragma('secure_delete', { simple: true }) as number;
	client.pragma('secure_delete = ON');
	try {
		eraseRows(db, admin, patient, reason, address, now);
	} finally {
		client.pragma(`secure_delete = ${secure}`);
	}
	// Outside the transaction (a checkpoint cannot run inside one). TRUNCATE waits for readers
	// (busy_timeout); should one still hold the WAL, the background checkpointer copies it back
	// soon and the next writes overwrite it from the start.
	client.pragma('wal_checkpoint(TRUNCATE)');
}

function eraseRows(db: Db, admin: SessionUser, patient: Patient, reason: string, address: string | null, now: Date): void {
	db.transaction((tx) => {
		const s = patientScopes(tx, patient.id);
		// A tablet still handed over for one of these appointments is taken back.
		tx.update(tabletHandoffs)
			.set({ endedAt: now })
			.where(and(isNull(tabletHandoffs.endedAt), sql`exists (select 1 from json_each(${tabletHandoffs.appointmentIds}) where value in ${s.appointmentIds})`))
			.run();
		tx.delete(outreachAttempts)
			.where(inArray(outreachAttempts.taskId, tx.select({ id: outreachTasks.id }).from(outreachTasks).where(inArray(outreachTasks.episodeId, s.episodeIds))))
			.run();
		tx.delete(outreachTasks).where(inArray(outreachTasks.episodeId, s.episodeIds)).run();
		tx.delete(episodeTransitions).where(inArray(episodeTransitions.episodeId, s.episodeIds)).run();
		tx.delete(episodeReopenings).where(inArray(episodeReopenings.episodeId, s.episodeIds)).run();
		tx.delete(riskActions).where(inArray(riskActions.episodeId, s.episodeIds)).run();
		tx.delete(meetingRecords).where(inArray(meetingRecords.meetingId, s.meetingIds)).run();
		tx.delete(milestoneMeetings).where(inArray(milestoneMeetings.episodeId, s.episodeIds)).run();
		tx.delete(flags).where(inArray(flags.episodeId, s.episodeIds)).run();
		tx.delete(goalVersions).where(inArray(goalVersions.goalId, s.goalIds)).run();
		tx.delete(treatmentGoals).where(inArray(treatmentGoals.episodeId, s.episodeIds)).run();
		tx.delete(dischargePlans).where(inArray(dischargePlans.episodeId, s.episodeIds)).run();
		tx.delete(absencePlans).where(inArray(absencePlans.episodeId, s.episodeIds)).run();
		tx.delete(checklistAnswers).where(inArray(checklistAnswers.episodeId, s.episodeIds)).run();
		// Messages point at their links, links at the appointment (or follow-up) and its rating: in that order.
		tx.delete(outboxMessages).where(eq(outboxMessages.patientId, patient.id)).run();
		tx.delete(contactConsents).where(eq(contactConsents.patientId, patient.id)).run();
		tx.delete(ratingLinks).where(inArray(ratingLinks.id, s.linkIds)).run();
		tx.delete(followUpPoints).where(inArray(followUpPoints.episodeId, s.episodeIds)).run();
		// Corrections point at the rating they replace: they go first.
		tx.delete(ratings)
			.where(and(inArray(ratings.appointmentId, s.appointmentIds), isNotNull(ratings.correctsRatingId)))
			.run();
		tx.delete(ratings).where(inArray(ratings.appointmentId, s.appointmentIds)).run();
		tx.delete(appointments).where(inArray(appointments.id, s.appointmentIds)).run();
		tx.delete(episodes).where(eq(episodes.patientId, patient.id)).run();
		tx.update(patients)
			.set({ code: tombstoneCode(patient.id), displayName: '', birthYear: 0, birthDate: null, nationalId: null, preferredLocale: null, erasedAt: now })
			.where(eq(patients.id, patient.id))
			.run();
		redactPatientDetails(db.$client, patient.id, patient.code);
		recordAudit(tx, { userId: admin.id, action: 'erased_patient', patientId: patient.id, detail: `reason: ${reason}`, address }, now);
	});
}
