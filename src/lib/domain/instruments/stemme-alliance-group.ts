import type { InstrumentDefinition } from '../instrument-schema';
import { ALLIANCE_BAND_FROM_13, STEMME_LICENCE, TAKE_AWAY_ANCHORS, VAS_RANGES } from './shared-texts';

/** Stemme's open alliance measure for group sessions, rated by each group member: "Gruppa i dag". */
export const stemmeAllianceGroup = {
	id: 'stemme-alliance-group',
	version: 1,
	kind: 'alliance',
	name: { nb: 'Gruppa i dag', nn: 'Gruppa i dag', en: "Today's group" },
	raters: ['group-member'],
	administered: 'session-end',
	timeFrame: {
		nb: 'Gruppemøtet vi nettopp hadde',
		nn: 'Gruppemøtet vi nettopp hadde',
		en: 'The group meeting we just had'
	},
	instructions: {
		nb: 'Sett et merke på hver linje. Bare gruppelederne ser svarene dine.',
		nn: 'Set eit merke på kvar linje. Berre gruppeleiarane ser svara dine.',
		en: 'Put a mark on each line. Only the group leaders see your answers.'
	},
	items: [
		{
			key: 'heard',
			label: {
				nb: 'Å bli lyttet til i gruppa',
				nn: 'Å bli lytta til i gruppa',
				en: 'Being listened to in the group'
			},
			anchors: {
				low: {
					nb: 'Verken ledere eller gruppa lyttet til meg',
					nn: 'Verken leiarar eller gruppa lytta til meg',
					en: 'Neither the leaders nor the group listened to me'
				},
				high: {
					nb: 'Ledere og gruppa lyttet til meg og tok meg på alvor',
					nn: 'Leiarar og gruppa lytta til meg og tok meg på alvor',
					en: 'The leaders and the group listened and took me seriously'
				}
			}
		},
		{
			key: 'goals',
			label: { nb: 'Det gruppa brukte tiden på', nn: 'Det gruppa brukte tida på', en: 'What the group spent the time on' },
			anchors: {
				low: {
					nb: 'Lite av tiden gikk til det som betyr noe for meg',
					nn: 'Lite av tida gjekk til det som betyr noko for meg',
					en: 'Little of the time went on what matters to me'
				},
				high: {
					nb: 'Mye av tiden gikk til det som betyr noe for meg',
					nn: 'Mykje av tida gjekk til det som betyr noko for meg',
					en: 'Much of the time went on what matters to me'
				}
			}
		},
		{
			key: 'approach',
			label: { nb: 'Måten gruppa jobber på', nn: 'Måten gruppa arbeider på', en: 'The way the group works' },
			anchors: {
				low: {
					nb: 'Måten gruppa jobber på gir ikke mening for meg',
					nn: 'Måten gruppa arbeider på gir ikkje meining for meg',
					en: "The way the group works doesn't make sense to me"
				},
				high: {
					nb: 'Måten gruppa jobber på gir mening for meg',
					nn: 'Måten gruppa arbeider på gir meining for meg',
					en: 'The way the group works makes sense to me'
				}
			}
		},
		{
			key: 'overall',
			label: { nb: 'Gruppemøtet som helhet', nn: 'Gruppemøtet som heilskap', en: 'The meeting as a whole' },
			anchors: TAKE_AWAY_ANCHORS
		}
	],
	...VAS_RANGES,
	ageBands: [ALLIANCE_BAND_FROM_13],
	licence: STEMME_LICENCE
} satisfies InstrumentDefinition;
