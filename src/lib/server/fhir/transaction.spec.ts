import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { smallClinic, testContext } from '../test/fixtures';
import { fhirProblems } from '../test/fhir-validate';
import { appointments, auditEvents, episodes, patients } from '../db/schema';
import { apiClientFromToken, createApiClient } from './api-clients';
import { FhirError, operationOutcome } from './outcome';
import { postTransaction } from './transaction';
import { MAX_TRANSACTION_ENTRIES } from './capability';
import { fhirUrls, FODSELSNUMMER_SYSTEM } from './identifiers';
import { readCare, readPatient } from './reads';

const BASE = 'https://clinic.example/fhir';
const URLS = fhirUrls(BASE);
const NOW = new Date('2026-12-03T12:00:00Z');
/** The sending record system's own identifier systems for episodes and appointments. */
const EPISODE_IDS = 'https://dips.example/episode';
const APPOINTMENT_IDS = 'https://dips.example/appointment';

function setup() {
	const c = smallClinic();
	const made = createApiClient(c.db, c.users.admin, { name: 'DIPS', teamIds: [c.teamA], expiresAt: new Date('2027-12-01T00:00:00Z') }, null, NOW);
	if (!made.ok) throw new Error('no client');
	const client = apiClientFromToken(c.db, made.token, NOW)!;
	const ctx = () => testContext(c.db, { now: NOW, actor: { kind: 'api-client', client } });
	return { ...c, client, ctx };
}

/** A new patient with an episode in team A and one booked appointment, conditional on the patient code. */
function patientEntries(code: string, clinicianId: number, nationalId?: string): BundleEntry[] {
	const identifier = [{ system: URLS.patientCode, value: code }, ...(nationalId === undefined ? [] : [{ system: FODSELSNUMMER_SYSTEM, value: nationalId }])];
	return [
		{
			fullUrl: `urn:uuid:patient-${code}`,
			resource: { resourceType: 'Patient', identifier, name: [{ text: `Pasient ${code}` }], birthDate: nationalId === undefined ? '1990-05-01' : '2007-01-01' },
			request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${URLS.patientCode}|${code}` }
		},
		{
			fullUrl: `urn:uuid:episode-${code}`,
			resource: {
				resourceType: 'EpisodeOfCare',
				status: 'active',
				type: [{ coding: [{ system: `${URLS.codeSystem}-setting`, code: 'outpatient' }] }],
				patient: { reference: `urn:uuid:patient-${code}` },
				period: { start: '2026-11-20' },
				team: [{ display: 'A' }],
				careManager: { reference: `Practitioner/${clinicianId}` },
				identifier: [{ system: EPISODE_IDS, value: `E-${code}` }]
			},
			request: { method: 'POST', url: 'EpisodeOfCare', ifNoneExist: `identifier=${EPISODE_IDS}|E-${code}` }
		},
		{
			resource: {
				resourceType: 'Appointment',
				status: 'booked',
				start: '2026-12-10T09:00:00Z',
				minutesDuration: 45,
				supportingInformation: [{ reference: `urn:uuid:episode-${code}` }],
				participant: [
					{ actor: { reference: `urn:uuid:patient-${code}` }, status: 'accepted' },
					{ actor: { reference: `Practitioner/${clinicianId}` }, status: 'accepted' }
				],
				identifier: [{ system: APPOINTMENT_IDS, value: `A-${code}` }]
			},
			request: { method: 'POST', url: 'Appointment', ifNoneExist: `identifier=${APPOINTMENT_IDS}|A-${code}` }
		}
	] as BundleEntry[];
}

const transaction = (entry: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry });
const post = (body: unknown, type = 'application/fhir+json') => new Request(`${BASE}`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });

async function refusal(promise: Promise<unknown>): Promise<FhirError> {
	const e = await promise.then(
		() => null,
		(x: unknown) => x
	);
	expect(e).toBeInstanceOf(FhirError);
	const error = e as FhirError;
	expect(fhirProblems(operationOutcome(error.issues))).toEqual([]);
	return error;
}

const counts = (s: ReturnType<typeof setup>) => ({
	patients: s.db.select().from(patients).all().length,
	episodes: s.db.select().from(episodes).all().length,
	appointments: s.db.select().from(appointments).all().length,
	audit: s.db.select().from(auditEvents).all().length
});

describe('FHIR import (POST /fhir transaction)', () => {
	beforeAll(() => void fhirProblems({ resourceType: 'Basic', code: { text: 'warm-up' } }), 30_000);

	it('registers the bundle once; the same bundle again changes nothing and answers 200 with the same locations', async () => {
		const s = setup();
		const before = counts(s);
		const bundle = transaction([...patientEntries('N-1', s.users.clinicianA.id, '01010750160'), ...patientEntries('N-2', s.users.leadA.id)]);
		const ctx = s.ctx();
		const first = await postTransaction(ctx, s.client, BASE, post(bundle));
		expect(fhirProblems(first)).toEqual([]);
		expect(first.type).toBe('transaction-response');
		expect(first.entry!.map((e) => e.response!.status)).toEqual(Array(6).fill('201 Created'));
		const locations = first.entry!.map((e) => e.response!.location!);
		expect(locations.map((l) => l.split('/')[0])).toEqual(['Patient', 'EpisodeOfCare', 'Appointment', 'Patient', 'EpisodeOfCare', 'Appointment']);
		const stored = s.db.select().from(patients).where(eq(patients.code, 'N-1')).get()!;
		expect(stored).toMatchObject({ teamId: s.teamA, nationalId: '01010750160', displayName: 'Pasient N-1', birthDate: '2007-01-01' });
		expect(locations[0]).toBe(`Patient/${stored.id}`);
		const appointment = s.db
			.select()
			.from(appointments)
			.where(eq(appointments.id, Number(locations[2]!.split('/')[1])))
			.get()!;
		expect(appointment).toMatchObject({ clinicianId: s.users.clinicianA.id, durationMinutes: 45, scheduledAt: new Date('2026-12-10T09:00:00Z') });
		expect(ctx.returned.sort()).toEqual([stored.id, Number(locations[3]!.split('/')[1])].sort());
		const after = counts(s);
		expect(after).toEqual({ patients: before.patients + 2, episodes: before.episodes + 2, appointments: before.appointments + 2, audit: after.audit });
		// Each patient's registration and episode, the client as actor, and the import's own line.
		const lines = s.db.select().from(auditEvents).all().slice(before.audit);
		expect(lines.map((l) => [l.action, l.userId, l.apiClientId])).toEqual([
			['patient_registered', null, s.client.id],
			['episode_opened', null, s.client.id],
			['patient_registered', null, s.client.id],
			['episode_opened', null, s.client.id],
			['changed_record', null, s.client.id]
		]);

		const second = await postTransaction(s.ctx(), s.client, BASE, post(bundle));
		expect(fhirProblems(second)).toEqual([]);
		expect(second.entry!.map((e) => e.response!.status)).toEqual(Array(6).fill('200 OK'));
		expect(second.entry!.map((e) => e.response!.location)).toEqual(locations);
		expect(counts(s)).toEqual(after);
	});

	it('accepts what the read side serves, as conditional PUTs, and changes nothing', async () => {
		const s = setup();
		const first = await postTransaction(s.ctx(), s.client, BASE, post(transaction(patientEntries('N-3', s.users.clinicianA.id))));
		const [p, ep, ap] = first.entry!.map((e) => e.response!.location!.split('/')[1]!);
		const ctx = s.ctx();
		const served: Resource[] = [readPatient(ctx, s.client, BASE, p!), readCare(ctx, s.client, BASE, 'EpisodeOfCare', ep!), readCare(ctx, s.client, BASE, 'Appointment', ap!)];
		const before = counts(s);
		const again = await postTransaction(
			s.ctx(),
			s.client,
			BASE,
			post(
				transaction(
					served.map((resource) => ({
						resource,
						request: {
							method: 'PUT',
							url: `${resource.resourceType}?identifier=${resource.resourceType === 'Patient' ? `${URLS.patientCode}|N-3` : `${(resource as { identifier: { system: string; value: string }[] }).identifier[0]!.system}|${(resource as { identifier: { value: string }[] }).identifier[0]!.value}`}`
						}
					}))
				)
			)
		);
		expect(again.entry!.map((e) => e.response!.status)).toEqual(['200 OK', '200 OK', '200 OK']);
		expect(counts(s)).toEqual(before);
	});

	it('refuses the whole bundle for one bad entry, naming the entry and element; nothing is stored', async () => {
		const s = setup();
		const before = counts(s);
		const entries = [...patientEntries('N-4', s.users.clinicianA.id), ...patientEntries('N-5', s.users.clinicianA.id, '01010750161')];
		const e = await refusal(postTransaction(s.ctx(), s.client, BASE, post(transaction(entries))));
		expect(e.status).toBe(400);
		expect(e.issues).toEqual([expect.objectContaining({ code: 'value', expression: 'Bundle.entry[3].resource.identifier' })]);
		expect(counts(s)).toEqual(before);
	});

	it('refuses another team’s patient, and a team the client may not write', async () => {
		const s = setup();
		const before = counts(s);
		const foreign = patientEntries('B-1', s.users.clinicianA.id).slice(0, 1);
		const e = await refusal(postTransaction(s.ctx(), s.client, BASE, post(transaction([...patientEntries('N-6', s.users.clinicianA.id), ...foreign]))));
		expect(e.status).toBe(403);
		expect(e.issues).toEqual([expect.objectContaining({ code: 'forbidden', expression: 'Bundle.entry[3].resource.identifier' })]);
		const teamB = patientEntries('N-7', s.users.clinicianB.id);
		(teamB[1]!.resource as { team: { display: string }[] }).team = [{ display: 'B' }];
		const t = await refusal(postTransaction(s.ctx(), s.client, BASE, post(transaction(teamB))));
		expect(t.issues.map((i) => i.expression)).toEqual(['Bundle.entry[1].resource.team']);
		expect(counts(s)).toEqual(before);
	});

	it('books into a registered patient: a new episode and appointment, the changed name; the same bundle twice changes nothing', async () => {
		const s = setup();
		const org = s.db.select().from(patients).where(eq(patients.teamId, s.teamA)).get()?.organisationId ?? s.client.organisationId;
		const registered = s.db.insert(patients).values({ organisationId: org, teamId: s.teamA, code: 'R-1', displayName: 'Gammelt Navn', birthYear: 1990 }).returning().get();
		const entries = patientEntries('R-1', s.users.clinicianA.id);
		(entries[0]!.resource as { birthDate: string }).birthDate = '1990';
		const before = counts(s);
		const first = await postTransaction(s.ctx(), s.client, BASE, post(transaction(entries)));
		expect(fhirProblems(first)).toEqual([]);
		expect(first.entry!.map((e) => e.response!.status)).toEqual(['200 OK', '201 Created', '201 Created']);
		expect(first.entry![0]!.response!.location).toBe(`Patient/${registered.id}`);
		expect(s.db.select().from(patients).where(eq(patients.id, registered.id)).get()).toMatchObject({ displayName: 'Pasient R-1', birthYear: 1990, code: 'R-1' });
		const episode = s.db.select().from(episodes).where(eq(episodes.patientId, registered.id)).get()!;
		expect(episode).toMatchObject({ teamId: s.teamA, identifierSystem: EPISODE_IDS, identifierValue: 'E-R-1', startDate: '2026-11-20', responsibleId: s.users.clinicianA.id });
		expect(s.db.select().from(appointments).where(eq(appointments.episodeId, episode.id)).get()).toMatchObject({ identifierValue: 'A-R-1', clinicianId: s.users.clinicianA.id });
		const after = counts(s);
		expect(after).toEqual({ patients: before.patients, episodes: before.episodes + 1, appointments: before.appointments + 1, audit: before.audit + 3 });
		const lines = s.db.select().from(auditEvents).all().slice(before.audit);
		expect(lines.map((l) => [l.action, l.apiClientId, l.patientId])).toEqual([
			['patient_edited', s.client.id, registered.id],
			['episode_opened', s.client.id, registered.id],
			['changed_record', s.client.id, null]
		]);
		expect(lines[0]!.detail).toBe('displayName: "Gammelt Navn" → "Pasient R-1"');

		const second = await postTransaction(s.ctx(), s.client, BASE, post(transaction(entries)));
		expect(second.entry!.map((e) => e.response!.status)).toEqual(['200 OK', '200 OK', '200 OK']);
		expect(second.entry!.map((e) => e.response!.location)).toEqual(first.entry!.map((e) => e.response!.location));
		expect(counts(s)).toEqual(after);

		// A further appointment in the registered episode, by its id, on its own.
		const more = patientEntries('R-1', s.users.clinicianA.id)[2]!;
		const appointment = {
			...(more.resource as object),
			identifier: [{ system: APPOINTMENT_IDS, value: 'A-R-1b' }],
			start: '2026-12-17T09:00:00Z',
			supportingInformation: [{ reference: `EpisodeOfCare/${episode.id}` }]
		};
		const third = await postTransaction(
			s.ctx(),
			s.client,
			BASE,
			post(transaction([{ resource: appointment, request: { method: 'POST', url: 'Appointment', ifNoneExist: `identifier=${APPOINTMENT_IDS}|A-R-1b` } } as BundleEntry]))
		);
		expect(third.entry!.map((e) => e.response!.status)).toEqual(['201 Created']);
		expect(s.db.select().from(appointments).where(eq(appointments.episodeId, episode.id)).all()).toHaveLength(2);
	});

	it('refuses a second open episode in the team, an entry without its identifier condition, and an identifier of another episode', async () => {
		const s = setup();
		await postTransaction(s.ctx(), s.client, BASE, post(transaction(patientEntries('N-8', s.users.clinicianA.id))));
		const before = counts(s);
		const again = patientEntries('N-8', s.users.clinicianA.id);
		(again[1]!.resource as { identifier: object[] }).identifier = [{ system: EPISODE_IDS, value: 'E-N-8-second' }];
		again[1]!.request!.ifNoneExist = `identifier=${EPISODE_IDS}|E-N-8-second`;
		(again[2]!.resource as { identifier: object[] }).identifier = [{ system: APPOINTMENT_IDS, value: 'A-N-8-second' }];
		again[2]!.request!.ifNoneExist = `identifier=${APPOINTMENT_IDS}|A-N-8-second`;
		const open = await refusal(postTransaction(s.ctx(), s.client, BASE, post(transaction(again))));
		expect(open.status).toBe(400);
		// The appointment of the refused episode is passed over: the episode's issue is the one to fix.
		expect(open.issues).toEqual([expect.objectContaining({ code: 'duplicate', expression: 'Bundle.entry[1].resource' })]);
		expect(open.issues[0]!.diagnostics).toContain('open episode');

		const bare = patientEntries('N-9', s.users.clinicianA.id);
		delete bare[1]!.request!.ifNoneExist;
		const unconditional = await refusal(postTransaction(s.ctx(), s.client, BASE, post(transaction(bare))));
		expect(unconditional.issues.map((i) => [i.code, i.expression])).toEqual([['required', 'Bundle.entry[1].request.ifNoneExist']]);

		// N-8's appointment identifier, sent for another patient's new episode.
		const other = patientEntries('N-10', s.users.clinicianA.id);
		(other[2]!.resource as { identifier: object[] }).identifier = [{ system: APPOINTMENT_IDS, value: 'A-N-8' }];
		other[2]!.request!.ifNoneExist = `identifier=${APPOINTMENT_IDS}|A-N-8`;
		const taken = await refusal(postTransaction(s.ctx(), s.client, BASE, post(transaction(other))));
		expect(taken.issues.map((i) => [i.code, i.expression])).toEqual([['value', 'Bundle.entry[2].resource.identifier']]);
		expect(counts(s)).toEqual(before);
	});

	it('answers 413 over the entry limit, naming it, and 415 for another media type', async () => {
		const s = setup();
		const many = Array.from({ length: MAX_TRANSACTION_ENTRIES + 1 }, () => ({ resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } }));
		const big = await refusal(postTransaction(s.ctx(), s.client, BASE, post(transaction(many as BundleEntry[]))));
		expect(big.status).toBe(413);
		expect(big.issues[0]!.diagnostics).toContain(String(MAX_TRANSACTION_ENTRIES));
		const wrong = await refusal(postTransaction(s.ctx(), s.client, BASE, post(transaction([]), 'text/plain')));
		expect(wrong.status).toBe(415);
		const json = await postTransaction(s.ctx(), s.client, BASE, post(transaction([]), 'application/json'));
		expect(json.entry).toEqual([]);
		const malformed = await refusal(
			postTransaction(s.ctx(), s.client, BASE, new Request(BASE, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: '{"resourceType": "Bundle", ' }))
		);
		expect(malformed.status).toBe(400);
	});
});
