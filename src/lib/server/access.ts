import { eq } from 'drizzle-orm';
import type { Db } from './db';
import { teamMemberships } from './db/schema';
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
