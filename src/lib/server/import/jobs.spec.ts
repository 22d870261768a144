import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { appendChunk, checkJob, createJob, jobStatus, runJob } from './jobs';
import { appointments, auditEvents, episodes, patients, teamMemberships } from '../db/schema';
import { registerPatient } from '../registration';

const now = new Date('2026-12-02T10:00:00Z');
/** The README's sample, with the demo clinic's usernames swapped for the fixture's. */
const SAMPLE = readFileSync('docs/import-sample.csv', 'utf8').replaceAll(',kari,', ',lead-a,').replaceAll(',ola,', ',clin-a,');

async function checked(csv: string, pieces = 1) {
	const c = smallClinic();
	const job = createJob(c.users.leadA, c.teamA, now);
	const size = Math.ceil(csv.length / pieces);
	for (let i = 0; i < csv.length; i += size) await appendChunk(job, csv.slice(i, i + size));
	await checkJob(c.db, c.users.leadA, job, now);
	return { c, job };
}

const count = (c: ReturnType<typeof smallClinic>, table: typeof patients | typeof episodes | typeof appointments) => c.db.select().from(table).all().length;

describe('importing the sample file', () => {
	it('the dry run accepts four patients with their appointments and refuses the one with a wrong check digit, naming row and column; nothing is stored', async () => {
		// Sent in pieces that cut rows in half, as the page does.
		const { c, job } = await checked(SAMPLE, 7);
		const status = jobStatus(job);
		expect(status.phase).toBe('checked');
		expect(status.created.map((p) => [p.code, p.row, p.appointments])).toEqual([
			['IMP-001', 2, 3],
			['IMP-002', 5, 2],
			['IMP-003', 7, 1],
			['IMP-005', 9, 0]
		]);
		expect(status.refusals).toEqual([{ row: 8, field: 'national_id', reason: 'check-digit' }]);
		expect([count(c, patients), count(c, episodes), count(c, appointments)]).toEqual([2, 0, 0]);
	});

	it('the run registers them, opens their episodes and books their appointments in one go, audited once for the import', async () => {
		const { c, job } = await checked(SAMPLE);
		runJob(c.db, c.users.leadA, job, now, '127.0.0.1');
		expect(job.phase).toBe('done');
		expect(job.result).toMatchObject({ patients: 4, appointments: 6 });
		const aina = c.db.select().from(patients).where(eq(patients.code, 'IMP-001')).get()!;
		expect(aina).toMatchObject({ nationalId: '12049112481', birthDate: '1991-04-12', preferredLocale: 'nb', teamId: c.teamA });
		const episode = c.db.select().from(episodes).where(eq(episodes.patientId, aina.id)).get()!;
		expect(episode).toMatchObject({ setting: 'outpatient', startDate: '2026-09-01', plannedEnd: '2028-12-31', responsibleId: c.users.leadA.id, sessionIntervalDays: 7 });
		expect(
			c.db
				.select()
				.from(appointments)
				.where(eq(appointments.episodeId, episode.id))
				.all()
				.map((a) => a.scheduledAt.toISOString())
		).toEqual(['2028-11-07T08:00:00.000Z', '2028-11-14T08:00:00.000Z', '2028-11-21T08:00:00.000Z']);
		expect([count(c, patients), count(c, episodes), count(c, appointments)]).toEqual([6, 4, 6]);
		const audit = c.db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'changed_record'))
			.all()
			.map((a) => a.detail);
		expect(audit).toContain(`import into team ${c.teamA}: 4 patients with open episodes, 6 appointments`);
	});

	it('stores nothing when one patient fails during the run (all or nothing)', async () => {
		const { c, job } = await checked(SAMPLE);
		// Registered by a colleague between the dry run and the run: the run stops at that patient.
		const taken = registerPatient(c.db, c.users.clinicianA, { code: 'IMP-003', displayName: 'Noen', birthDate: null, birthYear: 1980, preferredLocale: null, nationalId: null, teamId: c.teamA }, now);
		expect(taken.ok).toBe(true);
		const before = [count(c, patients), count(c, episodes), count(c, appointments)];
		runJob(c.db, c.users.leadA, job, now, null);
		expect(job.phase).toBe('failed');
		expect(job.stoppedAt).toEqual({ row: 7, field: 'patient_code', reason: 'already-registered' });
		expect(job.error).toBeNull();
		expect([count(c, patients), count(c, episodes), count(c, appointments)]).toEqual(before);
	});
	it('stores nothing when the lead has left the team between the dry run and the run, and names why', async () => {
		const { c, job } = await checked(SAMPLE);
		c.db.delete(teamMemberships).where(eq(teamMemberships.userId, c.users.leadA.id)).run();
		const before = [count(c, patients), count(c, episodes), count(c, appointments), c.db.select().from(auditEvents).all().length];
		runJob(c.db, c.users.leadA, job, now, null);
		expect(job.phase).toBe('failed');
		// Row 2 is the first patient's first row.
		expect(job.stoppedAt).toEqual({ row: 2, field: 'row', reason: 'team' });
		expect([count(c, patients), count(c, episodes), count(c, appointments), c.db.select().from(auditEvents).all().length]).toEqual(before);
	});

	it('writes the same audit lines as the registration and episode pages, one pair per patient', async () => {
		const { c, job } = await checked(SAMPLE);
		runJob(c.db, c.users.leadA, job, now, null);
		const aina = c.db.select().from(patients).where(eq(patients.code, 'IMP-001')).get()!;
		const episode = c.db.select().from(episodes).where(eq(episodes.patientId, aina.id)).get()!;
		const lines = c.db.select({ action: auditEvents.action, detail: auditEvents.detail }).from(auditEvents).where(eq(auditEvents.patientId, aina.id)).all();
		// The number masked as the registration page masks it (the first six digits shown).
		expect(lines).toEqual([
			{ action: 'patient_registered', detail: `code IMP-001, team ${c.teamA}, national id 120491 *****` },
			{ action: 'episode_opened', detail: `episode ${episode.id}: team ${c.teamA}, outpatient, from 2026-09-01 to 2028-12-31` }
		]);
	});
});

describe('refusals in the dry run', () => {
	const HEADER = SAMPLE.split('\n')[0]!;
	const row = (fields: Partial<Record<string, string>>) => {
		const base: Record<string, string> = {
			patient_code: 'X-1',
			display_name: 'Xa',
			birth_date: '1990',
			national_id: '',
			language: 'nb',
			setting: 'outpatient',
			episode_start: '2026-11-01',
			planned_end: '',
			responsible: 'lead-a',
			interval_days: '7',
			referral_reason: '',
			appointment_date: '2027-01-05',
			appointment_time: '10:00',
			duration_minutes: '45'
		};
		return HEADER.split(',')
			.map((h) => fields[h] ?? base[h])
			.join(',');
	};

	it.each([
		['a missing name', { display_name: '' }, 'display_name', 'required'],
		['an impossible date', { episode_start: '2026-02-30' }, 'episode_start', 'invalid'],
		['a planned end in the past', { planned_end: '2025-01-01' }, 'planned_end', 'in-past'],
		['an appointment in the past', { appointment_date: '2026-01-05' }, 'appointment_date', 'in-past'],
		['a clinician from another team', { responsible: 'clin-b' }, 'responsible', 'not-in-team'],
		['an unknown setting', { setting: 'home' }, 'setting', 'invalid'],
		['a duration of 0', { duration_minutes: '0' }, 'duration_minutes', 'invalid'],
		['a check digit one off', { national_id: '01019012481', birth_date: '' }, 'national_id', 'check-digit'],
		['an existing code', { patient_code: 'A-1' }, 'patient_code', 'already-registered']
	])('%s: refused with its row and column', async (_, fields, field, reason) => {
		const { job } = await checked([HEADER, row({}), row({ patient_code: 'X-2', ...fields })].join('\n'));
		expect(jobStatus(job).refusals).toEqual([{ row: 3, field, reason }]);
		expect(jobStatus(job).created.map((p) => p.code)).toEqual(['X-1']);
	});

	it('takes an optional session_mode column: a video session is stored as one, an unknown type is refused', async () => {
		const header = `${HEADER},session_mode`;
		const { c, job } = await checked([header, `${row({})},video`, `${row({ patient_code: 'X-2' })},teams`].join('\n'));
		expect(jobStatus(job).refusals).toEqual([{ row: 3, field: 'session_mode', reason: 'invalid' }]);
		runJob(c.db, c.users.leadA, job, now, null);
		const modes = c.db
			.select({ mode: appointments.sessionMode })
			.from(appointments)
			.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
			.innerJoin(patients, eq(patients.id, episodes.patientId))
			.where(eq(patients.code, 'X-1'))
			.all();
		expect(modes).toEqual([{ mode: 'video' }]);
	});

	it('refuses a patient already registered once, by code, even when the number is registered too', async () => {
		const { c, job } = await checked(SAMPLE);
		runJob(c.db, c.users.leadA, job, now, null);
		const again = createJob(c.users.leadA, c.teamA, now);
		await appendChunk(again, SAMPLE);
		await checkJob(c.db, c.users.leadA, again, now);
		expect(jobStatus(again).refusals.map((r) => [r.row, r.field, r.reason])).toEqual([
			[2, 'patient_code', 'already-registered'],
			[5, 'patient_code', 'already-registered'],
			[7, 'patient_code', 'already-registered'],
			[8, 'national_id', 'check-digit'],
			[9, 'patient_code', 'already-registered']
		]);
	});

	it('refuses a patient whose rows disagree, and a file without the columns', async () => {
		const { job } = await checked([HEADER, row({}), row({ display_name: 'Annen' })].join('\n'));
		expect(jobStatus(job).refusals).toEqual([{ row: 3, field: 'display_name', reason: 'differs' }]);
		expect(jobStatus(job).created).toEqual([]);
		const { job: noColumns } = await checked('kode,navn\nA,B\n');
		expect(jobStatus(noColumns).refusals).toEqual([{ row: 1, field: 'patient_code', reason: 'columns' }]);
	});
});
