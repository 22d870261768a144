import { ALLIANCE_CUTOFF, ALLIANCE_DROP, BUILT_IN_TOTAL_MAX, BUILT_IN_TOTAL_MIN, ITEM_MAX, ITEM_MIN, ITEM_STEP, YOUTH_MIN_AGE } from '../clinical-constants';
import type { Localized } from '../localized';

/** Shown beside every threshold of a built-in instrument (provisional in the definition
 *  and in the interface). */
export const PROVISIONAL_NOTE: Localized = {
	nb: 'Foreløpig – lånt fra ORS/SRS-litteraturen; valider lokalt.',
	nn: 'Førebels – lånt frå ORS/SRS-litteraturen; valider lokalt.',
	en: 'Provisional – borrowed from the ORS/SRS literature; validate locally.'
};

/** Licence note of Stemme's own open instruments. */
export const STEMME_LICENCE = {
	holder: 'Stemme',
	note: {
		nb: 'Stemmes egen, åpne tekst. Fri til bruk og oversettelse sammen med Stemme.',
		nn: 'Stemme sin eigen, opne tekst. Fri til bruk og omsetjing saman med Stemme.',
		en: "Stemme's own open wording. Free to use and translate together with Stemme."
	}
} as const;

/**
 * Where the thresholds come from, in the reader's language (`thresholds.source`): the short
 * citation, with the full references in docs/clinical/measures.md. A file name or a rule id never
 * reaches the page.
 */
export const SOURCES = {
	outcomeAdult: {
		nb: 'Miller mfl. 2003, J Brief Therapy 2(2); pålitelig endring er 5 poeng, som vanlig for ORS',
		nn: 'Miller mfl. 2003, J Brief Therapy 2(2); påliteleg endring er 5 poeng, som vanleg for ORS',
		en: 'Miller et al. 2003, J Brief Therapy 2(2); reliable change is 5 points, the ORS convention'
	},
	outcomeYouth: {
		nb: 'Sekundærkilder for ORS, 13–17 år; pålitelig endring er 5 poeng',
		nn: 'Sekundærkjelder for ORS, 13–17 år; påliteleg endring er 5 poeng',
		en: 'Secondary sources for the ORS, age 13–17; reliable change is 5 points'
	},
	outcomeChild: {
		nb: 'Duncan mfl. 2006, J Brief Therapy 5(2); pålitelig endring er 5 poeng, som vanlig for ORS',
		nn: 'Duncan mfl. 2006, J Brief Therapy 5(2); påliteleg endring er 5 poeng, som vanleg for ORS',
		en: 'Duncan et al. 2006, J Brief Therapy 5(2); reliable change is 5 points, the ORS convention'
	},
	reliableChange: {
		nb: '5 poeng, som vanlig for ORS (Miller mfl. 2003)',
		nn: '5 poeng, som vanleg for ORS (Miller mfl. 2003)',
		en: 'The ORS convention of 5 points (Miller et al. 2003)'
	},
	alliance: {
		nb: 'OpenFITs beskrivelse av SRS: grense 36, varsel ved fall på 1 poeng',
		nn: 'OpenFIT si skildring av SRS: grense 36, varsel ved fall på 1 poeng',
		en: 'OpenFIT documentation of the SRS: cutoff 36, alert on a drop of 1 point'
	},
	allianceChild: {
		nb: 'Lånt fra voksne (OpenFITs beskrivelse av SRS: grense 36, fall på 1); ingen egen verdi for barn er publisert',
		nn: 'Lånt frå vaksne (OpenFIT si skildring av SRS: grense 36, fall på 1); ingen eigen verdi for born er publisert',
		en: 'Borrowed from the adult alliance literature (OpenFIT documentation of the SRS: cutoff 36, drop 1); no child value published'
	}
} as const satisfies Record<string, Localized>;

/** Anchors shared by the outcome lines. */
export const OUTCOME_ANCHORS = {
	low: { nb: 'Svært dårlig', nn: 'Svært dårleg', en: 'Very poorly' },
	high: { nb: 'Svært bra', nn: 'Svært bra', en: 'Very well' }
} as const;

/** The time frame of an outcome rating (docs/clinical/measures.md: the last week, including today). */
export const OUTCOME_TIME_FRAME: Localized = {
	nb: 'Den siste uka, i dag medregnet',
	nn: 'Den siste veka, i dag medrekna',
	en: 'The past week, today included'
};

/** The time frame of an alliance rating (docs/clinical/measures.md: this session). */
export const SESSION_TIME_FRAME: Localized = {
	nb: 'Timen vi nettopp hadde',
	nn: 'Timen vi nettopp hadde',
	en: 'The session we just had'
};

/** The 0–10 line in tenths and the 0–40 total shared by all four built-ins (docs/clinical/measures.md). */
export const VAS_RANGES = {
	itemRange: { min: ITEM_MIN, max: ITEM_MAX, step: ITEM_STEP },
	totalRange: { min: BUILT_IN_TOTAL_MIN, max: BUILT_IN_TOTAL_MAX }
} as const;

/** Anchors of the alliance measures' last item ("what I take with me"). */
export const TAKE_AWAY_ANCHORS = {
	low: { nb: 'Jeg går herfra med lite', nn: 'Eg går herifrå med lite', en: 'I leave with little' },
	high: {
		nb: 'Jeg går herfra med noe jeg kan bruke',
		nn: 'Eg går herifrå med noko eg kan bruke',
		en: 'I leave with something I can use'
	}
} as const;

/** The single age band of the alliance measures: 13 and older, with the SRS literature's
 *  cutoff and drop (docs/clinical/measures.md), provisional. */
export const ALLIANCE_BAND_FROM_13 = {
	key: 'from-13',
	label: { nb: '13 år og eldre', nn: '13 år og eldre', en: '13 years and older' },
	minAge: YOUTH_MIN_AGE,
	maxAge: null,
	thresholds: {
		cutoff: ALLIANCE_CUTOFF,
		drop: ALLIANCE_DROP,
		source: SOURCES.alliance,
		provisional: true,
		note: PROVISIONAL_NOTE
	}
} as const;
