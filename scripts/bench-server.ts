/**
 * Times the team views on the server (issues 6 and 7) against real SQLite with the real
 * migrations: a team of 2,000 active episodes with about 20 sessions each (and 2,000 closed),
 * flags raised by the sweep, a third of them seen, some actions overdue. Targets: the caseload
 * and the meeting list each answer in under 150 ms. Run by `npm run bench`.
 */
import { eq, isNull } from 'drizzle-orm';
import type { openDatabase } from '../src/lib/server/db/open';
import { flags, riskActions, teamMemberships, users } from '../src/lib/server/db/schema';
import { BENCH_NOW as now, BENCH_RUNS as RUNS, medianMs as median, withBenchClinic } from './lib/bench-clinic';
import { sweepFlags } from '../src/lib/server/risk/flags';
import { caseload } from '../src/lib/server/risk/caseload';
import { meetingList } from '../src/lib/server/milestones/meeting-list';
import { riskConfigFrom } from '../src/lib/server/risk/config';
import type { Registry } from '../src/lib/domain/registry';
import type { SessionUser } from '../src/lib/server/auth/session';
import { appointments, episodes, patients } from '../src/lib/server/db/schema';
import { episodeRecords } from '../src/lib/server/patients';
import { flagBurden, type Burden } from '../src/lib/server/risk/burden';
import { dayList } from '../src/lib/server/today';
import { bookAppointments } from '../src/lib/server/booking';
import { registerPatient } from '../src/lib/server/registration';
import { openEpisode } from '../src/lib/server/appointments';
import { appendChunk, checkJob, createJob, runJob } from '../src/lib/server/import/jobs';
import { IMPORT_COLUMNS } from '../src/lib/server/import/rows';
import { CHUNK_CHARS } from '../src/lib/server/import/endpoint';
import { loadScope } from '../src/lib/server/statistics/episodes';
import { statisticsFigures } from '../src/lib/server/statistics/figures';
import { courseOf, modelLookup, offTrack } from '../src/lib/server/statistics/course';
import { monthlyRows } from '../src/lib/server/statistics/trend';
import { allianceFigures } from '../src/lib/domain/statistics/alliance';
import { fitExpectedModels, resetFittedModels } from '../src/lib/server/expected-models';
import { forgetStatistics, refreshStatistics } from '../src/lib/server/statistics/summaries';

const TARGET_MS = 150;
const today = '2026-11-23';
const dayStart = new Date('2026-11-22T23:00:00Z');

/**
 * The clinic-from-empty budgets on the same team of 2,000 active episodes: the day's list ("I dag") for a
 * clinician and for the lead's whole team (< 50 ms), booking a 40-session series (< 50 ms),
 * registering a patient (< 20 ms), and importing 2,000 patients with an episode and 20
 * appointments each from CSV, dry run and run (< 10 s).
 */
async function clinicDay(db: ReturnType<typeof openDatabase>, registry: Registry, config: ReturnType<typeof riskConfigFrom>, lead: SessionUser, clinicianId: number): Promise<void> {
	const clinicianRow = db.select().from(users).where(eq(users.id, clinicianId)).get()!;
	const clinician: SessionUser = {
		id: clinicianRow.id,
		username: clinicianRow.username,
		displayName: clinicianRow.displayName,
		role: clinicianRow.role,
		organisationId: clinicianRow.organisationId,
		preferredLocale: 'nb'
	};
	// The day itself: a seventh of the episodes in treatment have a session today and one
	// yesterday still marked "scheduled" for a few, spread over the team's clinicians.
	const open = db.select({ id: episodes.id }).from(episodes).where(isNull(episodes.actualEnd)).all();
	const clinicians = db
		.select({ id: teamMemberships.userId })
		.from(teamMemberships)
		.where(eq(teamMemberships.teamId, teamOf(db, lead)))
		.all()
		.map((c) => c.id);
	db.transaction((tx) => {
		open.forEach((e, i) => {
			if (i % 7 !== 0) return;
			const who = i % 10 === 0 ? clinicianId : clinicians[i % clinicians.length]!;
			tx.insert(appointments)
				.values({ episodeId: e.id, clinicianId: who, scheduledAt: new Date(now.getTime() + ((i / 7) % 8) * 3_600_000 - 3_600_000) })
				.run();
			if (i % 21 === 0)
				tx.insert(appointments)
					.values({ episodeId: e.id, clinicianId: who, scheduledAt: new Date(now.getTime() - 86_400_000) })
					.run();
		});
	});
	let mine = 0;
	let team = 0;
	const mineMs = median(() => (mine = dayList(db, registry, config, clinician, 'mine', now).today.length));
	const teamMs = median(() => (team = dayList(db, registry, config, lead, 'team', now).today.length));

	// A 40-session weekly series, each run for another patient in treatment (so no run meets the last one's).
	const inTreatment = db
		.select({ patient: patients })
		.from(patients)
		.innerJoin(episodes, eq(episodes.patientId, patients.id))
		.where(isNull(episodes.actualEnd))
		.limit(RUNS + 1)
		.all();
	let next = 0;
	let booked = 0;
	const bookMs = median(() => {
		const patient = inTreatment[next++]!.patient;
		const result = bookAppointments(
			db,
			lead,
			{ patient, episode: openEpisode(db, patient.id)! },
			{ date: '2026-11-24', time: '07:30', durationMinutes: 45, clinicianId, repeat: 'weekly', end: { kind: 'count', sessions: 40 }, confirmSameDay: true },
			now
		);
		if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
		booked = result.appointmentIds.length;
	});
	let registered = 0;
	const homeTeam = teamOf(db, lead);
	const registerMs = median(() => {
		const r = registerPatient(
			db,
			lead,
			{ code: `BENCH-${++registered}`, displayName: 'Benk Benksen', birthDate: null, birthYear: 1990, preferredLocale: null, nationalId: null, teamId: homeTeam },
			now
		);
		if (!r.ok) throw new Error(`registration refused: ${r.reason}`);
	});

	// The import: one row per appointment, the patient's columns repeated, sent in the page's pieces.
	const IMPORT_PATIENTS = 2_000;
	const PER_PATIENT = 20;
	const lines = [IMPORT_COLUMNS.join(',')];
	for (let p = 1; p <= IMPORT_PATIENTS; p++) {
		for (let a = 0; a < PER_PATIENT; a++) {
			const day = new Date(Date.UTC(2026, 10, 24 + a * 7 + (p % 5)));
			lines.push(
				[
					`IMP-${p}`,
					`Importert ${p}`,
					String(1960 + (p % 40)),
					'',
					'nb',
					'outpatient',
					'2026-10-01',
					'',
					lead.username,
					'7',
					'Fra journalsystemet',
					day.toISOString().slice(0, 10),
					`${String(8 + (p % 8)).padStart(2, '0')}:00`,
					'45'
				].join(',')
			);
		}
	}
	const csv = lines.join('\n');
	const started = performance.now();
	const job = createJob(lead, homeTeam, now);
	for (let i = 0; i < csv.length; i += CHUNK_CHARS) await appendChunk(job, csv.slice(i, i + CHUNK_CHARS));
	await checkJob(db, lead, job, now);
	const checkMs = performance.now() - started;
	if (job.refusals.length > 0) throw new Error(`import refused rows: ${JSON.stringify(job.refusals.slice(0, 3))}`);
	runJob(db, lead, job, now, null);
	const importMs = performance.now() - started;
	if (job.phase !== 'done') throw new Error(`import failed: ${job.error}`);

	console.log(`\nthe day and the records, on the same team; median of ${RUNS} runs`);
	const rows = [
		{ task: `"I dag", a clinician (${mine} appointments today)`, ms: mineMs, target: 50 },
		{ task: `"I dag", the lead's whole team (${team} appointments today)`, ms: teamMs, target: 50 },
		{ task: `booking a weekly series (${booked} sessions)`, ms: bookMs, target: 50 },
		{ task: 'registering a patient', ms: registerMs, target: 20 },
		{
			task: `CSV import, ${IMPORT_PATIENTS.toLocaleString('en')} patients × ${PER_PATIENT} appointments (dry run ${Math.round(checkMs)} ms + one write ${Math.round(importMs - checkMs)} ms)`,
			ms: importMs,
			target: 10_000
		}
	];
	for (const r of rows) console.log(`${r.task.padEnd(86)}${r.ms.toFixed(1).padStart(9)} ms  ${r.ms < r.target ? `ok (< ${r.target} ms)` : `SLOW (≥ ${r.target} ms)`}`);
	if (rows.some((r) => r.ms >= r.target)) process.exitCode = 1;
}

function teamOf(db: ReturnType<typeof openDatabase>, user: SessionUser): number {
	return db.select({ id: teamMemberships.teamId }).from(teamMemberships).where(eq(teamMemberships.userId, user.id)).get()!.id;
}

await withBenchClinic('bench', async ({ db, registry, clinic, generateMs }) => {
	const config = riskConfigFrom({});

	let started = performance.now();
	const swept = await sweepFlags(db, registry, config, () => now);
	const sweepMs = performance.now() - started;

	// A team at work: a third of the flags seen, an action on every sixth, half of those overdue.
	const lead = db.select().from(users).where(eq(users.id, clinic.teams[0]!.clinicianIds[0]!)).get()!;
	const open = db.select({ id: flags.id, episodeId: flags.episodeId }).from(flags).where(isNull(flags.resolvedAt)).all();
	db.transaction((tx) => {
		open.forEach((f, i) => {
			if (i % 3 !== 0) return;
			tx.update(flags).set({ acknowledgedById: lead.id, acknowledgedAt: now }).where(eq(flags.id, f.id)).run();
			if (i % 6 === 0)
				tx.insert(riskActions)
					.values({ episodeId: f.episodeId, flagId: f.id, actionKey: 'call-today', ownerId: lead.id, dueDate: i % 12 === 0 ? '2026-11-20' : '2026-11-30', createdById: lead.id, createdAt: now })
					.run();
		});
	});

	const user: SessionUser = { id: lead.id, username: lead.username, displayName: lead.displayName, role: lead.role, organisationId: lead.organisationId, preferredLocale: 'nb' };
	let rows = 0;
	const caseloadMs = median(() => (rows = caseload(db, user, { scope: 'team', kind: 'all', setting: 'all' }, today, dayStart).rows.length));
	const filteredMs = median(() => caseload(db, user, { scope: 'team', kind: 'attendance', setting: 'outpatient' }, today, dayStart));
	let meetings = 0;
	const meetingsMs = median(() => (meetings = meetingList(db, user, config, { scope: 'team', horizonDays: 28 }, today, dayStart).length));

	// The statistics (target < 500 ms): the lead's team and the whole service, the last twelve months.
	const statsFilters = { from: '2025-11-23', to: today, setting: 'all' as const, age: 'all' as const, rater: 'patient' as const };
	const statsMin = { cell: 5, clinician: 15, benchmark: 100 };
	const statistics = (scope: Parameters<typeof loadScope>[2]) => {
		const data = loadScope(db, registry, scope, statsFilters, now);
		const modelOf = modelLookup(registry);
		// The team lead's page also lists the team's episodes not on track.
		const offTrackN = scope.kind === 'team' ? offTrack(data.episodes, modelOf).length : 0;
		return { n: data.episodes.length, offTrackN, figures: statisticsFigures(data, { from: statsFilters.from, to: today, today }, statsMin, modelOf) };
	};
	// The expected course as a running installation has it (fitted at start): the target share, the
	// severity-adjusted effect and the lead's off-track list read it. Forgotten again below, so the rest runs as before.
	started = performance.now();
	await fitExpectedModels(db, registry, now);
	const fitMs = performance.now() - started;
	// The per-episode facts as the background sweep stores them (summaries.ts); the page works out only those missing.
	started = performance.now();
	const summarised = await refreshStatistics(db, registry, () => now);
	const summariseMs = performance.now() - started;
	const teamId = db.select({ teamId: teamMemberships.teamId }).from(teamMemberships).where(eq(teamMemberships.userId, lead.id)).get()!.teamId;
	let statsTeamN = 0;
	let statsServiceN = 0;
	const statsTeamMs = median(() => (statsTeamN = statistics({ kind: 'team', teamId, teamName: '' }).n));
	const statsServiceMs = median(() => (statsServiceN = statistics({ kind: 'service', organisationId: lead.organisationId }).n));
	// After a change forgets one episode in forty, the page works those out itself until the next sweep.
	const forgotten = db
		.select({ id: episodes.id })
		.from(episodes)
		.all()
		.filter((_, i) => i % 40 === 0);
	for (const e of forgotten) forgetStatistics(db, { episodeId: e.id });
	const statsStaleMs = median(() => statistics({ kind: 'service', organisationId: lead.organisationId }));
	const statsOffTrack = statistics({ kind: 'team', teamId, teamName: '' }).offTrackN;
	// What the alliance, expected-course, trend and off-track figures add to the service's page, on the same data.
	const serviceData = loadScope(db, registry, { kind: 'service', organisationId: lead.organisationId }, statsFilters, now);
	const serviceClosed = serviceData.episodes.filter((e) => e.actualEnd !== null && e.actualEnd >= statsFilters.from);
	const addedMs = median(() => {
		const modelOf = modelLookup(registry);
		allianceFigures(serviceData.episodes.map((e) => ({ history: e.history, alliance: e.alliance, ending: e.endReason })));
		courseOf(serviceClosed, modelOf);
		monthlyRows(serviceData.episodes, serviceClosed, { from: statsFilters.from, to: today }, 0, 5);
		offTrack(serviceData.episodes, modelOf);
	});
	resetFittedModels();

	const c = clinic.counts;
	console.log(`\nStemme server benchmark — real SQLite, real migrations; median of ${RUNS} runs after a warm-up`);
	console.log(
		`team of ${rows.toLocaleString('en')} active episodes (${c.episodes.toLocaleString('en')} episodes, ${c.appointments.toLocaleString('en')} appointments, ${c.ratings.toLocaleString('en')} ratings; generated in ${Math.round(generateMs)} ms)`
	);
	console.log(
		`flag sweep of ${swept.episodes.toLocaleString('en')} open episodes: ${swept.raised.toLocaleString('en')} flags raised in ${Math.round(sweepMs)} ms (runs in the background every 15 min)\n`
	);
	const table = [
		{ task: `caseload, whole team (${rows.toLocaleString('en')} rows)`, ms: caseloadMs },
		{ task: 'caseload, filtered (attendance, outpatient)', ms: filteredMs },
		{ task: `meeting list, next 4 weeks (${meetings.toLocaleString('en')} meetings)`, ms: meetingsMs }
	];
	for (const r of table) console.log(`${r.task.padEnd(62)}${r.ms.toFixed(1).padStart(9)} ms  ${r.ms < TARGET_MS ? 'ok (< 150 ms)' : 'SLOW (≥ 150 ms)'}`);
	for (const r of [
		{ task: `statistics, the lead's team (${statsTeamN.toLocaleString('en')} episodes)`, ms: statsTeamMs },
		{ task: `statistics, the whole service (${statsServiceN.toLocaleString('en')} episodes)`, ms: statsServiceMs },
		{ task: `statistics, the service, ${forgotten.length} episodes changed since the sweep`, ms: statsStaleMs }
	])
		console.log(`${r.task.padEnd(62)}${r.ms.toFixed(1).padStart(9)} ms  ${r.ms < 500 ? 'ok (< 500 ms)' : 'SLOW (≥ 500 ms)'}`);
	console.log(
		`statistics with the expected course fitted in ${Math.round(fitMs)} ms; the lead's off-track list: ${statsOffTrack.toLocaleString('en')} open episodes; alliance, course, trend and off-track figures of the service: ${addedMs.toFixed(1)} ms of it`
	);
	console.log(`statistics facts of ${summarised.toLocaleString('en')} episodes stored by the sweep in ${Math.round(summariseMs)} ms (background, in slices)`);
	if (table.some((r) => r.ms >= TARGET_MS) || [statsTeamMs, statsServiceMs, statsStaleMs].some((ms) => ms >= 500)) process.exitCode = 1;

	// The flag burden: the last four weeks replayed event by event (see burden.ts) on the open
	// episodes of the first BURDEN_EPISODES patients, before (every rating judged as it arrives,
	// one flag = one thing to mark as seen) and after (sessions judged once complete, one card per
	// domain), in this run.
	const BURDEN_EPISODES = 400;
	const WEEKS = 4;
	const burdenEps = db
		.select({ episode: episodes, birthYear: patients.birthYear })
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(isNull(episodes.actualEnd))
		.orderBy(episodes.id)
		.limit(BURDEN_EPISODES)
		.all();
	const records = episodeRecords(
		db,
		registry,
		burdenEps.map((r) => r.episode)
	).map((record, i) => ({ record, birthYear: burdenEps[i]!.birthYear }));
	const window = { from: new Date(now.getTime() - WEEKS * 7 * 86_400_000), to: now };
	started = performance.now();
	const before = flagBurden(db, registry, config, records, { ...window, judging: 'every-rating' });
	const after = flagBurden(db, registry, config, records, { ...window, judging: 'complete-sessions' });
	const burdenMs = performance.now() - started;
	const clinicians = clinic.teams.reduce((n, t) => n + t.clinicianIds.length, 0) * (records.length / rows);
	const perClinicianWeek = (n: number) => (n / clinicians / WEEKS).toFixed(1);
	const top = (b: Burden, of: 'byRule' | 'openByRule') =>
		b[of]
			.slice(0, 3)
			.map(([rule, n]) => `${rule} ${n}`)
			.join(', ');
	console.log(`\nflag burden, ${records.length} open episodes replayed over ${WEEKS} weeks (${clinicians.toFixed(1)} clinicians' share; ${Math.round(burdenMs)} ms)`);
	console.log(`${''.padEnd(58)}${'open flags (cards) / 100 episodes'.padStart(34)}${'new unseen / clinician / week'.padStart(32)}`);
	const burdenRows = [
		{ label: 'before: every rating judged, one flag each', open: before.openPer100, unseen: perClinicianWeek(before.raised) },
		{ label: 'sessions judged when complete, one flag each', open: after.openPer100, unseen: perClinicianWeek(after.raised) },
		{ label: 'after: sessions judged when complete, one card per domain', open: after.openCardsPer100, unseen: perClinicianWeek(after.cardsTurnedUnseen) }
	];
	for (const r of burdenRows) console.log(`${r.label.padEnd(58)}${r.open.toFixed(1).padStart(34)}${r.unseen.padStart(32)}`);
	console.log(`raised before, by rule: ${top(before, 'byRule')}; after: ${top(after, 'byRule')}`);
	console.log(`open at the end, by rule: ${top(after, 'openByRule')}`);
	await clinicDay(db, registry, config, user, clinic.teams[0]!.clinicianIds[1]!);
});
