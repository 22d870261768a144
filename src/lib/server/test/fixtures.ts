import type { Db } from '../db';
import { createTestDatabase } from '../db/open';
import { organisations, patients, teamMemberships, teams, users, type Role } from '../db/schema';
import type { SessionUser } from '../auth/session';

/**
 * A small clinic for server tests: two teams, one clinician in each, a lead in team A,
 * an admin, and one patient per team. Password hashes are placeholders (no argon2 cost);
 * tests of sign-in create their own user with a real hash.
 */
export function smallClinic(): {
	db: Db;
	teamA: number;
	teamB: number;
	users: Record<'clinicianA' | 'clinicianB' | 'leadA' | 'admin', SessionUser>;
	patientA: number;
	patientB: number;
} {
	const db = createTestDatabase();
	const org = db.insert(organisations).values({ name: 'Test' }).returning().get();
	const teamA = db.insert(teams).values({ organisationId: org.id, name: 'A' }).returning().get().id;
	const teamB = db.insert(teams).values({ organisationId: org.id, name: 'B' }).returning().get().id;
	const make = (username: string, role: Role, team: number | null): SessionUser => {
		const u = db
			.insert(users)
			.values({ organisationId: org.id, username, displayName: username, passwordHash: 'x', role })
			.returning()
			.get();
		if (team !== null) db.insert(teamMemberships).values({ userId: u.id, teamId: team }).run();
		return { id: u.id, username, displayName: username, role, organisationId: org.id, preferredLocale: 'nb' };
	};
	const patient = (teamId: number, code: string): number =>
		db.insert(patients).values({ organisationId: org.id, teamId, code, displayName: code, birthYear: 1990 }).returning().get().id;
	return {
		db,
		teamA,
		teamB,
		users: {
			clinicianA: make('clin-a', 'clinician', teamA),
			clinicianB: make('clin-b', 'clinician', teamB),
			leadA: make('lead-a', 'team_lead', teamA),
			admin: make('admin', 'admin', null)
		},
		patientA: patient(teamA, 'A-1'),
		patientB: patient(teamB, 'B-1')
	};
}
