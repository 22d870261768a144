import { CHILD_MAX_AGE, CHILD_MIN_AGE, OUTCOME_CUTOFF_CHILD, OUTCOME_RELIABLE_CHANGE } from '../clinical-constants';
import type { InstrumentDefinition } from '../instrument-schema';
import { OUTCOME_TIME_FRAME, PROVISIONAL_NOTE, SOURCES, STEMME_LICENCE, VAS_RANGES } from './shared-texts';

/** Simpler ends for children 6–12. */
const CHILD_ANCHORS = {
	low: { nb: 'Veldig dårlig', nn: 'Veldig dårleg', en: 'Really bad' },
	high: { nb: 'Veldig bra', nn: 'Veldig bra', en: 'Really good' }
};

/** Stemme's open outcome measure for children 6–12, in simple words: "Slik har jeg det". */
export const stemmeOutcomeChild = {
	id: 'stemme-outcome-child',
	version: 1,
	kind: 'outcome',
	name: { nb: 'Slik har jeg det', nn: 'Slik har eg det', en: 'How things are for me' },
	raters: ['patient', 'collateral'],
	administered: 'session-start',
	timeFrame: OUTCOME_TIME_FRAME,
	instructions: {
		nb: 'Sett en strek på hver linje. Langt til høyre betyr at det er veldig bra.',
		nn: 'Set ein strek på kvar linje. Langt til høgre tyder at det er veldig bra.',
		en: 'Draw a mark on each line. Far to the right means things are really good.'
	},
	items: [
		{
			key: 'self',
			label: { nb: 'Inni meg', nn: 'Inni meg', en: 'Inside me' },
			anchors: CHILD_ANCHORS
		},
		{
			key: 'close',
			label: { nb: 'Meg og de hjemme', nn: 'Meg og dei heime', en: 'Me and the people at home' },
			anchors: CHILD_ANCHORS
		},
		{
			key: 'daily',
			label: {
				nb: 'Dagene mine – lek, venner og læring',
				nn: 'Dagane mine – leik, vener og læring',
				en: 'My days – play, friends and learning'
			},
			anchors: CHILD_ANCHORS
		},
		{
			key: 'overall',
			label: { nb: 'Sånn alt i alt', nn: 'Sånn alt i alt', en: 'All of it together' },
			anchors: CHILD_ANCHORS
		}
	],
	...VAS_RANGES,
	ageBands: [
		{
			key: 'child',
			label: { nb: 'Barn (6–12)', nn: 'Born (6–12)', en: 'Children (6–12)' },
			minAge: CHILD_MIN_AGE,
			maxAge: CHILD_MAX_AGE,
			thresholds: {
				cutoff: OUTCOME_CUTOFF_CHILD,
				reliableChange: { rci: OUTCOME_RELIABLE_CHANGE, source: SOURCES.reliableChange },
				source: SOURCES.outcomeChild,
				provisional: true,
				note: PROVISIONAL_NOTE
			}
		}
	],
	licence: STEMME_LICENCE
} satisfies InstrumentDefinition;
