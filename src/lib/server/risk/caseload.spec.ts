import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase } from '../db/open';
import { appointments, episodes, users } from '../db/schema';
import { seedDemoClinic } from '../demo/seed';
import { listPatients } from '../patients';
import { osloDate, osloDay } from '../appointments';
import { caseload } from './caseload';

describe('the caseload on the demo clinic', async () => {
	const db = createTestDatabase();
	const now = new Date('2026-11-23T10:00:00Z');
	await seedDemoClinic(db, now);
	const kari = db.select().from(users).where(eq(users.username, 'kari')).get()!;
	const rows = caseload(db, kari, { scope: 'team', kind: 'all', setting: 'all' }, osloDate(now), osloDay(now).start).rows;

	it('shows each open episode with its start and the sessions attended so far', () => {
		expect(rows.length).toBeGreaterThan(10);
		for (const r of rows) {
			// Counted straight from the appointments, independently of the caseload's aggregate.
			const attended = db
				.select({ id: appointments.id })
				.from(appointments)
				.where(and(eq(appointments.episodeId, r.episodeId), eq(appointments.status, 'attended')))
				.all().length;
			expect(r.attended).toBe(attended);
			const episode = db.select().from(episodes).where(eq(episodes.id, r.episodeId)).get()!;
			expect(episode.actualEnd).toBeNull();
			expect(r.startDate).toBe(episode.startDate);
		}
	});

	it('agrees with the patient list on start and sessions so far', () => {
		const list = new Map(listPatients(db, kari).map((p) => [p.id, p]));
		for (const r of rows) {
			expect(list.get(r.patientId)?.episodeStart).toBe(r.startDate);
			expect(list.get(r.patientId)?.sessionsSoFar).toBe(r.attended);
		}
	});
});
