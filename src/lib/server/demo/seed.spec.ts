import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../db/open';
import { appointments, episodes, patients, ratings, teams, users } from '../db/schema';
import { isDatabaseEmpty, seedDemoClinic } from './seed';

const now = new Date('2026-11-23T10:00:00Z');

function snapshot(db: ReturnType<typeof createTestDatabase>) {
	return {
		patients: db.select({ code: patients.code, name: patients.displayName, birthYear: patients.birthYear }).from(patients).all(),
		ratings: db.select({ c: ratings.clientId, t: ratings.total }).from(ratings).all()
	};
}

describe('the demo clinic', async () => {
	const db = createTestDatabase();
	expect(isDatabaseEmpty(db)).toBe(true);
	await seedDemoClinic(db, now);

	it('is no longer empty', () => {
		expect(isDatabaseEmpty(db)).toBe(false);
	});

	it('has two teams, four clinicians, a service leader and an admin, and 40 patients', () => {
		expect(db.select().from(teams).all()).toHaveLength(2);
		const roles = db
			.select({ role: users.role })
			.from(users)
			.all()
			.map((u) => u.role)
			.sort();
		expect(roles).toEqual(['admin', 'clinician', 'clinician', 'service_leader', 'team_lead', 'team_lead']);
		expect(db.select().from(patients).all()).toHaveLength(40);
	});

	it('gives every current episode 2–30 attended sessions', () => {
		const rows = db.all<{ n: number }>(sql`
			select count(a.id) as n from episodes e
			join appointments a on a.episode_id = e.id and a.status = 'attended'
			where e.id in (select max(id) from episodes group by patient_id)
			group by e.id`);
		expect(rows).toHaveLength(40);
		for (const r of rows) {
			expect(r.n).toBeGreaterThanOrEqual(2);
			expect(r.n).toBeLessThanOrEqual(30);
		}
	});

	it('has the shapes clinicians meet: drop-outs, missed appointments, group sessions, adolescents, collateral ratings, earlier episodes', () => {
		const count = (q: ReturnType<typeof sql>) => db.get<{ n: number }>(q)!.n;
		expect(count(sql`select count(*) as n from ${episodes} where end_reason = 'dropout'`)).toBeGreaterThan(3);
		expect(count(sql`select count(*) as n from ${appointments} where status in ('no_show', 'late_cancellation')`)).toBeGreaterThan(20);
		expect(count(sql`select count(*) as n from ${episodes} where setting = 'group'`)).toBeGreaterThan(0);
		expect(count(sql`select count(*) as n from ${ratings} where instrument_id = 'stemme-alliance-group' and rater = 'group-member'`)).toBeGreaterThan(0);
		expect(count(sql`select count(*) as n from ${patients} where birth_year > 2026 - 18`)).toBeGreaterThan(0);
		expect(count(sql`select count(*) as n from ${ratings} where rater = 'collateral'`)).toBeGreaterThan(0);
		expect(count(sql`select count(distinct patient_id) as n from ${episodes} where actual_end is not null and end_reason = 'planned_completion'`)).toBeGreaterThan(0);
		// An upcoming appointment for ongoing episodes, and nothing attended in the future.
		expect(count(sql`select count(*) as n from ${appointments} where status = 'scheduled'`)).toBeGreaterThan(20);
		expect(count(sql`select count(*) as n from ${appointments} where status = 'attended' and scheduled_at > ${now.getTime()}`)).toBe(0);
	});

	it('keeps every rating within 0–40 with item values that add up to the total', () => {
		for (const r of db.select().from(ratings).all()) {
			const values = Object.values(r.itemValues);
			expect(values).toHaveLength(4);
			const tenths = values.reduce((s, v) => s + Math.round(v * 10), 0);
			expect(Math.round(r.total * 10)).toBe(tenths);
			expect(r.total).toBeGreaterThanOrEqual(0);
			expect(r.total).toBeLessThanOrEqual(40);
		}
	});

	it('has one patient whose alliance sags before a drop-out, still in treatment, and checklists filled in', () => {
		const count = (q: ReturnType<typeof sql>) => db.get<{ n: number }>(q)!.n;
		const sagging = db.get<{ id: number; actual_end: string | null; responsible_id: number | null; session_interval_days: number }>(
			sql`select e.id, e.actual_end, e.responsible_id, e.session_interval_days from ${episodes} e join ${patients} p on p.id = e.patient_id where p.code = 'P-1011' order by e.id desc limit 1`
		)!;
		expect(sagging).toMatchObject({ actual_end: null, session_interval_days: 7 });
		expect(sagging.responsible_id).not.toBeNull();
		const recent = count(sql`select count(*) as n from ${appointments} where episode_id = ${sagging.id} and status = 'no_show' and scheduled_at > ${now.getTime() - 28 * 86_400_000}`);
		expect(recent).toBeGreaterThanOrEqual(2);
		const lastAlliance = db.get<{ total: number }>(
			sql`select r.total from ${ratings} r join ${appointments} a on a.id = r.appointment_id where a.episode_id = ${sagging.id} and r.instrument_id = 'stemme-alliance-adult' order by a.scheduled_at desc limit 1`
		)!;
		expect(lastAlliance.total).toBeLessThan(36);
		const open = count(sql`select count(*) as n from ${episodes} where actual_end is null`);
		const assessed = count(sql`select count(distinct episode_id) as n from checklist_answers`);
		expect(assessed).toBeGreaterThan(open / 2);
		expect(assessed).toBeLessThan(open);
		expect(count(sql`select count(*) as n from ${episodes} where responsible_id is null`)).toBe(0);
	});

	it('is the same every time for the same seed and date', async () => {
		const again = createTestDatabase();
		await seedDemoClinic(again, now);
		expect(snapshot(again)).toEqual(snapshot(db));
	});
});
