/**
 * Times the FHIR API on the server against real SQLite with the real migrations, on the bench
 * clinic of bench-server.ts (2,000 active and 2,000 closed episodes). Run by `npm run bench`.
 */
import { eq } from 'drizzle-orm';
import type { openDatabase } from '../src/lib/server/db/open';
import { appointments, episodes, patients, ratings, users } from '../src/lib/server/db/schema';
import type { Registry } from '../src/lib/domain/registry';
import { contextFor } from '../src/lib/server/context';
import { configFrom } from '../src/lib/server/config';
import { patientEverything, searchRatings } from '../src/lib/server/fhir/reads';
import { apiClientFromToken, createApiClient, type ApiClientActor } from '../src/lib/server/fhir/api-clients';
import { postTransaction } from '../src/lib/server/fhir/transaction';
import type { SessionUser } from '../src/lib/server/auth/session';
import { BENCH_NOW as now, BENCH_RUNS as RUNS, medianMs as median, withBenchClinic } from './lib/bench-clinic';

/** Each session of the 60-session patient: the outcome form and the alliance form. */
const FORMS: [string, Record<string, number>, number][] = [
	['stemme-outcome-adult', { self: 5, close: 5, daily: 5, overall: 5 }, 20],
	['stemme-alliance-adult', { heard: 9, goals: 9, approach: 9, overall: 9 }, 36]
];

/**
 * The FHIR API's budgets on the same clinic: $everything for a patient with 60 sessions (< 100 ms),
 * and paging through 100,000 QuestionnaireResponses, 100 to a page (each page < 50 ms), topped up
 * to 100,000 ratings in force if the clinic has fewer.
 */
function fhirFigures(db: ReturnType<typeof openDatabase>, registry: Registry, organisationId: number, teamId: number, clinicianId: number): void {
	const client: ApiClientActor = { id: 1, name: 'bench', organisationId, teamIds: [teamId] };
	const ctx = () => contextFor({ db, now, registry, config: configFrom({}), actor: { kind: 'api-client', client } });
	const base = 'https://bench.example/fhir';
	// One patient with 60 attended sessions, each rated with the outcome and the alliance form.
	const patient = db.insert(patients).values({ organisationId, teamId, code: 'FHIR-60', displayName: 'Sixty Sessions', birthYear: 1980 }).returning().get();
	const episode = db.insert(episodes).values({ patientId: patient.id, startDate: '2025-11-01', setting: 'outpatient', teamId }).returning().get();
	db.transaction((tx) => {
		for (let i = 0; i < 60; i++) {
			const at = new Date(Date.UTC(2025, 10, 3) + i * 5 * 86_400_000);
			const a = tx.insert(appointments).values({ episodeId: episode.id, clinicianId, scheduledAt: at, status: 'attended' }).returning().get();
			for (const [instrumentId, itemValues, total] of FORMS)
				tx.insert(ratings)
					.values({ clientId: `fhir60-${instrumentId}-${i}`, appointmentId: a.id, instrumentId, instrumentVersion: 1, itemValues, total, submittedAt: at })
					.run();
		}
	});
	let entries = 0;
	const everythingMs = median(() => (entries = patientEverything(ctx(), client, base, String(patient.id), new URLSearchParams()).entry!.length));

	// Top up to 100,000 ratings of the team, on the appointments it has (ratings are never updated, so more are just more rows).
	const have = db.$client.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number };
	const slots = db.select({ id: appointments.id, at: appointments.scheduledAt }).from(appointments).all();
	const add = db.$client.prepare(
		'INSERT INTO ratings (client_id, appointment_id, instrument_id, instrument_version, rater, item_values, total, source, submitted_at) VALUES (?, ?, \'stemme-outcome-adult\', 1, \'collateral\', \'{"self":5,"close":5,"daily":5,"overall":5}\', 20, \'tablet\', ?)'
	);
	db.$client.transaction(() => {
		for (let i = have.n; i < 100_000; i++) {
			const slot = slots[i % slots.length]!;
			add.run(`fhir-top-${i}`, slot.id, slot.at.getTime());
		}
	})();
	const pageTimes: number[] = [];
	let served = 0;
	let params = new URLSearchParams('_count=100');
	for (;;) {
		const started = performance.now();
		const bundle = searchRatings(ctx(), client, base, 'QuestionnaireResponse', params);
		pageTimes.push(performance.now() - started);
		served += bundle.entry!.length;
		const next = bundle.link?.find((l) => l.relation === 'next');
		if (next === undefined) break;
		params = new URL(next.url!).searchParams;
	}
	pageTimes.sort((a, b) => a - b);
	const p = (q: number): number => pageTimes[Math.min(pageTimes.length - 1, Math.floor(q * pageTimes.length))]!;
	console.log(`\nthe FHIR API; median of ${RUNS} runs, paging every page once`);
	const rows = [
		{ task: `Patient/$everything, 60 sessions (${entries} entries)`, ms: everythingMs, target: 100 },
		{ task: `QuestionnaireResponse pages of 100: ${pageTimes.length} pages, ${served.toLocaleString('en')} responses, slowest`, ms: pageTimes.at(-1)!, target: 50 }
	];
	for (const r of rows) console.log(`${r.task.padEnd(86)}${r.ms.toFixed(1).padStart(9)} ms  ${r.ms < r.target ? `ok (< ${r.target} ms)` : `SLOW (≥ ${r.target} ms)`}`);
	console.log(`${'  the same pages: median / 95th percentile'.padEnd(86)}${p(0.5).toFixed(1).padStart(9)} ms / ${p(0.95).toFixed(1)} ms`);
	if (rows.some((r) => r.ms >= r.target)) process.exitCode = 1;
}

/**
 * The import's budget: a transaction Bundle of 2,000 new patients, each with an episode and a
 * booked appointment (6,000 entries), posted once (all created, < 10 s) and again (all matched).
 * In process: over HTTP the body is also bounded by BODY_SIZE_LIMIT.
 */
async function importFigures(db: ReturnType<typeof openDatabase>, registry: Registry, owner: SessionUser, teamId: number, clinicianId: number): Promise<void> {
	const made = createApiClient(db, owner, { name: 'bench import', teamIds: [teamId], expiresAt: new Date('2027-11-01T00:00:00Z') }, null, now);
	if (!made.ok) throw new Error('no client');
	const client = apiClientFromToken(db, made.token, now)!;
	const base = 'https://bench.example/fhir';
	const codeSystem = `${base}/NamingSystem/patient-code`;
	const entry = Array.from({ length: 2_000 }, (_, i) => [
		{
			fullUrl: `urn:uuid:p${i}`,
			resource: { resourceType: 'Patient', identifier: [{ system: codeSystem, value: `IMP-${i}` }], name: [{ text: `Import ${i}` }], birthDate: '1985' },
			request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${codeSystem}|IMP-${i}` }
		},
		{
			fullUrl: `urn:uuid:e${i}`,
			resource: {
				resourceType: 'EpisodeOfCare',
				status: 'active',
				type: [{ coding: [{ system: `${base}/CodeSystem/stemme-setting`, code: 'outpatient' }] }],
				patient: { reference: `urn:uuid:p${i}` },
				period: { start: '2026-11-01' },
				careManager: { reference: `Practitioner/${clinicianId}` },
				identifier: [{ system: `${base}/bench-episode`, value: `E-${i}` }]
			},
			request: { method: 'POST', url: 'EpisodeOfCare', ifNoneExist: `identifier=${base}/bench-episode|E-${i}` }
		},
		{
			resource: {
				resourceType: 'Appointment',
				status: 'booked',
				start: '2026-12-01T09:00:00Z',
				minutesDuration: 45,
				supportingInformation: [{ reference: `urn:uuid:e${i}` }],
				identifier: [{ system: `${base}/bench-appointment`, value: `A-${i}` }]
			},
			request: { method: 'POST', url: 'Appointment', ifNoneExist: `identifier=${base}/bench-appointment|A-${i}` }
		}
	]).flat();
	const body = JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry });
	const post = async (): Promise<[number, string]> => {
		const ctx = contextFor({ db, now, registry, config: configFrom({}), actor: { kind: 'api-client', client } });
		const started = performance.now();
		const answer = await postTransaction(ctx, client, base, new Request(base, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body }));
		return [performance.now() - started, answer.entry![0]!.response!.status!];
	};
	const [createdMs, first] = await post();
	const [matchedMs, second] = await post();
	console.log(`\nthe FHIR import, one run each (${(body.length / 1e6).toFixed(1)} MB of JSON)`);
	const rows = [
		{ task: `2,000 new patients with episode and appointment (${entry.length} entries): ${first}`, ms: createdMs },
		{ task: `the same Bundle again: ${second}`, ms: matchedMs }
	];
	for (const r of rows) console.log(`${r.task.padEnd(86)}${r.ms.toFixed(1).padStart(9)} ms  ${r.ms < 10_000 ? 'ok (< 10 s)' : 'SLOW (≥ 10 s)'}`);
	if (rows.some((r) => r.ms >= 10_000)) process.exitCode = 1;
}

await withBenchClinic('bench-fhir', async ({ db, registry, clinic }) => {
	const clinicianId = clinic.teams[0]!.clinicianIds[1]!;
	const clinician = db.select().from(users).where(eq(users.id, clinicianId)).get()!;
	fhirFigures(db, registry, clinician.organisationId, clinic.teams[0]!.id, clinicianId);
	await importFigures(
		db,
		registry,
		{ id: clinician.id, username: clinician.username, displayName: clinician.displayName, role: clinician.role, organisationId: clinician.organisationId, preferredLocale: 'nb' },
		clinic.teams[0]!.id,
		clinicianId
	);
});
