import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db } from '$lib/server/db';
import { appointments, episodes, patients, tabletHandoffs, teamMemberships, teams, users } from '$lib/server/db/schema';
import { createSession } from '$lib/server/auth/session';
import { stemmeOutcomeAdult } from '$lib/domain/instruments';
import { inserter, NO_SIGN_IN } from '../lib/bulk-clinic';

/**
 * The people of a load run, signed in the way the app signs them in (real sessions, real
 * handoffs), but created directly: a load run measures rating and reading, not argon2.
 */

/**
 * A tablet handed over `capacity` times in a row by its own clinician (its own staff session),
 * each time to rate one appointment. Handoff `i` is `${handoffPrefix}${i}` and rates appointment
 * `firstAppointmentId + i`, so a load generator can name every submission without a table.
 */
export interface LoadTablet {
	token: string;
	handoffPrefix: string;
	firstAppointmentId: number;
	capacity: number;
	/** The patients (each with an open episode) the tablet's appointments belong to, in turn. */
	episodes: number;
}

/** A clinician's staff session and patients of their team with an open episode. */
export interface LoadClinician {
	token: string;
	patientIds: number[];
}

/** The tablets' own team: staff sessions never come from it. */
export const LOAD_TABLET_TEAM = 'Nettbrett (belastningstest)';

function randomId(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/**
 * Sessions in one load patient's episode. A clinic tablet rates one patient after another, and
 * a long episode has about this many sessions (the patient-page time budget is set for 60).
 * What a rating costs afterwards (the episode's drop-out flags are re-evaluated from all of it)
 * grows with the episode, so one endless episode per tablet would measure a clinic that does
 * not exist.
 */
export const LOAD_EPISODE_SESSIONS = 60;

/**
 * `count` tablets in a team of their own (so their thousands of appointments do not change what
 * the clinicians' pages show), each with a clinician, a session, and `capacity` appointments
 * today, each handed over for the adult outcome measure: the tablet's patients in turn, each
 * with an open episode of `episodeSessions` of them.
 */
export function createLoadTablets(db: Db, o: { organisationId: number; count: number; capacity: number; now: Date; episodeSessions?: number }): LoadTablet[] {
	const episodeSessions = o.episodeSessions ?? LOAD_EPISODE_SESSIONS;
	const client = db.$client;
	const now = o.now.getTime();
	const def = stemmeOutcomeAdult;
	const user = inserter(client, users, ['organisationId', 'username', 'displayName', 'passwordHash', 'role']);
	const member = inserter(client, teamMemberships, ['userId', 'teamId']);
	const patient = inserter(client, patients, ['organisationId', 'teamId', 'code', 'displayName', 'birthYear']);
	const episode = inserter(client, episodes, ['patientId', 'startDate', 'setting']);
	const appointment = inserter(client, appointments, ['episodeId', 'clinicianId', 'scheduledAt', 'status']);
	const handoff = inserter(client, tabletHandoffs, ['id', 'sessionId', 'userId', 'appointmentIds', 'instrumentId', 'instrumentVersion', 'rater', 'createdAt']);
	return client.transaction((): LoadTablet[] => {
		const teamId = inserter(client, teams, ['organisationId', 'name'])(o.organisationId, LOAD_TABLET_TEAM);
		const tablets: LoadTablet[] = [];
		for (let t = 0; t < o.count; t++) {
			const userId = user(o.organisationId, `load-tablet-${t + 1}`, `Nettbrett ${t + 1}`, NO_SIGN_IN, 'clinician');
			member(userId, teamId);
			const { token, session } = createSession(db, userId, o.now);
			const handoffPrefix = `${randomId()}-`;
			let firstAppointmentId = 0;
			let episodeId = 0;
			for (let i = 0; i < o.capacity; i++) {
				if (i % episodeSessions === 0) {
					const n = `${t + 1}-${i / episodeSessions + 1}`;
					const patientId = patient(o.organisationId, teamId, `N-${n}`, `Nettbrett-pasient ${n}`, 1980);
					episodeId = episode(patientId, new Date(now).toISOString().slice(0, 10), 'outpatient');
				}
				const id = appointment(episodeId, userId, now, 'scheduled');
				if (i === 0) firstAppointmentId = id;
				// Consecutive ids are what lets the load generator name appointments without a table.
				else if (id !== firstAppointmentId + i) throw new Error(`appointment ids are not consecutive (${id} after ${firstAppointmentId + i - 1})`);
				handoff(`${handoffPrefix}${i}`, session.id, userId, JSON.stringify([id]), def.id, def.version, 'patient', now);
			}
			// Patient mode is held on the session row: the first handoff is the one the tablet shows.
			client.prepare('UPDATE sessions SET handoff_id = ? WHERE id = ?').run(`${handoffPrefix}0`, session.id);
			tablets.push({ token, handoffPrefix, firstAppointmentId, capacity: o.capacity, episodes: Math.ceil(o.capacity / episodeSessions) });
		}
		return tablets;
	})();
}

/**
 * Staff sessions for `count` clinicians, taken in turn from each team that has patients in
 * treatment (never the tablets' team), each with up to `patientsEach` of their team's patients.
 */
export function createStaffSessions(db: Db, o: { count: number; patientsEach: number; now: Date }): LoadClinician[] {
	const client = db.$client;
	const teamRows = client
		.prepare(
			`SELECT t.id FROM teams t WHERE t.name != ? AND EXISTS (
			   SELECT 1 FROM patients p JOIN episodes e ON e.patient_id = p.id WHERE p.team_id = t.id AND e.actual_end IS NULL)
			 ORDER BY t.id`
		)
		.all(LOAD_TABLET_TEAM) as { id: number }[];
	const cliniciansOf = client.prepare(`SELECT u.id FROM users u JOIN team_memberships m ON m.user_id = u.id WHERE m.team_id = ? AND u.role != 'admin' ORDER BY u.id`);
	const patientsOf = client.prepare(
		`SELECT DISTINCT p.id FROM patients p JOIN episodes e ON e.patient_id = p.id
		 WHERE p.team_id = ? AND e.actual_end IS NULL ORDER BY p.id LIMIT ? OFFSET ?`
	);
	const staff: LoadClinician[] = [];
	for (let c = 0; c < o.count && teamRows.length > 0; c++) {
		const teamId = teamRows[c % teamRows.length]!.id;
		const round = Math.floor(c / teamRows.length);
		const clinicians = cliniciansOf.all(teamId) as { id: number }[];
		if (clinicians.length === 0) continue;
		const userId = clinicians[round % clinicians.length]!.id;
		const patientIds = (patientsOf.all(teamId, o.patientsEach, round * o.patientsEach) as { id: number }[]).map((p) => p.id);
		const fallback = patientIds.length > 0 ? patientIds : (patientsOf.all(teamId, o.patientsEach, 0) as { id: number }[]).map((p) => p.id);
		staff.push({ token: createSession(db, userId, o.now).token, patientIds: fallback });
	}
	return staff;
}
