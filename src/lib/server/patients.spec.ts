import { describe, expect, it } from 'vitest';
import { smallClinic } from './test/fixtures';
import { findPatientForUser, listPatients, loadPatientRecord } from './patients';
import { seedDemoClinic } from './demo/seed';
import { createTestDatabase } from './db/open';
import { ratings, users } from './db/schema';
import { eq } from 'drizzle-orm';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry } from '$lib/domain/registry';

const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const registry = made.registry;

describe('who sees which patients', () => {
	const c = smallClinic();
	it.each([
		['clinicianA', ['A-1']],
		['clinicianB', ['B-1']],
		['leadA', ['A-1']],
		// An administrator treats no one: no team, no patients.
		['admin', []]
	] as const)('%s sees %j in the list', (who, codes) => {
		expect(
			listPatients(c.db, c.users[who])
				.map((p) => p.code)
				.sort()
		).toEqual(codes);
	});

	it.each([
		['clinicianA', 'patientA', true],
		['clinicianA', 'patientB', false],
		['clinicianB', 'patientA', false],
		['leadA', 'patientB', false],
		['admin', 'patientB', false]
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
		const record = loadPatientRecord(db, registry, findPatientForUser(db, kari, first.id)!);
		expect(record.episodes.length).toBeGreaterThan(0);
		const starts = record.episodes.map((e) => e.startDate);
		expect(starts).toEqual([...starts].sort().reverse());
		const rated = record.episodes[0]!.appointments.filter((a) => a.ratings.length > 0);
		expect(rated.every((a) => a.status === 'attended')).toBe(true);
	});

	it('shows the rating in force: a corrected rating is replaced by its correction, and every kind comes from the registry', () => {
		const first = listPatients(db, kari)[0]!;
		const before = loadPatientRecord(db, registry, findPatientForUser(db, kari, first.id)!);
		const appt = before.episodes[0]!.appointments.find((a) => a.ratings.some((r) => r.kind === 'outcome'))!;
		const original = db
			.select()
			.from(ratings)
			.where(eq(ratings.appointmentId, appt.id))
			.all()
			.find((r) => r.instrumentId === 'stemme-outcome-adult')!;
		db.insert(ratings)
			.values({
				...original,
				id: undefined,
				clientId: 'correction-test',
				total: 1.2,
				itemValues: { self: 0.3, close: 0.3, daily: 0.3, overall: 0.3 },
				correctsRatingId: original.id,
				correctionReason: 'test'
			})
			.run();
		const after = loadPatientRecord(db, registry, findPatientForUser(db, kari, first.id)!);
		const shown = after.episodes[0]!.appointments.find((a) => a.id === appt.id)!.ratings.filter((r) => r.kind === 'outcome');
		expect(shown.map((r) => r.total)).toEqual([1.2]);
		const kinds = after.episodes.flatMap((e) => e.appointments.flatMap((a) => a.ratings.map((r) => r.kind)));
		expect(new Set(kinds)).toEqual(new Set(['outcome', 'alliance']));
	});
});
