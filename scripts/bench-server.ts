/**
 * Times the team views on the server (issues 6 and 7) against real SQLite with the real
 * migrations: a team of 2,000 active episodes with about 20 sessions each (and 2,000 closed),
 * flags raised by the sweep, a third of them seen, some actions overdue. Targets: the caseload
 * and the meeting list each answer in under 150 ms. Run by `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, isNull } from 'drizzle-orm';
import { openDatabase } from '../src/lib/server/db/open';
import { flags, riskActions, users } from '../src/lib/server/db/schema';
import { generateBulkClinic } from './lib/bulk-clinic';
import { sweepFlags } from '../src/lib/server/risk/flags';
import { caseload } from '../src/lib/server/risk/caseload';
import { meetingList } from '../src/lib/server/milestones/meeting-list';
import { riskConfigFrom } from '../src/lib/server/risk/config';
import { builtInInstruments } from '../src/lib/domain/instruments';
import { createRegistry } from '../src/lib/domain/registry';
import type { SessionUser } from '../src/lib/server/auth/session';
import { episodes, patients } from '../src/lib/server/db/schema';
import { episodeRecords } from '../src/lib/server/patients';
import { flagBurden, type Burden } from '../src/lib/server/risk/burden';

const TARGET_MS = 150;
const RUNS = 7;
const now = new Date('2026-11-23T09:00:00Z');
const today = '2026-11-23';
const dayStart = new Date('2026-11-22T23:00:00Z');

function median(run: () => unknown): number {
	run();
	const times: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const start = performance.now();
		run();
		times.push(performance.now() - start);
	}
	return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'stemme-bench-'));
try {
	const db = openDatabase(join(dir, 'bench.db'));
	const made = createRegistry(builtInInstruments, []);
	if (!made.ok) throw new Error(made.errors.join('\n'));
	const config = riskConfigFrom({});

	let started = performance.now();
	const clinic = generateBulkClinic(db, { activeEpisodes: 2_000, closedEpisodes: 2_000, teams: 1, cliniciansPerTeam: 10, now });
	const generateMs = performance.now() - started;

	started = performance.now();
	const swept = await sweepFlags(db, made.registry, config, () => now);
	const sweepMs = performance.now() - started;

	// A team at work: a third of the flags seen, an action on every sixth, half of those overdue.
	const lead = db.select().from(users).where(eq(users.id, clinic.teams[0]!.clinicianIds[0]!)).get()!;
	const open = db.select({ id: flags.id, episodeId: flags.episodeId }).from(flags).where(isNull(flags.resolvedAt)).all();
	db.transaction((tx) => {
		open.forEach((f, i) => {
			if (i % 3 !== 0) return;
			tx.update(flags).set({ acknowledgedById: lead.id, acknowledgedAt: now }).where(eq(flags.id, f.id)).run();
			if (i % 6 === 0) tx.insert(riskActions).values({ episodeId: f.episodeId, flagId: f.id, actionKey: 'call-today', ownerId: lead.id, dueDate: i % 12 === 0 ? '2026-11-20' : '2026-11-30', createdById: lead.id, createdAt: now }).run();
		});
	});

	const user: SessionUser = { id: lead.id, username: lead.username, displayName: lead.displayName, role: lead.role, organisationId: lead.organisationId, preferredLocale: 'nb' };
	let rows = 0;
	const caseloadMs = median(() => (rows = caseload(db, user, { scope: 'team', kind: 'all', setting: 'all' }, today, dayStart).rows.length));
	const filteredMs = median(() => caseload(db, user, { scope: 'team', kind: 'attendance', setting: 'outpatient' }, today, dayStart));
	let meetings = 0;
	const meetingsMs = median(() => (meetings = meetingList(db, user, config, { scope: 'team', horizonDays: 28 }, today, dayStart).length));

	const c = clinic.counts;
	console.log(`\nStemme server benchmark — real SQLite, real migrations; median of ${RUNS} runs after a warm-up`);
	console.log(`team of ${rows.toLocaleString('en')} active episodes (${c.episodes.toLocaleString('en')} episodes, ${c.appointments.toLocaleString('en')} appointments, ${c.ratings.toLocaleString('en')} ratings; generated in ${Math.round(generateMs)} ms)`);
	console.log(`flag sweep of ${swept.episodes.toLocaleString('en')} open episodes: ${swept.raised.toLocaleString('en')} flags raised in ${Math.round(sweepMs)} ms (runs in the background every 15 min)\n`);
	const table = [
		{ task: `caseload, whole team (${rows.toLocaleString('en')} rows)`, ms: caseloadMs },
		{ task: 'caseload, filtered (attendance, outpatient)', ms: filteredMs },
		{ task: `meeting list, next 4 weeks (${meetings.toLocaleString('en')} meetings)`, ms: meetingsMs }
	];
	for (const r of table) console.log(`${r.task.padEnd(62)}${r.ms.toFixed(1).padStart(9)} ms  ${r.ms < TARGET_MS ? 'ok (< 150 ms)' : 'SLOW (≥ 150 ms)'}`);
	if (table.some((r) => r.ms >= TARGET_MS)) process.exitCode = 1;

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
	const records = episodeRecords(db, made.registry, burdenEps.map((r) => r.episode)).map((record, i) => ({ record, birthYear: burdenEps[i]!.birthYear }));
	const window = { from: new Date(now.getTime() - WEEKS * 7 * 86_400_000), to: now };
	started = performance.now();
	const before = flagBurden(db, made.registry, config, records, { ...window, judging: 'every-rating' });
	const after = flagBurden(db, made.registry, config, records, { ...window, judging: 'complete-sessions' });
	const burdenMs = performance.now() - started;
	const clinicians = clinic.teams.reduce((n, t) => n + t.clinicianIds.length, 0) * (records.length / rows);
	const perClinicianWeek = (n: number) => (n / clinicians / WEEKS).toFixed(1);
	const top = (b: Burden, of: 'byRule' | 'openByRule') => b[of].slice(0, 3).map(([rule, n]) => `${rule} ${n}`).join(', ');
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
	db.$client.close();
} finally {
	rmSync(dir, { recursive: true, force: true });
}
