import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { appointments, episodes, flags, milestoneMeetings, treatmentGoals } from '../db/schema';

/**
 * Sub-selects of the ids that hang off one patient, for export and erasure alike. Sub-selects,
 * not id lists, so a patient with years of appointments stays inside SQLite's variable limit.
 */
export function patientScopes(db: Pick<Db, 'select'>, patientId: number) {
	const episodeIds = db.select({ id: episodes.id }).from(episodes).where(eq(episodes.patientId, patientId));
	return {
		episodeIds,
		appointmentIds: db.select({ id: appointments.id }).from(appointments).where(inArray(appointments.episodeId, episodeIds)),
		meetingIds: db.select({ id: milestoneMeetings.id }).from(milestoneMeetings).where(inArray(milestoneMeetings.episodeId, episodeIds)),
		goalIds: db.select({ id: treatmentGoals.id }).from(treatmentGoals).where(inArray(treatmentGoals.episodeId, episodeIds)),
		flagIds: db.select({ id: flags.id }).from(flags).where(inArray(flags.episodeId, episodeIds))
	};
}
