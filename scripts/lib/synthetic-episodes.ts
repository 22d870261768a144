import { ALLIANCE_CUTOFF, BUILT_IN_TOTAL_MAX, BUILT_IN_TOTAL_MIN, OUTCOME_CUTOFF_ADULT, OUTCOME_RELIABLE_CHANGE, TENTHS_PER_POINT } from '../../src/lib/domain/clinical-constants';
import type { Episode } from '../../src/lib/domain/episode';
import { gaussian } from './gaussian';
import type { EpisodeEnding, Rating, SessionEntry } from '../../src/lib/domain/history';
import { mulberry32 } from '../../src/lib/domain/random';

export interface SyntheticOptions {
	episodes: number;
	seed: number;
	/** True coefficients of score_t = (g00 + g01·intake) + (g10 + g11·intake)·ln t. */
	coefficients: { g00: number; g01: number; g10: number; g11: number };
	/** SD of the normal noise added to every later rating, points. */
	noiseSd: number;
	intake: { min: number; max: number };
	sessions: { min: number; max: number };
	/** Round to 0.1 and keep within 0–40, as real ratings are (default true). */
	realistic?: boolean;
	/** Share of episodes ending in drop-out (default 0.2). */
	dropOutShare?: number;
	thresholds?: { cutoff: number; rci: number };
}

const DAY_MS = 86_400_000;
const START = Date.parse('2024-01-01');
/** Synthetic alliances are drawn uniformly from the cutoff to this many points above it: all fine. */
const ALLIANCE_SPREAD = 2;

/**
 * Closed episodes generated exactly from known trajectory coefficients plus seeded normal noise,
 * for testing the fit and for the benchmarks (not part of the app). The intake is drawn uniformly and is
 * itself the session-1 rating. Same options → same episodes.
 * @example syntheticEpisodes({ episodes: 100, seed: 1, coefficients: { g00: 4, g01: 0.8, g10: 3, g11: -0.05 }, noiseSd: 2, intake: { min: 8, max: 30 }, sessions: { min: 2, max: 12 } })
 */
export function syntheticEpisodes(options: SyntheticOptions): Episode[] {
	const random = mulberry32(options.seed);
	const { g00, g01, g10, g11 } = options.coefficients;
	const realistic = options.realistic ?? true;
	const tidy = (score: number): number => (realistic ? Math.round(Math.min(Math.max(score, BUILT_IN_TOTAL_MIN), BUILT_IN_TOTAL_MAX) * TENTHS_PER_POINT) / TENTHS_PER_POINT : score);
	const rating = (total: number, id: string): Rating => ({ instrumentId: id, instrumentVersion: 1, total, items: {} });
	const episodes: Episode[] = [];
	for (let e = 0; e < options.episodes; e++) {
		const intake = tidy(options.intake.min + random() * (options.intake.max - options.intake.min));
		const count = options.sessions.min + Math.floor(random() * (options.sessions.max - options.sessions.min + 1));
		const history: SessionEntry[] = [];
		for (let t = 1; t <= count; t++) {
			const mean = g00 + g01 * intake + (g10 + g11 * intake) * Math.log(t);
			const score = t === 1 ? intake : tidy(mean + options.noiseSd * gaussian(random));
			history.push({
				session: t,
				date: new Date(START + (e % 365) * DAY_MS + (t - 1) * 7 * DAY_MS).toISOString().slice(0, 10),
				attendance: 'attended',
				outcome: rating(score, 'stemme-outcome-adult'),
				alliance: rating(tidy(ALLIANCE_CUTOFF + ALLIANCE_SPREAD * random()), 'stemme-alliance-adult')
			});
		}
		const ending: EpisodeEnding = random() < (options.dropOutShare ?? 0.2) ? 'dropout' : 'planned_completion';
		episodes.push({ id: `synthetic-${e}`, history, ending, thresholds: options.thresholds ?? { cutoff: OUTCOME_CUTOFF_ADULT, rci: OUTCOME_RELIABLE_CHANGE } });
	}
	return episodes;
}
