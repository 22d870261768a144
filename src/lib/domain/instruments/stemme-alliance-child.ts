import { ALLIANCE_CUTOFF, ALLIANCE_DROP, CHILD_MAX_AGE, CHILD_MIN_AGE } from '../clinical-constants';
import type { InstrumentDefinition } from '../instrument-schema';
import { PROVISIONAL_NOTE, SESSION_TIME_FRAME, SOURCES, STEMME_LICENCE, VAS_RANGES } from './shared-texts';

/**
 * Stemme's open alliance measure for children 6–12: "Timen min", in short everyday words a child
 * can read or be read aloud. Our own wording (docs/clinical/measures.md, "Licensing"): it asks
 * whether the child got to say what they wanted, whether the time went on what they needed,
 * whether it was easy to join in, and what they take home — not the licensed child measure's
 * items or ends. No child value for an alliance cutoff or drop has been published for an open
 * measure, so the adult alliance literature's 36 and 1 are borrowed, marked provisional.
 */
export const stemmeAllianceChild = {
	id: 'stemme-alliance-child',
	version: 1,
	kind: 'alliance',
	name: { nb: 'Timen min', nn: 'Timen min', en: 'My session' },
	raters: ['patient'],
	administered: 'session-end',
	timeFrame: SESSION_TIME_FRAME,
	instructions: {
		nb: 'Sett en strek på hver linje. Langt til høyre betyr at timen var veldig bra for deg.',
		nn: 'Set ein strek på kvar linje. Langt til høgre tyder at timen var veldig bra for deg.',
		en: 'Draw a mark on each line. Far to the right means the session was really good for you.'
	},
	items: [
		{
			key: 'heard',
			label: { nb: 'Å få si min mening', nn: 'Å få seie meininga mi', en: 'Saying what I think' },
			anchors: {
				low: { nb: 'Jeg fikk ikke si det jeg ville', nn: 'Eg fekk ikkje seie det eg ville', en: "I didn't get to say what I wanted" },
				high: { nb: 'Jeg fikk si det jeg ville', nn: 'Eg fekk seie det eg ville', en: 'I got to say what I wanted' }
			}
		},
		{
			key: 'goals',
			label: { nb: 'Tiden vår sammen', nn: 'Tida vår saman', en: 'Our time together' },
			anchors: {
				low: { nb: 'Vi holdt på med feil ting', nn: 'Vi heldt på med feil ting', en: 'We did the wrong things' },
				high: { nb: 'Vi holdt på med det jeg trengte', nn: 'Vi heldt på med det eg trong', en: 'We did what I needed' }
			}
		},
		{
			key: 'approach',
			label: { nb: 'Å være med', nn: 'Å vere med', en: 'Joining in' },
			anchors: {
				low: { nb: 'Det var vanskelig å være med', nn: 'Det var vanskeleg å vere med', en: 'It was hard to join in' },
				high: { nb: 'Det var lett å være med', nn: 'Det var lett å vere med', en: 'It was easy to join in' }
			}
		},
		{
			key: 'overall',
			label: { nb: 'Når jeg går hjem', nn: 'Når eg går heim', en: 'When I go home' },
			anchors: {
				low: { nb: 'Jeg tar med meg lite', nn: 'Eg tek med meg lite', en: 'I take little with me' },
				high: { nb: 'Jeg tar med meg noe godt', nn: 'Eg tek med meg noko godt', en: 'I take something good with me' }
			}
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
				cutoff: ALLIANCE_CUTOFF,
				drop: ALLIANCE_DROP,
				source: SOURCES.allianceChild,
				provisional: true,
				note: PROVISIONAL_NOTE
			}
		}
	],
	licence: STEMME_LICENCE
} satisfies InstrumentDefinition;
