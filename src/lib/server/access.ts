import { eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './db';
import { episodes, patients, teamMemberships } from './db/schema';
import type { SessionUser } from './auth/session';

/**
 * The teams whose patients a user may see: the teams they belong to, whatever their role.
 * An administrator manages users and reads the audit log but treats no one, so sees no patient
 * unless also a member of the treating team (health records are open only to those who take
 * part in the patient's care — pasientjournalloven § 19 on access on a need-to-know basis).
 */
export function visibleTeamIds(db: Db, user: SessionUser): number[] {
	return db
		.select({ id: teamMemberships.teamId })
		.from(teamMemberships)
		.where(eq(teamMemberships.userId, user.id))
		.all()
		.map((t) => t.id);
}

/**
 * The team an episode belongs to now: its own (it moves with a transition), or for an episode
 * from before episodes had a team, the patient's.
 */
export const episodeTeam = sql<number>`coalesce(${episodes.teamId}, ${patients.teamId})`;

/**
 * A patient the given teams may see: one they registered or hold (patients.team_id, which a
 * transition moves to the receiving team), or one with an episode that is theirs now. A team
 * that handed an episode over, and has no other episode of the patient, no longer sees them.
 */
export function patientVisibleTo(teamIds: readonly number[], options: { unindexed?: true } = {}): SQL {
	const ids = [...teamIds];
	const theirEpisode = sql`exists (select 1 from ${episodes} where ${episodes.patientId} = ${patients.id} and ${inArray(episodes.teamId, ids)})`;
	// A unary plus keeps SQLite from using the patients' team index (see clientPatients in fhir/reads.ts).
	const theirs = options.unindexed === true ? inArray(sql`+${patients.teamId}`, ids) : inArray(patients.teamId, ids);
	return or(theirs, theirEpisode) as SQL;
}
