import { BUILT_IN_TOTAL_MAX, BUILT_IN_TOTAL_MIN, CRITICAL_PERCENTILE, DEFAULT_MAX_SESSION, DEFAULT_MIN_BAND_SIZE, TARGET_PERCENTILE } from './clinical-constants';
import { type History, intakeRating, type Rating, sameInstrument } from './history';
import { type Episode, summarizeEpisode } from './episode';
import { percentileOfSorted } from './percentile';
import { fitMixedModel, type MixedEpisode, type MixedFit } from './mixed-model';
import { solveLinear } from './solve-linear';

/** The first session a band describes: session 1 is the intake itself (see fitTrajectoryModel). */
const FIRST_BAND_SESSION = 2;

export interface FitOptions {
	/** The fit date; the domain never reads the clock. */
	now: Date;
	/** Refuse to fit on fewer usable closed episodes than this (configuration, shown in the UI). */
	minEpisodes: number;
	maxSession?: number;
	/** Percentile of the residuals of recovered or improved episodes (default 50). */
	targetPercentile?: number;
	/** Percentile of the residuals of all episodes (default 10). */
	criticalPercentile?: number;
	minBandSize?: number;
	/** Version label; default `fitted-<fit date>`. */
	version?: string;
	/** How the coefficients are estimated (docs/clinical/change.md, "Fitting: why a mixed model"):
	 *  `mixed`, the random intercept and slope model by maximum likelihood, or `ols`, ordinary
	 *  least squares on every rating (kept as a comparison). Default `ols`. */
	method?: FitMethod;
	/** The instrument's total range; expected lines never leave it (default 0–40). */
	totalRange?: { min: number; max: number };
}

export type FitMethod = 'ols' | 'mixed';

/** Residual offsets of one session band, points, added to the expected mean. */
export interface TrajectoryBand {
	session: number;
	/** Residuals in the band: all episodes, and those that ended recovered or improved. */
	ratings: number;
	successfulRatings: number;
	target: number;
	critical: number;
	/** Band whose residuals gave each offset (another session when this band was too thin);
	 *  `targetFrom` null: too few successful episodes here and near, and the nearest band's offset
	 *  would have put the target below the expected line, so the target is the expected line. */
	targetFrom: number | null;
	criticalFrom: number;
}

export interface FittedModel {
	kind: 'fitted';
	/** Which estimator drew the line (shown on the model card). */
	method: FitMethod;
	/** The mixed model's variance components and convergence; null for OLS. */
	mixed: Omit<MixedFit, 'coefficients'> | null;
	/** The instrument's total range the lines are kept in. */
	totalRange: { min: number; max: number };
	version: string;
	fittedAt: string;
	/** score_t = (g00 + g01·intake) + (g10 + g11·intake)·ln t (docs/clinical/change.md; Finch et al. 2001). */
	coefficients: { g00: number; g01: number; g10: number; g11: number };
	episodes: number;
	ratings: number;
	residualSd: number;
	percentiles: { target: number; critical: number };
	maxSession: number;
	intakeRange: { min: number; max: number };
	/** Sessions 2 … maxSession, in order; the last band also serves every later session. */
	bands: TrajectoryBand[];
}

export type FitResult = { ok: true; model: FittedModel } | { ok: false; reason: 'too-few-episodes' | 'too-few-ratings' | 'singular'; episodes: number; message: string };

/**
 * Fits the expected-trajectory model of docs/clinical/change.md by ordinary least squares on closed episodes
 * with an intake rating and at least one later rating, then sets the target and critical lines
 * from the residual percentiles per session (sessions after `maxSession` pooled into the last).
 *
 * The intake rating itself is NOT a row of the fit: at t = 1, ln t = 0 and the score is the
 * intake by definition, so those rows would only pull g00 → 0 and g01 → 1 and flatten the curve.
 * The intercept terms are therefore the curve extrapolated to t = 1, and `expectedScore` answers
 * the intake itself for session 1. The 4×4 normal equations are accumulated in one pass and
 * solved directly.
 * @example fitTrajectoryModel(closedEpisodes, { now: new Date('2025-06-01'), minEpisodes: 100 })
 * // { ok: true, model: { kind: 'fitted', coefficients: { g00: 6.1, g01: 0.62, … }, … } }
 */
export function fitTrajectoryModel(episodes: readonly Episode[], options: FitOptions): FitResult {
	const maxSession = Math.max(options.maxSession ?? DEFAULT_MAX_SESSION, FIRST_BAND_SESSION);
	const bandCount = maxSession - FIRST_BAND_SESSION + 1;
	let capacity = 0;
	for (const episode of episodes) capacity += episode.history.length;
	const rowIntake = new Float64Array(capacity);
	const rowLog = new Float64Array(capacity);
	const rowScore = new Float64Array(capacity);
	const rowBand = new Int32Array(capacity);
	const rowSuccess = new Uint8Array(capacity);
	const bandAll = new Int32Array(bandCount);
	const bandSuccess = new Int32Array(bandCount);
	let s00 = 0,
		s01 = 0,
		s02 = 0,
		s03 = 0,
		s11 = 0,
		s12 = 0,
		s13 = 0,
		s22 = 0,
		s23 = 0,
		s33 = 0;
	let b0 = 0,
		b1 = 0,
		b2 = 0,
		b3 = 0;
	let rows = 0;
	let used = 0;
	const perEpisode: MixedEpisode[] = [];
	let minIntake = Number.POSITIVE_INFINITY;
	let maxIntake = Number.NEGATIVE_INFINITY;

	for (const episode of episodes) {
		if (episode.ending === null) continue;
		const summary = summarizeEpisode(episode);
		if (!summary.usable) continue;
		used++;
		const intake = summary.intake;
		if (intake < minIntake) minIntake = intake;
		if (intake > maxIntake) maxIntake = intake;
		const success = summary.changeClass === 'recovered' || summary.changeClass === 'improved' ? 1 : 0;
		const first = rows;
		const scale = intakeRatingOf(episode);
		for (const entry of episode.history) {
			if (entry.session < FIRST_BAND_SESSION || entry.attendance !== 'attended' || entry.outcome === null) continue;
			// One scale at a time (docs/clinical/change.md): a rating on another instrument is not a row.
			if (scale !== null && !sameInstrument(scale, entry.outcome)) continue;
			const l = Math.log(entry.session);
			const il = intake * l;
			const y = entry.outcome.total;
			s00 += 1;
			s01 += intake;
			s02 += l;
			s03 += il;
			s11 += intake * intake;
			s12 += il;
			s13 += intake * il;
			s22 += l * l;
			s23 += l * il;
			s33 += il * il;
			b0 += y;
			b1 += intake * y;
			b2 += l * y;
			b3 += il * y;
			const band = Math.min(entry.session, maxSession) - FIRST_BAND_SESSION;
			rowIntake[rows] = intake;
			rowLog[rows] = l;
			rowScore[rows] = y;
			rowBand[rows] = band;
			rowSuccess[rows] = success;
			bandAll[band]! += 1;
			bandSuccess[band]! += success;
			rows++;
		}
		if (rows > first) perEpisode.push({ intake, logSession: rowLog.subarray(first, rows), score: rowScore.subarray(first, rows) });
	}

	if (used < options.minEpisodes) {
		return refuse('too-few-episodes', used, `${used} usable closed episodes; the model needs at least ${options.minEpisodes}`);
	}
	const method = options.method ?? 'ols';
	const solution = solveLinear([s00, s01, s02, s03, s01, s11, s12, s13, s02, s12, s22, s23, s03, s13, s23, s33], [b0, b1, b2, b3]);
	const mixedFit = solution === null || method === 'ols' ? null : fitMixedModel(perEpisode);
	if (solution === null || (method === 'mixed' && mixedFit === null)) {
		return refuse('singular', used, 'the ratings do not vary enough in intake score and session number to fit the model');
	}
	const { g00, g01, g10, g11 } = mixedFit?.coefficients ?? { g00: solution[0]!, g01: solution[1]!, g10: solution[2]!, g11: solution[3]! };

	const allStart = startsOf(bandAll);
	const successStart = startsOf(bandSuccess);
	const allResiduals = new Float64Array(rows);
	const successResiduals = new Float64Array(rows);
	const allFill = allStart.slice();
	const successFill = successStart.slice();
	let sse = 0;
	for (let i = 0; i < rows; i++) {
		const intake = rowIntake[i]!;
		const residual = rowScore[i]! - (g00 + g01 * intake + (g10 + g11 * intake) * rowLog[i]!);
		sse += residual * residual;
		const band = rowBand[i]!;
		allResiduals[allFill[band]!++] = residual;
		if (rowSuccess[i] === 1) successResiduals[successFill[band]!++] = residual;
	}

	const targetPercentile = options.targetPercentile ?? TARGET_PERCENTILE;
	const criticalPercentile = options.criticalPercentile ?? CRITICAL_PERCENTILE;
	const minBandSize = options.minBandSize ?? DEFAULT_MIN_BAND_SIZE;
	const target = bandPercentiles(successResiduals, successStart, bandSuccess, targetPercentile, minBandSize, true);
	const critical = bandPercentiles(allResiduals, allStart, bandAll, criticalPercentile, minBandSize);
	if (target === null || critical === null) {
		const message = `no session has ${minBandSize} residuals${target === null ? ' from recovered or improved episodes' : ''}`;
		return refuse('too-few-ratings', used, message);
	}

	const fittedAt = options.now.toISOString();
	return {
		ok: true,
		model: {
			kind: 'fitted',
			method,
			mixed:
				mixedFit === null
					? null
					: { randomEffects: mixedFit.randomEffects, sigma2: mixedFit.sigma2, logLikelihood: mixedFit.logLikelihood, iterations: mixedFit.iterations, converged: mixedFit.converged },
			totalRange: options.totalRange ?? { min: BUILT_IN_TOTAL_MIN, max: BUILT_IN_TOTAL_MAX },
			version: options.version ?? `fitted-${fittedAt}`,
			fittedAt,
			coefficients: { g00, g01, g10, g11 },
			episodes: used,
			ratings: rows,
			residualSd: rows > 4 ? Math.sqrt(sse / (rows - 4)) : 0,
			percentiles: { target: targetPercentile, critical: criticalPercentile },
			maxSession,
			intakeRange: { min: minIntake, max: maxIntake },
			bands: Array.from(bandAll, (count, b) => {
				const t = target[b]!;
				const c = critical[b]!;
				return {
					session: b + FIRST_BAND_SESSION,
					ratings: count,
					successfulRatings: bandSuccess[b]!,
					target: t.value,
					critical: c.value,
					targetFrom: t.from === null ? null : t.from + FIRST_BAND_SESSION,
					criticalFrom: (c.from ?? b) + FIRST_BAND_SESSION
				};
			})
		}
	};
}

function intakeRatingOf(episode: { history: History }): Rating | null {
	return intakeRating(episode.history);
}

function refuse(reason: 'too-few-episodes' | 'too-few-ratings' | 'singular', episodes: number, message: string): FitResult {
	return { ok: false, reason, episodes, message };
}

function startsOf(counts: Int32Array): Int32Array {
	const starts = new Int32Array(counts.length);
	for (let b = 1; b < counts.length; b++) starts[b] = starts[b - 1]! + counts[b - 1]!;
	return starts;
}

/**
 * The percentile of each band's residuals; a band with fewer than `minBandSize` borrows from the
 * nearest band that has enough (the earlier one on a tie). Null when no band has enough.
 * `notBelowZero` (the target): the target is never below the expected line
 * (docs/clinical/change.md) — an own offset below 0 is raised to 0, and a thin band does not
 * borrow an offset below 0 from a neighbour; it falls back to the expected line (`from: null`).
 */
function bandPercentiles(residuals: Float64Array, starts: Int32Array, counts: Int32Array, p: number, minBandSize: number, notBelowZero = false): { value: number; from: number | null }[] | null {
	const own: (number | null)[] = Array.from(counts, (count, b) => {
		if (count < minBandSize || count === 0) return null;
		const start = starts[b]!;
		const sorted = residuals.subarray(start, start + count).sort();
		return percentileOfSorted(sorted, p);
	});
	if (own.every((value) => value === null)) return null;
	return own.map((value, b) => {
		if (value !== null) return { value: notBelowZero ? Math.max(0, value) : value, from: b };
		for (let distance = 1; ; distance++) {
			const earlier = own[b - distance];
			const later = own[b + distance];
			const found = earlier !== undefined && earlier !== null ? { value: earlier, from: b - distance } : later !== undefined && later !== null ? { value: later, from: b + distance } : null;
			if (found === null) continue;
			if (notBelowZero && found.value < 0) return { value: 0, from: null };
			return found;
		}
	});
}
