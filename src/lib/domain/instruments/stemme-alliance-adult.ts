import type { InstrumentDefinition } from '../instrument-schema';
import { ALLIANCE_BAND_FROM_13, SESSION_TIME_FRAME, STEMME_LICENCE, TAKE_AWAY_ANCHORS, VAS_RANGES } from './shared-texts';

/** Stemme's open alliance measure for one-to-one sessions: "Timen i dag". Given from age 13,
 *  like the adult outcome measure's youth band. */
export const stemmeAllianceAdult = {
	id: 'stemme-alliance-adult',
	version: 1,
	kind: 'alliance',
	name: { nb: 'Timen i dag', nn: 'Timen i dag', en: "Today's session" },
	raters: ['patient'],
	administered: 'session-end',
	timeFrame: SESSION_TIME_FRAME,
	instructions: {
		nb: 'Sett et merke på hver linje. Svarene hjelper oss å gjøre timene bedre for deg.',
		nn: 'Set eit merke på kvar linje. Svara hjelper oss å gjere timane betre for deg.',
		en: 'Put a mark on each line. Your answers help us make the sessions better for you.'
	},
	items: [
		{
			key: 'heard',
			label: { nb: 'Å bli lyttet til', nn: 'Å bli lytta til', en: 'Being listened to' },
			anchors: {
				low: { nb: 'Ingen lyttet egentlig til meg', nn: 'Ingen lytta eigentleg til meg', en: 'Nobody really listened to me' },
				high: {
					nb: 'Jeg ble lyttet til og tatt på alvor',
					nn: 'Eg vart lytta til og teken på alvor',
					en: 'I was listened to and taken seriously'
				}
			}
		},
		{
			key: 'goals',
			label: { nb: 'Det vi brukte tiden på', nn: 'Det vi brukte tida på', en: 'What we spent the time on' },
			anchors: {
				low: {
					nb: 'Tiden gikk til ting som ikke betyr noe for meg',
					nn: 'Tida gjekk til ting som ikkje betyr noko for meg',
					en: "The time went on things that don't matter to me"
				},
				high: {
					nb: 'Tiden gikk til det som betyr noe for meg',
					nn: 'Tida gjekk til det som betyr noko for meg',
					en: 'The time went on what matters to me'
				}
			}
		},
		{
			key: 'approach',
			label: { nb: 'Måten vi jobber på', nn: 'Måten vi arbeider på', en: 'The way we work' },
			anchors: {
				low: {
					nb: 'Måten vi jobber på gir ikke mening for meg',
					nn: 'Måten vi arbeider på gir ikkje meining for meg',
					en: "The way we work doesn't make sense to me"
				},
				high: {
					nb: 'Måten vi jobber på gir mening for meg',
					nn: 'Måten vi arbeider på gir meining for meg',
					en: 'The way we work makes sense to me'
				}
			}
		},
		{
			key: 'overall',
			label: { nb: 'Timen som helhet', nn: 'Timen som heilskap', en: 'The session as a whole' },
			anchors: TAKE_AWAY_ANCHORS
		}
	],
	...VAS_RANGES,
	ageBands: [ALLIANCE_BAND_FROM_13],
	licence: STEMME_LICENCE
} satisfies InstrumentDefinition;
