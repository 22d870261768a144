import { describe, expect, it } from 'vitest';
import { Client as FhirClient } from 'fhir-kit-client';
import type { Bundle, CapabilityStatement, Patient, QuestionnaireResponse, Resource } from '@medplum/fhirtypes';
import { accessibilityViolations, baseURL, newContext, signIn, useBrowser } from './support/browser';
import { fhirProblems } from '$lib/server/test/fhir-validate';

/**
 * The FHIR API as the patient-record system meets it: an administrator makes an API client on
 * its page (the key shown once), and a FHIR client library drives /fhir with that key against
 * the built app — the CapabilityStatement, a patient's responses page by page, $everything —
 * every resource valid against FHIR R4, every request audited with the client as actor.
 */
const opened = useBrowser();

/** fhir-kit-client types its answers loosely; Medplum's types say what the server sends. */
const as = <T extends Resource>(answer: unknown): T => answer as T;

const one = <T>(sql: string, ...params: unknown[]): T => opened.db.prepare(sql).get(...params) as T;

async function makeClientOnPage(): Promise<string> {
	const context = await newContext(opened.browser);
	const page = await context.newPage();
	await signIn(page, 'admin');
	await page.goto('/admin/api-clients');
	await page.getByLabel(/Navn på systemet/).fill('Journal (fhir.test)');
	await page.getByLabel(/Utløper/).fill(new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString().slice(0, 10));
	await page.getByLabel('Poliklinikk voksne').check();
	await page.getByRole('button', { name: 'Lag klient' }).click();
	const token = await page.getByLabel(/Nøkkel/).inputValue();
	expect(await accessibilityViolations(page)).toEqual([]);
	await page.screenshot({ path: 'test-results/admin-api-clients.png', fullPage: true });
	// Shown once: the page opened again lists the client, never its key.
	await page.goto('/admin/api-clients');
	expect(await page.content()).not.toContain(token);
	await context.close();
	return token;
}

describe('the FHIR API', () => {
	it('serves a FHIR client what the CapabilityStatement says, valid R4, to the client’s teams only', async () => {
		const token = await makeClientOnPage();
		expect(token).toMatch(/^stm_/);
		const fhir = new FhirClient({ baseUrl: `${baseURL()}/fhir`, bearerToken: token });

		const statement = as<CapabilityStatement>(await fhir.capabilityStatement());
		expect(fhirProblems(statement)).toEqual([]);
		expect(statement.rest?.[0]?.resource?.map((r) => r.type)).toEqual(['Patient', 'Questionnaire', 'QuestionnaireResponse', 'Observation', 'EpisodeOfCare', 'Appointment']);

		// Team A's patient with the most ratings in force.
		const patient = one<{ id: number; n: number }>(
			`SELECT p.id, count(*) AS n FROM ratings r JOIN appointments a ON a.id = r.appointment_id JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id
			 JOIN teams t ON t.id = p.team_id WHERE t.name = 'Poliklinikk voksne' AND p.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM ratings c WHERE c.corrects_rating_id = r.id)
			 GROUP BY p.id ORDER BY n DESC LIMIT 1`
		);
		expect(patient.n).toBeGreaterThan(2);

		// A patient's responses, two to a page, followed through the next links to the end.
		const seen: QuestionnaireResponse[] = [];
		let page = as<Bundle>(await fhir.search({ resourceType: 'QuestionnaireResponse', searchParams: { patient: String(patient.id), _count: '2' } }));
		for (;;) {
			expect(fhirProblems(page)).toEqual([]);
			seen.push(...(page.entry ?? []).map((e) => e.resource as QuestionnaireResponse));
			const next = fhir.nextPage({ bundle: page as never });
			if (next === undefined) break;
			page = as<Bundle>(await next);
		}
		expect(seen).toHaveLength(patient.n);
		expect(new Set(seen.map((r) => r.identifier?.value)).size).toBe(patient.n);
		expect(seen.every((r) => r.subject?.reference === `Patient/${patient.id}`)).toBe(true);

		const read = as<Patient>(await fhir.read({ resourceType: 'Patient', id: String(patient.id) }));
		expect(fhirProblems(read)).toEqual([]);

		const everything = as<Bundle>(await fhir.operation({ name: '$everything', resourceType: 'Patient', id: String(patient.id), method: 'GET' }));
		expect(fhirProblems(everything)).toEqual([]);
		const types = (everything.entry ?? []).map((e) => (e.resource as Resource).resourceType);
		expect(types.filter((t) => t === 'QuestionnaireResponse')).toHaveLength(patient.n);
		expect(types.filter((t) => t === 'Observation')).toHaveLength(patient.n);
		const booked = one<{ n: number }>('SELECT count(*) AS n FROM appointments a JOIN episodes e ON e.id = a.episode_id WHERE e.patient_id = ?', patient.id).n;
		expect(types.filter((t) => t === 'Appointment')).toHaveLength(booked);
		expect(types).toContain('EpisodeOfCare');

		// Team B's patient is not this client's: 404, as an OperationOutcome.
		const other = one<{ id: number }>(`SELECT p.id FROM patients p JOIN teams t ON t.id = p.team_id WHERE t.name = 'Ungdom og døgn' ORDER BY p.id LIMIT 1`);
		const refused = await fhir.read({ resourceType: 'Patient', id: String(other.id) }).then(
			() => null,
			(e: { response?: { status?: number; data?: Resource } }) => e.response
		);
		expect([refused?.status, refused?.data?.resourceType]).toEqual([404, 'OperationOutcome']);

		// Every request one audit line with the client as actor; the patient's reads linked to them.
		const client = one<{ id: number }>(`SELECT id FROM api_clients WHERE name = 'Journal (fhir.test)'`);
		const lines = one<{ n: number }>(`SELECT count(*) AS n FROM audit_events WHERE action = 'api_request' AND api_client_id = ? AND user_id IS NULL`, client.id).n;
		const pages = Math.ceil(patient.n / 2) + (patient.n % 2 === 0 ? 1 : 0);
		// metadata, the pages, the read, $everything, the refused read.
		expect(lines).toBe(1 + pages + 1 + 1 + 1);
		const linked = one<{ n: number }>(
			`SELECT count(DISTINCT x.event_id) AS n FROM audit_event_patients x JOIN audit_events e ON e.id = x.event_id WHERE e.api_client_id = ? AND x.patient_id = ?`,
			client.id,
			patient.id
		).n;
		expect(linked).toBeGreaterThanOrEqual(3);
		expect(one<{ n: number }>(`SELECT count(*) AS n FROM audit_event_patients x JOIN audit_events e ON e.id = x.event_id WHERE e.api_client_id = ? AND x.patient_id = ?`, client.id, other.id).n).toBe(
			0
		);

		// The import: a new patient with an episode and a booked appointment, posted twice.
		const clinician = one<{ id: number }>(
			`SELECT u.id FROM users u JOIN team_memberships m ON m.user_id = u.id JOIN teams t ON t.id = m.team_id WHERE t.name = 'Poliklinikk voksne' AND u.disabled_at IS NULL ORDER BY u.id LIMIT 1`
		);
		const day = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
		const codeSystem = `${baseURL()}/fhir/NamingSystem/patient-code`;
		const bundle = {
			resourceType: 'Bundle',
			type: 'transaction',
			entry: [
				{
					fullUrl: 'urn:uuid:fhir-test-patient',
					resource: { resourceType: 'Patient', identifier: [{ system: codeSystem, value: 'FHIR-IMP-1' }], name: [{ text: 'Importert Pasient' }], birthDate: '1988' },
					request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${codeSystem}|FHIR-IMP-1` }
				},
				{
					fullUrl: 'urn:uuid:fhir-test-episode',
					resource: {
						resourceType: 'EpisodeOfCare',
						status: 'active',
						type: [{ coding: [{ system: `${baseURL()}/fhir/CodeSystem/stemme-setting`, code: 'outpatient' }] }],
						patient: { reference: 'urn:uuid:fhir-test-patient' },
						period: { start: day(-3) },
						careManager: { reference: `Practitioner/${clinician.id}` },
						identifier: [{ system: 'https://dips.example/episode', value: 'FHIR-EP-1' }]
					},
					request: { method: 'POST', url: 'EpisodeOfCare', ifNoneExist: 'identifier=https://dips.example/episode|FHIR-EP-1' }
				},
				{
					resource: {
						resourceType: 'Appointment',
						status: 'booked',
						start: `${day(3)}T09:00:00Z`,
						minutesDuration: 45,
						supportingInformation: [{ reference: 'urn:uuid:fhir-test-episode' }],
						participant: [{ actor: { reference: 'urn:uuid:fhir-test-patient' }, status: 'accepted' }],
						identifier: [{ system: 'https://dips.example/appointment', value: 'FHIR-AP-1' }]
					},
					request: { method: 'POST', url: 'Appointment', ifNoneExist: 'identifier=https://dips.example/appointment|FHIR-AP-1' }
				}
			]
		};
		const first = as<Bundle>(await fhir.transaction({ body: bundle }));
		expect(fhirProblems(first)).toEqual([]);
		expect(first.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created', '201 Created']);
		const patients = one<{ n: number }>('SELECT count(*) AS n FROM patients').n;
		const second = as<Bundle>(await fhir.transaction({ body: bundle }));
		expect(second.entry?.map((e) => e.response?.status)).toEqual(['200 OK', '200 OK', '200 OK']);
		expect(second.entry?.map((e) => e.response?.location)).toEqual(first.entry?.map((e) => e.response?.location));
		expect(one<{ n: number }>('SELECT count(*) AS n FROM patients').n).toBe(patients);
		const imported = one<{ id: number; team: string }>(`SELECT p.id, t.name AS team FROM patients p JOIN teams t ON t.id = p.team_id WHERE p.code = 'FHIR-IMP-1'`);
		expect([first.entry?.[0]?.response?.location, imported.team]).toEqual([`Patient/${imported.id}`, 'Poliklinikk voksne']);
	});
});
