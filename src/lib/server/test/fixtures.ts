import { parseNetwork, type Network } from '$lib/domain/networks';
import type { Db } from '../db';
import { createTestDatabase } from '../db/open';
import { organisations, patients, teamMemberships, teams, users, type Role } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { actorFromToken } from '../auth/actor';
import { configFrom, type Config } from '../config';
import { contextFor, type Actor, type RequestContext } from '../context';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry, type Registry } from '$lib/domain/registry';

/** The built-in instruments, as an installation without packs has them. */
let registry: Registry | null = null;
export function builtInRegistry(): Registry {
	if (registry !== null) return registry;
	const made = createRegistry(builtInInstruments, []);
	if (!made.ok) throw new Error(made.errors.join('\n'));
	return (registry = made.registry);
}

/** The default configuration (an empty environment). */
export const TEST_CONFIG: Config = configFrom({});

/**
 * A request context for server tests: the actor is worked out from a session token exactly as
 * the hook does (a handed-over session is the tablet), or given; `anonymous` without either.
 */
export function testContext(db: Db, o: { now: Date; token?: string; actor?: Actor; address?: string | null; path?: string; config?: Config }): RequestContext {
	const config = o.config ?? TEST_CONFIG;
	const actor = o.actor ?? (o.token === undefined ? { kind: 'anonymous' as const } : actorFromToken(db, o.token, o.now, config.session));
	return contextFor({ db, now: o.now, registry: builtInRegistry(), config, actor, address: o.address ?? '127.0.0.1', path: o.path ?? '/' });
}

/**
 * A small clinic for server tests: two teams, one clinician in each, a lead in team A,
 * an admin, and one patient per team. Password hashes are placeholders (no argon2 cost);
 * tests of sign-in create their own user with a real hash.
 */
/** `db`: a database of the test's own (a file, for tests that read its bytes); in memory by default. */
export function smallClinic(db: Db = createTestDatabase()): {
	db: Db;
	teamA: number;
	teamB: number;
	users: Record<'clinicianA' | 'clinicianB' | 'leadA' | 'admin', SessionUser>;
	patientA: number;
	patientB: number;
} {
	const org = db.insert(organisations).values({ name: 'Test' }).returning().get();
	const teamA = db.insert(teams).values({ organisationId: org.id, name: 'A' }).returning().get().id;
	const teamB = db.insert(teams).values({ organisationId: org.id, name: 'B' }).returning().get().id;
	const make = (username: string, role: Role, team: number | null): SessionUser => {
		const u = db.insert(users).values({ organisationId: org.id, username, displayName: username, passwordHash: 'x', role }).returning().get();
		if (team !== null) db.insert(teamMemberships).values({ userId: u.id, teamId: team }).run();
		return { id: u.id, username, displayName: username, role, organisationId: org.id, preferredLocale: 'nb' };
	};
	const patient = (teamId: number, code: string): number => db.insert(patients).values({ organisationId: org.id, teamId, code, displayName: code, birthYear: 1990 }).returning().get().id;
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

/** Every address counts as the clinic's: for sign-ins whose tests are about the password, not the network. */
export const ANYWHERE_INSIDE: Network[] = [parseNetwork('0.0.0.0/0')!, parseNetwork('::/0')!];
