import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '$lib/server/db/open';
import { generateBulkClinic } from './bulk-clinic';
import { createLoadTablets, createStaffSessions } from '../load/actors';
import { activeHandoff } from '$lib/server/tablet/handoff';
import { validateSessionToken } from '$lib/server/auth/session';

const now = new Date('2026-11-23T10:00:00Z');
const count = (db: ReturnType<typeof createTestDatabase>, sql: string): number => (db.$client.prepare(sql).get() as { n: number }).n;

describe('the bulk clinic', () => {
	const db = createTestDatabase();
	const clinic = generateBulkClinic(db, { activeEpisodes: 40, closedEpisodes: 100, now, teams: 4, cliniciansPerTeam: 3 });

	it('has the episodes asked for, open and closed, and counts what it wrote', () => {
		expect(count(db, 'SELECT count(*) AS n FROM episodes WHERE actual_end IS NULL')).toBe(40);
		expect(count(db, 'SELECT count(*) AS n FROM episodes WHERE actual_end IS NOT NULL')).toBe(100);
		expect(clinic.counts).toEqual({
			patients: count(db, 'SELECT count(*) AS n FROM patients'),
			episodes: 140,
			appointments: count(db, 'SELECT count(*) AS n FROM appointments'),
			ratings: count(db, 'SELECT count(*) AS n FROM ratings'),
			auditEvents: count(db, 'SELECT count(*) AS n FROM audit_events')
		});
		// 40 in treatment, 10 of them with an earlier episode (every fourth); 90 closed episodes left
		// for former patients, one each but every sixth a second: 90 − 15 = 75 former patients.
		expect(clinic.counts.patients).toBe(40 + 75);
		expect(clinic.teams.map((t) => t.activePatientIds.length)).toEqual([10, 10, 10, 10]);
	});

	it('gives every open episode 10–30 attended sessions and one booked, every closed one an end', () => {
		const open = db.$client
			.prepare(
				`SELECT sum(a.status = 'attended') AS attended, sum(a.status = 'scheduled') AS booked FROM episodes e
				 JOIN appointments a ON a.episode_id = e.id WHERE e.actual_end IS NULL GROUP BY e.id`
			)
			.all() as { attended: number; booked: number }[];
		expect(open.every((e) => e.attended >= 10 && e.attended <= 30 && e.booked === 1)).toBe(true);
		expect(count(db, "SELECT count(*) AS n FROM episodes WHERE actual_end IS NOT NULL AND end_reason NOT IN ('planned_completion', 'dropout')")).toBe(0);
	});

	it('rates sessions with the same scoring rules as the tablet: four items, total their sum', () => {
		const rows = db.$client.prepare('SELECT item_values, total FROM ratings').all() as { item_values: string; total: number }[];
		const wrong = rows.filter((r) => {
			const values = Object.values(JSON.parse(r.item_values) as Record<string, number>);
			return values.length !== 4 || Math.abs(values.reduce((a, b) => a + b, 0) - r.total) > 1e-9;
		});
		expect(wrong).toEqual([]);
	});

	it('is the same clinic for the same seed', () => {
		const again = createTestDatabase();
		generateBulkClinic(again, { activeEpisodes: 40, closedEpisodes: 100, now, teams: 4, cliniciansPerTeam: 3 });
		const totals = (d: typeof db): unknown => d.$client.prepare('SELECT group_concat(total) AS t FROM ratings ORDER BY id').get();
		expect(totals(again)).toEqual(totals(db));
	});

	it('adds tablets whose sessions and handoffs the app accepts, and staff sessions in the clinic’s teams', () => {
		const [tablet] = createLoadTablets(db, { organisationId: clinic.organisationId, count: 2, capacity: 5, now, episodeSessions: 2 });
		const session = validateSessionToken(db, tablet!.token, now);
		expect(session.session).not.toBeNull();
		const handoff = activeHandoff(db, `${tablet!.handoffPrefix}4`, session.session!.id);
		expect(handoff?.appointmentIds).toEqual([tablet!.firstAppointmentId + 4]);
		// One patient after another: five sessions of two-session episodes are three episodes.
		const episodesOfTablet = db.$client
			.prepare('SELECT count(DISTINCT episode_id) AS n FROM appointments WHERE id BETWEEN ? AND ?')
			.get(tablet!.firstAppointmentId, tablet!.firstAppointmentId + 4) as { n: number };
		expect(episodesOfTablet.n).toBe(3);
		const staff = createStaffSessions(db, { count: 6, patientsEach: 3, now });
		expect(staff).toHaveLength(6);
		const all = clinic.teams.flatMap((t) => t.activePatientIds);
		expect(staff.every((s) => s.patientIds.length === 3 && s.patientIds.every((id) => all.includes(id)))).toBe(true);
	});
});
