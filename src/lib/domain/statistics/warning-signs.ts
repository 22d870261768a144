import { proportion, type Proportion } from './proportion';

/** A flag counts as acted on when someone acknowledged it or agreed an action within this many days of it being raised. */
export const ACTED_WITHIN_DAYS = 7;

/** What the team did about a flag: seen or acted on in time, later, or never. */
export type FlagResponse = 'in-time' | 'late' | 'unseen';

/**
 * The response to a flag from when it was raised and when it was first seen or acted on (epoch
 * ms; null when never).
 * @example flagResponse(0, 3 * 86_400_000) // 'in-time'
 */
export function flagResponse(raisedAt: number, firstResponseAt: number | null, withinDays: number = ACTED_WITHIN_DAYS): FlagResponse {
	if (firstResponseAt === null) return 'unseen';
	return firstResponseAt - raisedAt <= withinDays * 86_400_000 ? 'in-time' : 'late';
}

/** A closed episode as the warning-sign table sees it. */
export interface SignedEpisode {
	dropout: boolean;
	/** The flag rules and checklist factors the episode had at some point (a key each). */
	signs: readonly string[];
	/** Per flag rule, the response to the episode's first flag of that rule. */
	responses: Readonly<Record<string, FlagResponse>>;
}

export interface SignRow {
	sign: string;
	/** Drop-out among closed episodes that had the sign, and among those that did not. */
	had: Proportion;
	hadNot: Proportion;
	/** For a flag rule: drop-out where its first flag was acted on in time, and where it was never seen. */
	inTime: Proportion | null;
	unseen: Proportion | null;
}

/**
 * For each sign, the drop-out share of closed episodes that had it against those that did not,
 * and for flags, acted on in time against left unseen — association in this service's data, not
 * an effect (docs/clinical/dropout-and-milestones.md: "What happened to flags is itself reportable").
 * @example signTable(episodes, ['alliance-low']) // [{ sign: 'alliance-low', had: { n: 4, events: 3, … }, hadNot: …, … }]
 */
export function signTable(episodes: readonly SignedEpisode[], signs: readonly string[]): SignRow[] {
	return signs.map((sign) => {
		const had = { n: 0, events: 0 };
		const hadNot = { n: 0, events: 0 };
		const inTime = { n: 0, events: 0 };
		const unseen = { n: 0, events: 0 };
		let flagged = false;
		for (const e of episodes) {
			const bucket = e.signs.includes(sign) ? had : hadNot;
			bucket.n++;
			if (e.dropout) bucket.events++;
			const response = e.responses[sign];
			if (response === undefined) continue;
			flagged = true;
			const r = response === 'in-time' ? inTime : response === 'unseen' ? unseen : null;
			if (r === null) continue;
			r.n++;
			if (e.dropout) r.events++;
		}
		return {
			sign,
			had: proportion(had.events, had.n),
			hadNot: proportion(hadNot.events, hadNot.n),
			inTime: flagged ? proportion(inTime.events, inTime.n) : null,
			unseen: flagged ? proportion(unseen.events, unseen.n) : null
		};
	});
}
