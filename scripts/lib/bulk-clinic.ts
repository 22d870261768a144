import type Database from 'better-sqlite3';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '$lib/server/db';
import { appointments, auditEvents, episodes, organisations, patients, ratings, teamMemberships, teams, users } from '$lib/server/db/schema';
import { mulberry32 } from '$lib/domain/random';
import { stemmeAllianceAdult, stemmeOutcomeAdult } from '$lib/domain/instruments';
import type { InstrumentDefinition } from '$lib/domain/instrument-schema';
import { planFor, shapes, type Shape } from '$lib/server/demo/shapes';
import { ALLIANCE_KEYS, clamp40, FIRST, isoDate, items, LAST, noisy, OUTCOME_KEYS } from '$lib/server/demo/seed';

/**
 * A large clinic for load runs, benchmarks and the server tests that need one (thousands of
 * episodes; not part of the app), written in one transaction with prepared statements: seconds,
 * not minutes. Courses follow the demo clinic's shapes; nothing clinical is computed from them.
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Closed episodes ended between a month and six years ago. */
const CLOSED_WITHIN_DAYS = 6 * 365;
/** argon2 hashes start with '$': no password matches this, so nobody signs in as a bulk user unless given a hash. */
export const NO_SIGN_IN = '!no-sign-in';

export interface BulkClinicOptions {
	activeEpisodes: number;
	closedEpisodes: number;
	now: Date;
	teams?: number;
	cliniciansPerTeam?: number;
	seed?: number;
	/** The clinicians' password hash; by default nobody can sign in (load runs create sessions directly). */
	passwordHash?: string;
}

export interface BulkTeam {
	id: number;
	clinicianIds: number[];
	activePatientIds: number[];
}

export interface BulkClinic {
	organisationId: number;
	teams: BulkTeam[];
	counts: { patients: number; episodes: number; appointments: number; ratings: number; auditEvents: number };
}

type Insert = (...values: unknown[]) => number;

/**
 * One prepared INSERT naming the given columns of a Drizzle table (so a renamed column fails
 * here, not silently), run with values in the driver's form: epoch ms, JSON text, 0/1.
 * Returns the new row's id.
 */
export function inserter<T extends SQLiteTable>(client: Database.Database, table: T, keys: readonly (keyof T['$inferInsert'] & string)[]): Insert {
	const columns = getTableColumns(table) as Record<string, { name: string }>;
	const names = keys.map((k) => `"${columns[k]!.name}"`);
	const statement = client.prepare(`INSERT INTO "${getTableName(table)}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
	return (...values) => Number(statement.run(...values).lastInsertRowid);
}

interface Writers {
	patient: Insert;
	episode: Insert;
	appointment: Insert;
	rating: Insert;
	audit: Insert;
}

/**
 * Adds a clinic of `activeEpisodes` patients in treatment (about 20 sessions each, every session
 * rated at the start and the end, a few ratings missing) and `closedEpisodes` finished episodes
 * (a quarter of them earlier episodes of today's patients, the rest of former patients), spread
 * over teams of clinicians. Reproducible for the same seed and `now`.
 */
export function generateBulkClinic(db: Db, o: BulkClinicOptions): BulkClinic {
	const client = db.$client;
	const rand = mulberry32(o.seed ?? 20261123);
	const teamCount = o.teams ?? 10;
	const perTeam = o.cliniciansPerTeam ?? 8;
	const w: Writers = {
		patient: inserter(client, patients, ['organisationId', 'teamId', 'code', 'displayName', 'birthYear']),
		episode: inserter(client, episodes, ['patientId', 'startDate', 'setting', 'plannedEnd', 'actualEnd', 'endReason']),
		appointment: inserter(client, appointments, ['episodeId', 'clinicianId', 'scheduledAt', 'status']),
		rating: inserter(client, ratings, ['clientId', 'appointmentId', 'instrumentId', 'instrumentVersion', 'rater', 'itemValues', 'total', 'source', 'submittedAt']),
		audit: inserter(client, auditEvents, ['at', 'userId', 'action', 'patientId', 'detail'])
	};
	const counts = { patients: 0, episodes: 0, appointments: 0, ratings: 0, auditEvents: 0 };
	const add = (c: { appointments: number; ratings: number }): void => {
		counts.episodes++;
		counts.appointments += c.appointments;
		counts.ratings += c.ratings;
		counts.auditEvents += c.ratings;
	};
	return client.transaction((): BulkClinic => {
		const organisationId = inserter(client, organisations, ['name'])('Stemme belastningsklinikk');
		const team = inserter(client, teams, ['organisationId', 'name']);
		const user = inserter(client, users, ['organisationId', 'username', 'displayName', 'passwordHash', 'role']);
		const member = inserter(client, teamMemberships, ['userId', 'teamId']);
		const bulkTeams: BulkTeam[] = [];
		for (let k = 0; k < teamCount; k++) {
			const id = team(organisationId, `Team ${k + 1}`);
			const clinicianIds: number[] = [];
			for (let j = 0; j < perTeam; j++) {
				const name = `${FIRST[(k * perTeam + j) % FIRST.length]} ${LAST[(k * 5 + j * 3) % LAST.length]}`;
				const userId = user(organisationId, `bulk-${k + 1}-${j + 1}`, name, o.passwordHash ?? NO_SIGN_IN, j === 0 ? 'team_lead' : 'clinician');
				member(userId, id);
				clinicianIds.push(userId);
			}
			bulkTeams.push({ id, clinicianIds, activePatientIds: [] });
		}
		const newPatient = (teamIndex: number): { id: number; clinicianId: number } => {
			const t = bulkTeams[teamIndex]!;
			const n = counts.patients++;
			const age = 18 + Math.floor(rand() * 55);
			const id = w.patient(organisationId, t.id, `B-${100001 + n}`, `${FIRST[n % FIRST.length]} ${LAST[(n * 7) % LAST.length]}`, o.now.getUTCFullYear() - age);
			return { id, clinicianId: t.clinicianIds[n % t.clinicianIds.length]! };
		};
		let closedLeft = o.closedEpisodes;
		for (let i = 0; i < o.activeEpisodes; i++) {
			const p = newPatient(i % teamCount);
			bulkTeams[i % teamCount]!.activePatientIds.push(p.id);
			if (i % 4 === 0 && closedLeft > 0) {
				add(writeEpisode(w, rand, { ...p, sessions: 4 + Math.floor(rand() * 17), closed: true, now: o.now }));
				closedLeft--;
			}
			add(writeEpisode(w, rand, { ...p, sessions: 10 + Math.floor(rand() * 21), closed: false, now: o.now }));
		}
		// Former patients: one closed episode each, every sixth a second one.
		let former: { id: number; clinicianId: number } | null = null;
		for (let k = 0; k < closedLeft; k++) {
			if (former === null || k % 6 !== 5) former = newPatient(k % teamCount);
			add(writeEpisode(w, rand, { ...former, sessions: 4 + Math.floor(rand() * 17), closed: true, now: o.now }));
		}
		return { organisationId, teams: bulkTeams, counts };
	})();
}

type Status = 'attended' | 'no_show' | 'late_cancellation' | 'scheduled';

/** One episode with its appointments, ratings and their audit lines; returns how many of each it wrote. */
function writeEpisode(w: Writers, rand: () => number, o: { id: number; clinicianId: number; sessions: number; closed: boolean; now: Date }): { appointments: number; ratings: number } {
	const shape = shapes[Math.floor(rand() * shapes.length)] as Shape;
	const plan = planFor(shape, 13 + rand() * 8);
	const setting = rand() < 0.15 ? 'inpatient' : 'outpatient';
	const interval = setting === 'inpatient' ? 3.5 * DAY_MS : 7 * DAY_MS;
	const slots: { at: number; status: Status }[] = [];
	let t = 0;
	for (let attended = 0; attended < o.sessions; t += interval) {
		const at = t + (8 + Math.floor(rand() * 8)) * HOUR_MS;
		const missed = attended > 0 && rand() < plan.missRate;
		slots.push({ at, status: missed ? (rand() < 0.7 ? 'no_show' : 'late_cancellation') : 'attended' });
		if (!missed) attended++;
	}
	const dropsOut = o.closed && plan.dropsOut;
	if (dropsOut) slots.push({ at: t + 10 * HOUR_MS, status: 'no_show' }, { at: t + interval + 10 * HOUR_MS, status: 'no_show' });
	const span = dropsOut ? t + 3 * interval : t;
	const now = o.now.getTime();
	const endBy = o.closed ? now - (30 + Math.floor(rand() * CLOSED_WITHIN_DAYS)) * DAY_MS : now - (1 + Math.floor(rand() * 5)) * DAY_MS;
	const start = Math.floor((endBy - span) / DAY_MS) * DAY_MS;
	for (const slot of slots) slot.at += start;
	if (!o.closed) slots.push({ at: Math.max(start + t, Math.floor(now / DAY_MS) * DAY_MS + DAY_MS) + 10 * HOUR_MS, status: 'scheduled' });
	const actualEnd = o.closed ? isoDate(start + span) : null;
	const endReason = o.closed ? (dropsOut ? 'dropout' : 'planned_completion') : null;
	const episodeId = w.episode(o.id, isoDate(start), setting, isoDate(start + 26 * 7 * DAY_MS), actualEnd, endReason);
	let written = 0;
	let session = 0;
	const rate = (appointmentId: number, def: Pick<InstrumentDefinition, 'id' | 'version' | 'kind'>, keys: readonly string[], total: number, at: number): void => {
		const r = items(rand, keys, clamp40(total));
		w.rating(`bulk-${appointmentId}-${def.kind}`, appointmentId, def.id, def.version, 'patient', JSON.stringify(r.values), r.total, 'tablet', at);
		w.audit(at, o.clinicianId, 'rated', o.id, `${def.id} by patient (tablet)`);
		written++;
	};
	for (const slot of slots) {
		const appointmentId = w.appointment(episodeId, o.clinicianId, slot.at, slot.status);
		if (slot.status !== 'attended') continue;
		session++;
		// A few ratings are missing, as in real services.
		if (session === 1 || rand() > 0.06) rate(appointmentId, stemmeOutcomeAdult, OUTCOME_KEYS, noisy(rand, plan.outcome(session, o.sessions), 2.5), slot.at + 5 * 60_000);
		if (rand() > 0.1) rate(appointmentId, stemmeAllianceAdult, ALLIANCE_KEYS, noisy(rand, plan.alliance(session, o.sessions), 1.2), slot.at + 55 * 60_000);
	}
	return { appointments: slots.length, ratings: written };
}
