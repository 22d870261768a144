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
	// A parent or other close adult rates how they see the child doing (docs/clinical/measures.md, "Variants").
	raterWording: {
		collateral: {
			name: { nb: 'Slik har barnet det', nn: 'Slik har barnet det', en: 'How things are for the child' },
			instructions: {
				nb: 'Sett en strek på hver linje for hvordan du ser at barnet har det. Langt til høyre betyr at det er veldig bra.',
				nn: 'Set ein strek på kvar linje for korleis du ser at barnet har det. Langt til høgre tyder at det er veldig bra.',
				en: 'Draw a mark on each line for how you see the child doing. Far to the right means things are really good.'
			},
			items: {
				self: { nb: 'Inni barnet', nn: 'Inni barnet', en: 'Inside the child' },
				close: { nb: 'Barnet og de hjemme', nn: 'Barnet og dei heime', en: 'The child and the people at home' },
				daily: {
					nb: 'Dagene til barnet – lek, venner og læring',
					nn: 'Dagane til barnet – leik, vener og læring',
					en: "The child's days – play, friends and learning"
				},
				overall: { nb: 'Sånn alt i alt for barnet', nn: 'Sånn alt i alt for barnet', en: 'All of it together, for the child' }
			}
		}
	},
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
