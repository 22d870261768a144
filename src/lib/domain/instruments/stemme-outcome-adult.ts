import { ADULT_MIN_AGE, OUTCOME_CUTOFF_ADULT, OUTCOME_CUTOFF_YOUTH, OUTCOME_RELIABLE_CHANGE, YOUTH_MAX_AGE, YOUTH_MIN_AGE } from '../clinical-constants';
import type { InstrumentDefinition } from '../instrument-schema';
import { OUTCOME_ANCHORS, OUTCOME_TIME_FRAME, PROVISIONAL_NOTE, SOURCES, STEMME_LICENCE, VAS_RANGES } from './shared-texts';

/** Stemme's open outcome measure for adults and youth: "Hvordan har du det?". */
export const stemmeOutcomeAdult = {
	id: 'stemme-outcome-adult',
	version: 1,
	kind: 'outcome',
	name: { nb: 'Hvordan har du det?', nn: 'Korleis har du det?', en: 'How are you doing?' },
	raters: ['patient', 'collateral'],
	administered: 'session-start',
	timeFrame: OUTCOME_TIME_FRAME,
	instructions: {
		nb: 'Sett et merke på hver linje. Jo lenger til høyre, jo bedre har det gått.',
		nn: 'Set eit merke på kvar linje. Di lenger til høgre, di betre har det gått.',
		en: 'Put a mark on each line. The further right, the better it has gone.'
	},
	items: [
		{
			key: 'self',
			label: {
				nb: 'Meg selv – hvordan jeg har det inni meg',
				nn: 'Meg sjølv – korleis eg har det inni meg',
				en: 'Me – how I am inside'
			},
			anchors: OUTCOME_ANCHORS
		},
		{
			key: 'close',
			label: {
				nb: 'Mine nærmeste – og meg sammen med dem',
				nn: 'Dei nærmaste mine – og meg saman med dei',
				en: 'The people nearest to me – and me with them'
			},
			anchors: OUTCOME_ANCHORS
		},
		{
			key: 'daily',
			label: {
				nb: 'Hverdagen min – det jeg fyller dagene med',
				nn: 'Kvardagen min – det eg fyller dagane med',
				en: 'My days – what I fill them with'
			},
			anchors: OUTCOME_ANCHORS
		},
		{
			key: 'overall',
			label: { nb: 'Alt i alt', nn: 'Alt i alt', en: 'All in all' },
			anchors: OUTCOME_ANCHORS
		}
	],
	// A relative rates how they see things going for the patient (docs/clinical/measures.md, "Variants").
	raterWording: {
		collateral: {
			name: { nb: 'Hvordan har personen det?', nn: 'Korleis har personen det?', en: 'How is the person doing?' },
			instructions: {
				nb: 'Sett et merke på hver linje for hvordan du ser at det har gått med personen du er pårørende til. Jo lenger til høyre, jo bedre.',
				nn: 'Set eit merke på kvar linje for korleis du ser at det har gått med personen du er pårørande til. Di lenger til høgre, di betre.',
				en: 'Put a mark on each line for how you see things going for the person you are close to. The further right, the better.'
			},
			items: {
				self: {
					nb: 'Personen selv – hvordan personen har det inni seg',
					nn: 'Personen sjølv – korleis personen har det inni seg',
					en: 'The person – how they are inside'
				},
				close: {
					nb: 'De nærmeste til personen – og personen sammen med dem',
					nn: 'Dei nærmaste til personen – og personen saman med dei',
					en: 'The people nearest to them – and them with those people'
				},
				daily: {
					nb: 'Hverdagen til personen – det personen fyller dagene med',
					nn: 'Kvardagen til personen – det personen fyller dagane med',
					en: 'Their days – what they fill them with'
				},
				overall: { nb: 'Alt i alt for personen', nn: 'Alt i alt for personen', en: 'All in all, for them' }
			}
		}
	},
	...VAS_RANGES,
	ageBands: [
		{
			key: 'adult',
			label: { nb: 'Voksne (18+)', nn: 'Vaksne (18+)', en: 'Adults (18+)' },
			minAge: ADULT_MIN_AGE,
			maxAge: null,
			thresholds: {
				cutoff: OUTCOME_CUTOFF_ADULT,
				reliableChange: { rci: OUTCOME_RELIABLE_CHANGE, source: SOURCES.reliableChange },
				source: SOURCES.outcomeAdult,
				provisional: true,
				note: PROVISIONAL_NOTE
			}
		},
		{
			key: 'youth',
			label: { nb: 'Ungdom (13–17)', nn: 'Ungdom (13–17)', en: 'Youth (13–17)' },
			minAge: YOUTH_MIN_AGE,
			maxAge: YOUTH_MAX_AGE,
			thresholds: {
				cutoff: OUTCOME_CUTOFF_YOUTH,
				reliableChange: { rci: OUTCOME_RELIABLE_CHANGE, source: SOURCES.reliableChange },
				source: SOURCES.outcomeYouth,
				provisional: true,
				note: PROVISIONAL_NOTE
			}
		}
	],
	licence: STEMME_LICENCE
} satisfies InstrumentDefinition;
