import { describe, expect, it } from 'vitest';
import { smallClinic } from './test/fixtures';
import { findPatientForUser, listPatients, loadPatientRecord } from './patients';
import { seedDemoClinic } from './demo/seed';
import { createTestDatabase } from './db/open';
import { users } from './db/schema';
import { eq } from 'drizzle-orm';

describe('who sees which patients', () => {
	const c = smallClinic();
	it.each([
		['clinicianA', ['A-1']],
		['clinicianB', ['B-1']],
		['leadA', ['A-1']],
		['admin', ['A-1', 'B-1']]
	] as const)('%s sees %j in the list', (who, codes) => {
		expect(listPatients(c.db, c.users[who]).map((p) => p.code).sort()).toEqual(codes);
	});

	it.each([
		['clinicianA', 'patientA', true],
		['clinicianA', 'patientB', false],
		['clinicianB', 'patientA', false],
		['leadA', 'patientB', false],
		['admin', 'patientB', true]
	] as const)('%s may open %s: %s', (who, patient, allowed) => {
		const found = findPatientForUser(c.db, c.users[who], c[patient]);
		expect(found !== null).toBe(allowed);
	});

	it('answers null for an id that does not exist', () => {
		expect(findPatientForUser(c.db, c.users.admin, 999_999)).toBeNull();
	});
});

describe('the patient list and record on the demo clinic', async () => {
	const db = createTestDatabase();
	await seedDemoClinic(db, new Date('2026-11-23T10:00:00Z'));
	const kari = db.select().from(users).where(eq(users.username, 'kari')).get()!;

	it('lists a team of about twenty with sessions counted from attended appointments only', () => {
		const rows = listPatients(db, kari);
		expect(rows.length).toBe(22);
		for (const r of rows) {
			expect(r.sessionsSoFar).toBeGreaterThanOrEqual(2);
			expect(r.sessionsSoFar).toBeLessThanOrEqual(30);
			expect(r.episodeStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		}
		// Most recent session first.
		const times = rows.map((r) => r.lastSession?.getTime() ?? 0);
		expect(times).toEqual([...times].sort((a, b) => b - a));
	});

	it('loads a record with episodes newest first and ratings on attended sessions', () => {
		const first = listPatients(db, kari)[0]!;
		const record = loadPatientRecord(db, findPatientForUser(db, kari, first.id)!);
		expect(record.episodes.length).toBeGreaterThan(0);
		const starts = record.episodes.map((e) => e.startDate);
		expect(starts).toEqual([...starts].sort().reverse());
		const rated = record.episodes[0]!.appointments.filter((a) => a.ratings.length > 0);
		expect(rated.every((a) => a.status === 'attended')).toBe(true);
	});
});
