import { beforeAll, describe, expect, it } from 'vitest';
import type { Appointment, Bundle, EpisodeOfCare, Extension, Observation, Patient, QuestionnaireResponse } from '@medplum/fhirtypes';
import { smallClinic, testContext } from '../test/fixtures';
import { fhirProblems } from '../test/fhir-validate';
import { appointments, episodes, patients, ratings } from '../db/schema';
import { eq } from 'drizzle-orm';
import type { ApiClientActor } from './api-clients';
import { FhirError } from './outcome';
import { listQuestionnaires, patientEverything, readCare, readPatient, readQuestionnaire, readRating, searchCare, searchPatients, searchRatings } from './reads';
import { capabilityStatement } from './capability';
import { D_NUMMER_SYSTEM, FODSELSNUMMER_SYSTEM } from './identifiers';

const BASE = 'https://clinic.example/fhir';
const NOW = new Date('2026-12-03T12:00:00Z');

function setup() {
	const c = smallClinic();
	const client: ApiClientActor = { id: 1, name: 'DIPS', organisationId: c.users.admin.organisationId, teamIds: [c.teamA] };
	// A valid fødselsnummer (Skatteetaten's example 01010750160, check digits 6 and 0).
	c.db.update(patients).set({ nationalId: '01010750160', birthDate: '2007-01-01', birthYear: 2007, preferredLocale: 'nn' }).where(eq(patients.id, c.patientA)).run();
	const rate = (patientId: number, day: string, total: number, rater: 'patient' | 'collateral' = 'patient') => {
		const episode =
			c.db.select().from(episodes).where(eq(episodes.patientId, patientId)).get() ?? c.db.insert(episodes).values({ patientId, startDate: '2026-09-01', setting: 'outpatient' }).returning().get();
		const at = new Date(`${day}T10:00:00Z`);
		const appointment = c.db.insert(appointments).values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: at, status: 'attended' }).returning().get();
		const items = { self: total / 4, close: total / 4, daily: total / 4, overall: total / 4 };
		return c.db
			.insert(ratings)
			.values({
				clientId: `c-${patientId}-${day}-${rater}`,
				appointmentId: appointment.id,
				instrumentId: 'stemme-outcome-adult',
				instrumentVersion: 1,
				rater,
				itemValues: items,
				total,
				submittedAt: at
			})
			.returning()
			.get();
	};
	const r1 = rate(c.patientA, '2026-10-01', 18);
	const r2 = rate(c.patientA, '2026-10-08', 30, 'collateral');
	const r3 = rate(c.patientA, '2026-10-15', 22);
	// r3 corrected by a clinician: the correction is in force, r3 is not.
	const fixed = c.db
		.insert(ratings)
		.values({
			clientId: 'fix-1',
			appointmentId: r3.appointmentId,
			instrumentId: 'stemme-outcome-adult',
			instrumentVersion: 1,
			itemValues: { self: 6, close: 6, daily: 6, overall: 6 },
			total: 24,
			submittedAt: new Date('2026-10-16T09:00:00Z'),
			enteredById: c.users.clinicianA.id,
			correctsRatingId: r3.id,
			correctionReason: 'typed wrong'
		})
		.returning()
		.get();
	const other = rate(c.patientB, '2026-10-02', 10);
	const ctx = testContext(c.db, { now: NOW, actor: { kind: 'api-client', client } });
	return { ...c, client, ctx, r1, r2, r3, fixed, other };
}

const params = (q: string): URLSearchParams => new URLSearchParams(q);

describe('FHIR reads', () => {
	// Indexing the R4 definitions takes seconds, once.
	beforeAll(() => void fhirProblems({ resourceType: 'Basic', code: { text: 'warm-up' } }), 30_000);

	it('serves a Patient with the no-basis identifier systems, valid against R4', () => {
		const s = setup();
		const patient = readPatient(s.ctx, s.client, BASE, String(s.patientA));
		expect(fhirProblems(patient)).toEqual([]);
		expect(patient.identifier).toContainEqual({ use: 'official', system: FODSELSNUMMER_SYSTEM, value: '01010750160' });
		expect(patient.birthDate).toBe('2007-01-01');
		expect(s.ctx.returned).toEqual([s.patientA]);
	});

	it('gives a D-number its own system', () => {
		const s = setup();
		// The same person's D-number: first digit 0 + 4, check digits recomputed by modulus 11
		// (k1: 105 mod 11 = 6, 11 − 6 = 5; k2: 106 mod 11 = 7, 11 − 7 = 4).
		const d = '41010750154';
		s.db.update(patients).set({ nationalId: d }).where(eq(patients.id, s.patientA)).run();
		const patient = readPatient(s.ctx, s.client, BASE, String(s.patientA));
		expect(patient.identifier?.find((i) => i.use === 'official')).toEqual({ use: 'official', system: D_NUMMER_SYSTEM, value: d });
	});

	it('answers 404 for another team’s patient, a missing one and a malformed id alike', () => {
		const s = setup();
		for (const id of [String(s.patientB), '999999', 'abc', '0']) expect(() => readPatient(s.ctx, s.client, BASE, id)).toThrow(FhirError);
		expect(s.ctx.returned).toEqual([]);
	});

	it('serves each instrument version as a valid Questionnaire with slider, range, anchors and translations', () => {
		const s = setup();
		const bundle = listQuestionnaires(s.ctx, BASE, params(''));
		expect(fhirProblems(bundle)).toEqual([]);
		expect(bundle.entry?.length).toBe(s.ctx.registry.instruments.length);
		const q = readQuestionnaire(s.ctx, BASE, 'stemme-outcome-adult-1');
		const first = q.item![0]!;
		expect(first.type).toBe('decimal');
		expect(first.extension?.map((e) => e.url.split('/').at(-1))).toEqual(['questionnaire-itemControl', 'minValue', 'maxValue']);
		expect(first.item?.map((i) => i.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code)).toEqual(['lower', 'upper']);
		// Primitive extensions (`_text`) are not in Medplum's types: read as JSON.
		const translations = (first as { _text?: { extension: Extension[] } })._text?.extension ?? [];
		expect(translations.map((e) => e.extension?.[0]?.valueCode)).toEqual(['nn', 'en']);
		expect(q.copyright).toContain('Stemme');
	});

	it('serves the ratings in force as valid responses and observations, the correction amended', () => {
		const s = setup();
		const bundle = searchRatings(s.ctx, s.client, BASE, 'QuestionnaireResponse', params(`patient=${s.patientA}`));
		expect(fhirProblems(bundle)).toEqual([]);
		const responses = bundle.entry!.map((e) => e.resource as QuestionnaireResponse);
		expect(responses.map((r) => r.id)).toEqual([String(s.r1.id), String(s.r2.id), String(s.fixed.id)]);
		expect(responses[0]!.identifier?.value).toBe(s.r1.clientId);
		expect(responses[1]!.source).toEqual({ type: 'RelatedPerson', display: 'collateral rater' });
		expect(responses[2]!.status).toBe('amended');
		expect(responses[2]!.contained?.[0]).toMatchObject({ resourceType: 'Provenance', reason: [{ text: 'typed wrong' }] });
		const observation = readRating(s.ctx, s.client, BASE, 'Observation', String(s.r1.id)) as Observation;
		expect(fhirProblems(observation)).toEqual([]);
		// 18 is below the adult clinical cutoff (25; docs/clinical/measures.md): the local signal code.
		expect(observation.valueQuantity?.value).toBe(18);
		expect(observation.interpretation?.[0]?.coding?.[0]?.code).toBe('below-clinical-cutoff');
		expect(observation.component).toHaveLength(4);
		expect(observation.derivedFrom).toEqual([{ reference: `QuestionnaireResponse/${s.r1.id}` }]);
		expect(() => readRating(s.ctx, s.client, BASE, 'Observation', String(s.r3.id))).toThrow(FhirError);
		expect(() => readRating(s.ctx, s.client, BASE, 'Observation', String(s.other.id))).toThrow(FhirError);
	});

	it('searches by date and _lastUpdated and pages by a cursor', () => {
		const s = setup();
		const ids = (b: Bundle): string[] => b.entry!.map((e) => e.resource!.id!);
		expect(ids(searchRatings(s.ctx, s.client, BASE, 'Observation', params('date=ge2026-10-08&date=lt2026-10-16')))).toEqual([String(s.r2.id)]);
		expect(ids(searchRatings(s.ctx, s.client, BASE, 'QuestionnaireResponse', params('_lastUpdated=gt2026-10-15')))).toEqual([String(s.fixed.id)]);
		const first = searchRatings(s.ctx, s.client, BASE, 'QuestionnaireResponse', params('_count=2'));
		expect(ids(first)).toEqual([String(s.r1.id), String(s.r2.id)]);
		const next = new URL(first.link!.find((l) => l.relation === 'next')!.url!);
		const second = searchRatings(s.ctx, s.client, BASE, 'QuestionnaireResponse', next.searchParams);
		expect(ids(second)).toEqual([String(s.fixed.id)]);
		expect(second.link?.some((l) => l.relation === 'next')).toBe(false);
	});

	it('refuses bad search input with a 400 naming the parameter', () => {
		const s = setup();
		const refusal = (q: string): unknown => {
			try {
				searchRatings(s.ctx, s.client, BASE, 'QuestionnaireResponse', params(q));
			} catch (e) {
				if (e instanceof FhirError) return { status: e.status, where: e.issues[0]?.expression };
			}
			return null;
		};
		expect(refusal('colour=red')).toEqual({ status: 400, where: 'colour' });
		expect(refusal('authored=yesterday')).toEqual({ status: 400, where: 'authored' });
		expect(refusal('_count=many')).toEqual({ status: 400, where: '_count' });
		expect(refusal('patient=Patient/x')).toEqual({ status: 400, where: 'patient' });
		expect(refusal('_cursor=-1')).toEqual({ status: 400, where: '_cursor' });
	});

	it('finds a patient by identifier and gathers $everything in one valid Bundle', () => {
		const s = setup();
		const found = searchPatients(s.ctx, s.client, BASE, params(`identifier=${FODSELSNUMMER_SYSTEM}|01010750160`));
		expect(found.entry?.map((e) => (e.resource as Patient).id)).toEqual([String(s.patientA)]);
		expect(searchPatients(s.ctx, s.client, BASE, params(`identifier=B-1`)).entry).toEqual([]);
		const everything = patientEverything(s.ctx, s.client, BASE, String(s.patientA), params(''));
		expect(fhirProblems(everything)).toEqual([]);
		// The patient, one questionnaire, three ratings in force × (response + observation).
		// The patient, its episode and three appointments, one questionnaire, three ratings in force × (response + observation).
		expect(everything.entry?.map((e) => e.resource!.resourceType)).toEqual([
			'Patient',
			'EpisodeOfCare',
			'Appointment',
			'Appointment',
			'Appointment',
			'Questionnaire',
			...Array(3).fill(['QuestionnaireResponse', 'Observation']).flat()
		]);
	});

	it('serves episodes and appointments, valid against R4, searched by patient, date and _lastUpdated and paged', () => {
		const s = setup();
		const episode = s.db.select().from(episodes).where(eq(episodes.patientId, s.patientA)).get()!;
		s.db.update(episodes).set({ actualEnd: '2026-11-20', endReason: 'planned_completion' }).where(eq(episodes.id, episode.id)).run();
		s.db.update(appointments).set({ status: 'late_cancellation' }).where(eq(appointments.id, s.r2.appointmentId)).run();
		const ids = (b: Bundle): string[] => b.entry!.map((e) => e.resource!.id!);
		const episodesOfA = searchCare(s.ctx, s.client, BASE, 'EpisodeOfCare', params(`patient=Patient/${s.patientA}`));
		expect(fhirProblems(episodesOfA)).toEqual([]);
		const care = episodesOfA.entry![0]!.resource as EpisodeOfCare;
		expect(care).toMatchObject({ status: 'finished', period: { start: '2026-09-01', end: '2026-11-20' }, patient: { reference: `Patient/${s.patientA}` } });
		expect(care.extension?.[0]?.valueCode).toBe('planned_completion');
		expect(ids(searchCare(s.ctx, s.client, BASE, 'EpisodeOfCare', params('date=ge2026-09-02')))).toEqual([]);
		expect(ids(searchCare(s.ctx, s.client, BASE, 'EpisodeOfCare', params('date=le2026-09-01')))).toEqual([String(episode.id)]);
		// Patient B is another team's: neither its episode nor its appointment is served.
		const all = searchCare(s.ctx, s.client, BASE, 'Appointment', params('_count=2'));
		expect(fhirProblems(all)).toEqual([]);
		expect(ids(all)).toEqual([String(s.r1.appointmentId), String(s.r2.appointmentId)]);
		const late = all.entry![1]!.resource as Appointment;
		expect(late).toMatchObject({ status: 'cancelled', cancelationReason: { text: 'late cancellation' }, minutesDuration: 45, supportingInformation: [{ reference: `EpisodeOfCare/${episode.id}` }] });
		const next = new URL(all.link!.find((l) => l.relation === 'next')!.url!);
		expect(ids(searchCare(s.ctx, s.client, BASE, 'Appointment', next.searchParams))).toEqual([String(s.r3.appointmentId)]);
		expect(ids(searchCare(s.ctx, s.client, BASE, 'Appointment', params('date=2026-10-08')))).toEqual([String(s.r2.appointmentId)]);
		expect(ids(searchCare(s.ctx, s.client, BASE, 'Appointment', params('_lastUpdated=lt2000-01-01')))).toEqual([]);
		const one = readCare(s.ctx, s.client, BASE, 'Appointment', String(s.r1.appointmentId));
		expect(fhirProblems(one)).toEqual([]);
		expect((one as Appointment).status).toBe('fulfilled');
		expect(() => readCare(s.ctx, s.client, BASE, 'Appointment', String(s.other.appointmentId))).toThrow(FhirError);
		expect(() => readCare(s.ctx, s.client, BASE, 'EpisodeOfCare', 'x')).toThrow(FhirError);
		expect(() => searchCare(s.ctx, s.client, BASE, 'EpisodeOfCare', params('date=soon'))).toThrow(FhirError);
	});

	it('declares a valid CapabilityStatement', () => {
		expect(fhirProblems(capabilityStatement(BASE, '0.1.0'))).toEqual([]);
	});
});
