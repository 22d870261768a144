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
