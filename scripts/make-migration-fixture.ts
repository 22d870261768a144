// `npm run fixture:migrations`: writes tests/fixtures/db/stemme-<last migration>.db, a database as
// this checkout's migrations leave it, with the demo clinic and a row in every table (a session,
// a sign-in throttle, a PIN, a tablet handoff, a paper rating and its correction). The migration
// test (src/lib/server/db/migrations.spec.ts) upgrades a copy of it with later migrations and
// checks that every row is still there. Make it from the commit BEFORE a new migration (for
// example in a `git worktree` of that commit) and commit the file with the migration.
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, migrationsFolder } from '../src/lib/server/db/open';
import { seedDemoClinic, seedDemoFlagWork } from '../src/lib/server/demo/seed';
import { sweepFlags } from '../src/lib/server/risk/flags';
import { getRiskConfig } from '../src/lib/server/risk/config';
import { recordAbsencePlan } from '../src/lib/server/risk/checklist';
import { planMeeting, recordMeeting } from '../src/lib/server/milestones/meetings';
import { addGoal, recordDischargePlan, updateGoal } from '../src/lib/server/milestones/plan';
import { createSession } from '../src/lib/server/auth/session';
import { setPin, startHandoff } from '../src/lib/server/tablet/handoff';
import { storeRating } from '../src/lib/server/ratings';
import { getInstrument } from '../src/lib/domain/registry';
import { getRegistry } from '../src/lib/server/instruments';
import { signInThrottle, users } from '../src/lib/server/db/schema';
import { eq } from 'drizzle-orm';

/** Fixed, so that the clinic is the same every time (tokens and hashes still differ). */
const NOW = new Date('2026-11-23T10:00:00Z');
const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
const last = journal.entries.at(-1)!.tag;
const path = join('tests', 'fixtures', 'db', `stemme-${last}.db`);
mkdirSync(join('tests', 'fixtures', 'db'), { recursive: true });
rmSync(path, { force: true });

const db = openDatabase(path);
await seedDemoClinic(db, NOW);
const client = db.$client;
const ola = client.prepare("SELECT id FROM users WHERE username = 'ola'").get() as { id: number };
const appointment = client
	.prepare(
		`SELECT a.id, e.patient_id AS patientId FROM appointments a JOIN episodes e ON e.id = a.episode_id
		 WHERE a.clinician_id = ? AND a.status = 'scheduled' AND e.actual_end IS NULL ORDER BY a.id LIMIT 1`
	)
	.get(ola.id) as { id: number; patientId: number };
const { session } = createSession(db, ola.id, NOW);
await setPin(db, ola.id, '2468', NOW);
const registry = getRegistry();
const outcome = getInstrument(registry, 'stemme-outcome-adult', 1)!;
const alliance = getInstrument(registry, 'stemme-alliance-adult', 1)!;
startHandoff(db, { sessionId: session.id, userId: ola.id, appointmentIds: [appointment.id], instrument: alliance, rater: 'patient', patientIds: [appointment.patientId] }, NOW);
const paper = storeRating(
	db,
	{
		clientId: 'fixture-paper',
		appointmentId: appointment.id,
		instrument: outcome,
		rater: 'patient',
		values: { self: 4.2, close: 5, daily: 6.5, overall: 7 },
		source: 'paper',
		enteredById: ola.id,
		auditUserId: ola.id
	},
	NOW
);
if (!paper.ok) throw new Error(`paper rating refused: ${paper.reason}`);
const correction = storeRating(
	db,
	{
		clientId: 'fixture-correction',
		appointmentId: appointment.id,
		instrument: outcome,
		rater: 'patient',
		values: { self: 4.2, close: 5, daily: 3.5, overall: 7 },
		source: 'paper',
		enteredById: ola.id,
		auditUserId: ola.id,
		correction: { ratingId: paper.rating.id, reason: 'Feil avlest linjal' }
	},
	NOW
);
if (!correction.ok) throw new Error(`correction refused: ${correction.reason}`);
// The drop-out and milestone tables: flags and the demo's work on them, an absence agreement, a
// held meeting with its record, a goal in two versions and a discharge plan.
await sweepFlags(db, registry, getRiskConfig(), () => NOW);
seedDemoFlagWork(db, NOW);
const kari = db.select().from(users).where(eq(users.username, 'kari')).get()!;
const episode = client.prepare('SELECT episode_id AS id FROM appointments WHERE id = ?').get(appointment.id) as { id: number };
const target = { episodeId: episode.id, patientId: appointment.patientId };
recordAbsencePlan(db, kari, target, 'Ring meg først, så en SMS.', NOW);
const meeting = planMeeting(db, kari, { ...target, date: '2026-11-20', presenterId: ola.id, calledEarly: false, flagId: null }, NOW);
recordMeeting(
	db,
	kari,
	{ ...meeting, episodeOpen: true },
	appointment.patientId,
	{
		participants: { patientPresent: true, people: [{ role: 'Behandler', name: 'Ola Haugen' }] },
		answers: { useful: 'Ja' },
		decisions: 'Fortsette',
		patientWords: 'Det hjelper',
		nextDate: '2026-12-18'
	},
	NOW
);
const goal = addGoal(db, kari, target, 'Komme i jobb', 'not-started', NOW);
updateGoal(db, kari, appointment.patientId, goal, 'Komme i jobb', 'in-progress', NOW);
recordDischargePlan(
	db,
	kari,
	target,
	{ housing: 'Egen leilighet', activity: 'Arbeidstrening', economy: 'NAV', followUpTeam: 'Kommunen', contactPerson: 'Per', contactPhone: '+47 400 00 000', followUpRatingDate: '2027-03-01' },
	NOW
);
db.insert(signInThrottle).values({ key: 'account:nobody', failures: 2, lockedUntil: null, updatedAt: NOW }).run();
client.pragma('wal_checkpoint(TRUNCATE)');
client.pragma('journal_mode = DELETE');
client.exec('VACUUM');
client.close();
console.log(`wrote ${path} (${Math.round(statSync(path).size / 1024)} KB), migrations through ${last}`);
