import type { Extension, Questionnaire, QuestionnaireItem } from '@medplum/fhirtypes';
import type { InstrumentDefinition } from '$lib/domain/instrument-schema';
import type { Localized } from '$lib/domain/localized';
import type { RegisteredInstrument } from '$lib/domain/registry';
import type { FhirUrls } from './identifiers';

/** The language every text is written in first; the others come as translations. */
export const PRIMARY_LANGUAGE = 'nb';

const ITEM_CONTROL = 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl';
const ITEM_CONTROL_SYSTEM = 'http://hl7.org/fhir/questionnaire-item-control';
const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';

/** The id of an instrument version's Questionnaire: `stemme-outcome-adult-1`. */
export function questionnaireId(instrumentId: string, version: number): string {
	return `${instrumentId}-${version}`;
}

/** The canonical reference of an instrument version: `<url>|<version>`. */
export function questionnaireCanonical(urls: FhirUrls, instrumentId: string, version: number): string {
	return `${urls.questionnaire(instrumentId)}|${version}`;
}

function itemControl(code: 'slider' | 'lower' | 'upper'): Extension {
	return { url: ITEM_CONTROL, valueCodeableConcept: { coding: [{ system: ITEM_CONTROL_SYSTEM, code }] } };
}

/** A text in the primary language, with the `translation` extension for each other language. */
function localized(text: Localized): { text: string; _text?: { extension: Extension[] } } {
	const others = Object.entries(text).filter(([language]) => language !== PRIMARY_LANGUAGE);
	const primary = text[PRIMARY_LANGUAGE] ?? Object.values(text)[0] ?? '';
	if (others.length === 0) return { text: primary };
	return {
		text: primary,
		_text: {
			extension: others.map(([language, content]) => ({
				url: TRANSLATION,
				extension: [
					{ url: 'lang', valueCode: language },
					{ url: 'content', valueString: content }
				]
			}))
		}
	};
}

function lineItem(def: InstrumentDefinition, item: InstrumentDefinition['items'][number]): QuestionnaireItem {
	return {
		linkId: item.key,
		...localized(item.label),
		// Decimal 0–10: Stemme stores tenths of the 10 cm line, which a decimal carries exactly
		// (docs/clinical/fhir.md; so no sliderStepValue, which is for integer items).
		type: 'decimal',
		required: true,
		extension: [
			itemControl('slider'),
			{ url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueDecimal: def.itemRange.min },
			{ url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueDecimal: def.itemRange.max }
		],
		item: [
			{ linkId: `${item.key}.low`, type: 'display', ...localized(item.anchors.low), extension: [itemControl('lower')] },
			{ linkId: `${item.key}.high`, type: 'display', ...localized(item.anchors.high), extension: [itemControl('upper')] }
		]
	};
}

/** One instrument version as a FHIR R4 Questionnaire (docs/clinical/fhir.md, "Questionnaire"). */
export function toQuestionnaire(urls: FhirUrls, registered: RegisteredInstrument): Questionnaire {
	const def = registered.definition;
	const title = localized(def.name);
	const licence = registered.origin.kind === 'pack' ? registered.origin.pack.licence : def.licence;
	return {
		resourceType: 'Questionnaire',
		id: questionnaireId(def.id, def.version),
		url: urls.questionnaire(def.id),
		version: String(def.version),
		name: def.id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase()),
		title: title.text,
		...(title._text === undefined ? {} : { _title: title._text }),
		status: 'active',
		subjectType: ['Patient'],
		language: PRIMARY_LANGUAGE,
		description: localized(def.instructions).text,
		copyright: `${licence.holder}: ${localized(licence.note).text}`,
		code: [{ system: urls.codeSystem, code: def.id }],
		item: def.items.map((item) => lineItem(def, item))
	};
}
