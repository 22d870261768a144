import { eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db';
import { appointments, episodes, flags, followUpPoints, milestoneMeetings, ratingLinks, treatmentGoals } from '../db/schema';

/**
 * Sub-selects of the ids that hang off one patient, for export and erasure alike. Sub-selects,
 * not id lists, so a patient with years of appointments stays inside SQLite's variable limit.
 */
export function patientScopes(db: Pick<Db, 'select'>, patientId: number) {
	const episodeIds = db.select({ id: episodes.id }).from(episodes).where(eq(episodes.patientId, patientId));
	const appointmentIds = db.select({ id: appointments.id }).from(appointments).where(inArray(appointments.episodeId, episodeIds));
	const followUpPointIds = db.select({ id: followUpPoints.id }).from(followUpPoints).where(inArray(followUpPoints.episodeId, episodeIds));
	return {
		episodeIds,
		appointmentIds,
		followUpPointIds,
		/** The links of the patient's appointments and of their follow-ups after discharge. */
		linkIds: db
			.select({ id: ratingLinks.id })
			.from(ratingLinks)
			.where(or(inArray(ratingLinks.appointmentId, appointmentIds), inArray(ratingLinks.followUpPointId, followUpPointIds))),
		meetingIds: db.select({ id: milestoneMeetings.id }).from(milestoneMeetings).where(inArray(milestoneMeetings.episodeId, episodeIds)),
		goalIds: db.select({ id: treatmentGoals.id }).from(treatmentGoals).where(inArray(treatmentGoals.episodeId, episodeIds)),
		flagIds: db.select({ id: flags.id }).from(flags).where(inArray(flags.episodeId, episodeIds))
	};
}
