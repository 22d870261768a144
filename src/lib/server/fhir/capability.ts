import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';

type SearchType = 'token' | 'reference' | 'date' | 'uri';

/** An episode's and an appointment's search: by patient, the day it starts and when it was recorded. */
const CARE_PARAMETERS = [
	{ name: 'patient', type: 'reference' },
	{ name: 'date', type: 'date' },
	{ name: '_lastUpdated', type: 'date' }
] as const;

/**
 * What /fhir serves, declared once: the CapabilityStatement lists it and every search refuses a
 * parameter not listed here (so the statement says exactly what is supported).
 */
export const SEARCH_PARAMETERS = {
	Patient: [{ name: 'identifier', type: 'token' }],
	Questionnaire: [{ name: 'url', type: 'uri' }],
	QuestionnaireResponse: [
		{ name: 'patient', type: 'reference' },
		{ name: 'subject', type: 'reference' },
		{ name: 'authored', type: 'date' },
		{ name: '_lastUpdated', type: 'date' }
	],
	Observation: [
		{ name: 'patient', type: 'reference' },
		{ name: 'subject', type: 'reference' },
		{ name: 'date', type: 'date' },
		{ name: '_lastUpdated', type: 'date' }
	],
	EpisodeOfCare: CARE_PARAMETERS,
	Appointment: CARE_PARAMETERS
} as const satisfies Record<string, readonly { name: string; type: SearchType }[]>;

export type SearchedType = keyof typeof SEARCH_PARAMETERS;

export function parameterNames(type: SearchedType): string[] {
	return SEARCH_PARAMETERS[type].map((p) => p.name);
}

/** The day this statement's content last changed (CapabilityStatement.date is required). */
const STATEMENT_DATE = '2026-12-03';

const DOCUMENTATION: Record<SearchedType, string> = {
	Patient: 'Identifiers: the clinic code (NamingSystem/patient-code) and the fødselsnummer or D-number with the HL7 Norway no-basis systems. Read, search and $everything.',
	Questionnaire:
		'One per instrument and version. Line items are decimal 0–10 (tenths of the 10 cm line), with the slider item control, minValue, maxValue and the anchor words as lower/upper display items.',
	QuestionnaireResponse: 'One per rating in force; identifier = the rating client id; a correction is amended with a contained Provenance. Paged by a cursor (_count at most 100).',
	Observation: 'Derived from each rating: category survey, local codes, the total as valueQuantity {score}, one component per line, the cutoff as referenceRange, the local signal as interpretation.',
	EpisodeOfCare:
		'One per episode of treatment: period start and end, finished once ended (how it ended as a local extension), the setting as a local type, the team and the responsible clinician. date = the day it started; _lastUpdated = when it was recorded. Paged by a cursor.',
	Appointment:
		'One per booked session: start, end, length, status (a late cancellation is cancelled with that reason), the patient and the clinician as participants, the episode as supportingInformation. date = the start. Paged by a cursor.'
};

/** The most entries one import transaction may carry (`POST /fhir`); more answers 413 naming it. */
export const MAX_TRANSACTION_ENTRIES = 10_000;

/** `GET /fhir/metadata`: the CapabilityStatement of this installation's /fhir. */
export function capabilityStatement(base: string, softwareVersion: string): CapabilityStatement {
	const resource = (type: SearchedType): CapabilityStatementRestResource => ({
		type,
		documentation: DOCUMENTATION[type],
		interaction: [{ code: 'read' }, { code: 'search-type' }],
		searchParam: SEARCH_PARAMETERS[type].map((p) => ({ name: p.name, type: p.type })),
		...(type === 'Patient' ? { operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] } : {})
	});
	return {
		resourceType: 'CapabilityStatement',
		status: 'active',
		date: STATEMENT_DATE,
		publisher: 'Stemme',
		kind: 'instance',
		software: { name: 'Stemme', version: softwareVersion },
		implementation: { description: 'Stemme session feedback', url: base },
		fhirVersion: '4.0.1',
		format: ['application/fhir+json'],
		rest: [
			{
				mode: 'server',
				documentation: `Reads for the teams an API client is given; unsupported search parameters are refused (400) rather than ignored. One write: the import, a transaction Bundle of Patient, EpisodeOfCare and Appointment (at most ${MAX_TRANSACTION_ENTRIES} entries, else 413), each Patient conditional on its identifier (ifNoneExist or a conditional PUT), an episode matched on its patient and start date, an appointment on its episode and start; what matches answers 200 unchanged, the rest is created (201) in one transaction for the client's teams, or nothing is and an OperationOutcome names each refused entry and element.`,
				security: { description: 'Authorization: Bearer <token of an API client>, made by an administrator for the teams it may read; revocable, with an expiry.' },
				interaction: [{ code: 'transaction' }],
				resource: [resource('Patient'), resource('Questionnaire'), resource('QuestionnaireResponse'), resource('Observation'), resource('EpisodeOfCare'), resource('Appointment')]
			}
		]
	};
}
