import { eq } from 'drizzle-orm';
import type { Db } from './db';
import { teamMemberships, teams } from './db/schema';
import type { SessionUser } from './auth/session';

/**
 * The teams whose patients a user may see: their own team(s) for clinicians and team leads,
 * every team of the organisation for an admin.
 */
export function visibleTeamIds(db: Db, user: SessionUser): number[] {
	if (user.role === 'admin') {
		return db
			.select({ id: teams.id })
			.from(teams)
			.where(eq(teams.organisationId, user.organisationId))
			.all()
			.map((t) => t.id);
	}
	return db
		.select({ id: teamMemberships.teamId })
		.from(teamMemberships)
		.where(eq(teamMemberships.userId, user.id))
		.all()
		.map((t) => t.id);
}
