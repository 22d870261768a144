import type { CodeableConcept, Device, Observation, Patient, Practitioner, Provenance, QuestionnaireResponse, Reference, RelatedPerson } from '@medplum/fhirtypes';
import type { Registry } from '$lib/domain/registry';
import { thresholdsAtRating } from '$lib/domain/thresholds-for';
import { ageAt } from '$lib/domain/age';
import { textFor } from '$lib/domain/localized';
import type { FhirUrls } from './identifiers';
import { PRIMARY_LANGUAGE, questionnaireCanonical } from './questionnaire';

/** One rating in force with what its resources need of its patient and of who entered it. */
export interface RatingRow {
	id: number;
	clientId: string;
	instrumentId: string;
	instrumentVersion: number;
	rater: 'patient' | 'collateral' | 'group-member';
	itemValues: Record<string, number>;
	total: number;
	source: 'tablet' | 'paper' | 'phone';
	submittedAt: Date;
	enteredById: number | null;
	enteredByName: string | null;
	correctsRatingId: number | null;
	correctionReason: string | null;
	patientId: number;
	birthYear: number;
	appointmentId: number;
}

const UCUM = 'http://unitsofmeasure.org';
const SURVEY: CodeableConcept = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }] };

/** Who answered: the patient (a group member is one too), or a relative, whom Stemme knows by role only. */
function answeredBy(row: RatingRow): Reference<Patient | RelatedPerson> {
	if (row.rater === 'collateral') return { type: 'RelatedPerson', display: 'collateral rater' };
	return { reference: `Patient/${row.patientId}` };
}

/** Who recorded it: the clinician typing a paper form or a correction, the tablet, or the patient's own phone (a rating link). */
function recordedBy(row: RatingRow): Reference<Practitioner | Device> {
	if (row.enteredById !== null) return { reference: `Practitioner/${row.enteredById}`, display: row.enteredByName ?? undefined };
	return { type: 'Device', display: row.source === 'phone' ? "the patient's own phone (Stemme rating link)" : 'Stemme tablet' };
}

/**
 * A rating as a QuestionnaireResponse (docs/clinical/fhir.md): its client id as identifier, so
 * a re-sent export is idempotent; a correction is `amended`, with a contained Provenance naming
 * who corrected it and why.
 */
export function toQuestionnaireResponse(urls: FhirUrls, registry: Registry, row: RatingRow): QuestionnaireResponse {
	const def = registry.instruments.find((i) => i.definition.id === row.instrumentId && i.definition.version === row.instrumentVersion)?.definition;
	const provenance: Provenance | null =
		row.correctsRatingId === null
			? null
			: {
					resourceType: 'Provenance',
					id: 'correction',
					target: [{ reference: `QuestionnaireResponse/${row.id}` }],
					recorded: row.submittedAt.toISOString(),
					reason: [{ text: row.correctionReason ?? '' }],
					activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }] },
					agent: [{ who: recordedBy(row) }],
					entity: [{ role: 'revision', what: { reference: `QuestionnaireResponse/${row.correctsRatingId}` } }]
				};
	return {
		resourceType: 'QuestionnaireResponse',
		id: String(row.id),
		meta: { lastUpdated: row.submittedAt.toISOString() },
		...(provenance === null ? {} : { contained: [provenance] }),
		identifier: { system: urls.ratingClientId, value: row.clientId },
		questionnaire: questionnaireCanonical(urls, row.instrumentId, row.instrumentVersion),
		status: row.correctsRatingId === null ? 'completed' : 'amended',
		subject: { reference: `Patient/${row.patientId}` },
		authored: row.submittedAt.toISOString(),
		author: recordedBy(row),
		source: answeredBy(row),
		item: Object.entries(row.itemValues).map(([key, value]) => {
			const label = def?.items.find((i) => i.key === key)?.label;
			return { linkId: key, ...(label === undefined ? {} : { text: textFor(label, PRIMARY_LANGUAGE) }), answer: [{ valueDecimal: value }] };
		})
	};
}

export type RatingSignal = 'below-clinical-cutoff' | 'alliance-below-threshold';

/**
 * A rating's own signal: its total under the cutoff of the patient's age band on the day
 * (an outcome measure) or under the alliance threshold (docs/clinical/measures.md); null when it
 * is not, or the instrument has no such threshold. The Observation and the CSV export both say it.
 */
export function ratingSignal(
	registry: Registry,
	row: Pick<RatingRow, 'instrumentId' | 'instrumentVersion' | 'total' | 'birthYear' | 'submittedAt'>
): { cutoff: number | null; signal: RatingSignal | null } {
	const def = registry.instruments.find((i) => i.definition.id === row.instrumentId && i.definition.version === row.instrumentVersion)?.definition;
	const thresholds = def === undefined ? null : thresholdsAtRating(def, ageAt(row.birthYear, row.submittedAt.toISOString().slice(0, 10)));
	const cutoff = thresholds !== null && thresholds.ok ? thresholds.thresholds.cutoff : null;
	if (cutoff === null || row.total >= cutoff) return { cutoff, signal: null };
	return { cutoff, signal: def?.kind === 'alliance' ? 'alliance-below-threshold' : 'below-clinical-cutoff' };
}

/**
 * The Observation derived from a rating: the total as `{score}`, one component per line, the
 * cutoff of the patient's age band at the rating as reference range, and below it the local
 * interpretation code (a signal of its own in the episode's course; docs/clinical/measures.md).
 */
export function toObservation(urls: FhirUrls, registry: Registry, row: RatingRow): Observation {
	const def = registry.instruments.find((i) => i.definition.id === row.instrumentId && i.definition.version === row.instrumentVersion)?.definition;
	const date = row.submittedAt.toISOString();
	const { cutoff, signal } = ratingSignal(registry, row);
	const kind = def?.kind ?? null;
	const score = (value: number) => ({ value, unit: '{score}', system: UCUM, code: '{score}' });
	return {
		resourceType: 'Observation',
		id: String(row.id),
		meta: { lastUpdated: date },
		status: row.correctsRatingId === null ? 'final' : 'amended',
		category: [SURVEY],
		code: { coding: [{ system: urls.codeSystem, code: `${row.instrumentId}.total`, ...(def === undefined ? {} : { display: textFor(def.name, PRIMARY_LANGUAGE) }) }] },
		subject: { reference: `Patient/${row.patientId}` },
		effectiveDateTime: date,
		performer: [answeredBy(row)],
		valueQuantity: score(row.total),
		...(signal === null ? {} : { interpretation: [{ coding: [{ system: urls.signalSystem, code: signal }] }] }),
		...(cutoff === null ? {} : { referenceRange: [{ low: score(cutoff), text: kind === 'alliance' ? 'alliance threshold (local)' : 'clinical cutoff (local)' }] }),
		derivedFrom: [{ reference: `QuestionnaireResponse/${row.id}` }],
		component: Object.entries(row.itemValues).map(([key, value]) => ({ code: { coding: [{ system: urls.codeSystem, code: `${row.instrumentId}.${key}` }] }, valueQuantity: score(value) }))
	};
}
