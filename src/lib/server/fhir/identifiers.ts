import type { Identifier } from '@medplum/fhirtypes';
import { checkNationalId } from '$lib/domain/national-id';

// HL7 Norway no-basis (hl7.fhir.no.basis 2.2.x) identifier systems; docs/clinical/fhir.md, "Norwegian identities".
export const FODSELSNUMMER_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.1';
export const D_NUMMER_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.2';
export const HPR_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.4';

/** The /fhir base of this installation, as the request reached it. */
export function fhirBase(url: URL): string {
	return `${url.origin}/fhir`;
}

/**
 * The URLs of this installation's own definitions, under its /fhir base: the local code system
 * (no LOINC or SNOMED code exists for these lines; docs/clinical/fhir.md), the identifier systems
 * of a patient's code and a rating's client id, and the instruments' canonical URLs.
 */
export function fhirUrls(base: string) {
	return {
		base,
		codeSystem: `${base}/CodeSystem/stemme`,
		signalSystem: `${base}/CodeSystem/stemme-signal`,
		patientCode: `${base}/NamingSystem/patient-code`,
		ratingClientId: `${base}/NamingSystem/rating-client-id`,
		questionnaire: (instrumentId: string): string => `${base}/Questionnaire/${instrumentId}`
	};
}
export type FhirUrls = ReturnType<typeof fhirUrls>;

/**
 * The identifier of a stored fødselsnummer or D-number with its no-basis system. A Tenor test
 * number (month + 80) is a fødselsnummer or D-number by its day like any other.
 */
export function nationalIdentifier(nationalId: string): Identifier | null {
	const checked = checkNationalId(nationalId);
	if (!checked.ok) return null;
	const dNumber = checked.kind === 'd-number' || Number(checked.value.slice(0, 2)) > 40;
	return { use: 'official', system: dNumber ? D_NUMMER_SYSTEM : FODSELSNUMMER_SYSTEM, value: checked.value };
}
