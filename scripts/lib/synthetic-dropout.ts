import { BUILT_IN_TOTAL_MAX, BUILT_IN_TOTAL_MIN, OUTCOME_CUTOFF_ADULT, OUTCOME_RELIABLE_CHANGE, TENTHS_PER_POINT } from '../../src/lib/domain/clinical-constants';
import type { Episode } from '../../src/lib/domain/episode';
import { gaussian } from './gaussian';
import type { Rating, SessionEntry } from '../../src/lib/domain/history';
import { mulberry32 } from '../../src/lib/domain/random';

/**
 * Closed episodes from a known mixed model (docs/clinical/change.md): each episode has its own
 * intercept and slope on ln(session) around the true population line, plus rating noise, and
 * ends by one of two drop-out patterns —
 * - `at-random`: the number of sessions is drawn uniformly, whatever the scores;
 * - `when-improved`: the episode stops at the first session whose score is reliably above the
 *   intake (at least `rci` points), or at `maxSessions` — the common pattern that leaves only
 *   the slow improvers at late sessions.
 * For the bench and the tests of the fit: the truth is known, so each method's error can be read.
 * Same options → same episodes.
 */
export interface DropoutOptions {
	episodes: number;
	seed: number;
	coefficients: { g00: number; g01: number; g10: number; g11: number };
	/** SDs of the episode's own intercept and slope (on ln session), points. */
	interceptSd: number;
	slopeSd: number;
	noiseSd: number;
	intake: { min: number; max: number };
	maxSessions: number;
	pattern: 'at-random' | 'when-improved';
	/** Reliable improvement that ends a `when-improved` episode (default OUTCOME_RELIABLE_CHANGE). */
	rci?: number;
}

const DAY_MS = 86_400_000;
const START = Date.parse('2024-01-01');

/** The true population mean at `session` for `intake`. */
export function trueExpected(c: DropoutOptions['coefficients'], intake: number, session: number): number {
	return c.g00 + c.g01 * intake + (c.g10 + c.g11 * intake) * Math.log(session);
}

/** @example dropoutEpisodes({ episodes: 2000, seed: 7, …, pattern: 'when-improved' }).length // 2000 */
export function dropoutEpisodes(options: DropoutOptions): Episode[] {
	const random = mulberry32(options.seed);
	const rci = options.rci ?? OUTCOME_RELIABLE_CHANGE;
	const tidy = (score: number): number => Math.round(Math.min(Math.max(score, BUILT_IN_TOTAL_MIN), BUILT_IN_TOTAL_MAX) * TENTHS_PER_POINT) / TENTHS_PER_POINT;
	const rating = (total: number): Rating => ({ instrumentId: 'stemme-outcome-adult', instrumentVersion: 1, total, items: {} });
	const out: Episode[] = [];
	for (let e = 0; e < options.episodes; e++) {
		const intake = tidy(options.intake.min + random() * (options.intake.max - options.intake.min));
		const b0 = options.interceptSd * gaussian(random);
		const b1 = options.slopeSd * gaussian(random);
		const planned = options.pattern === 'at-random' ? 2 + Math.floor(random() * (options.maxSessions - 1)) : options.maxSessions;
		const history: SessionEntry[] = [];
		for (let t = 1; t <= planned; t++) {
			const mean = trueExpected(options.coefficients, intake, t) + b0 + b1 * Math.log(t);
			const score = t === 1 ? intake : tidy(mean + options.noiseSd * gaussian(random));
			history.push({
				session: t,
				date: new Date(START + (e % 365) * DAY_MS + (t - 1) * 7 * DAY_MS).toISOString().slice(0, 10),
				attendance: 'attended',
				outcome: rating(score),
				alliance: null
			});
			if (options.pattern === 'when-improved' && t > 1 && score - intake >= rci) break;
		}
		out.push({ id: `dropout-${e}`, history, ending: 'planned_completion', thresholds: { cutoff: OUTCOME_CUTOFF_ADULT, rci } });
	}
	return out;
}
