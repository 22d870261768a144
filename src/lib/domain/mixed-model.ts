import { solveLinear } from './solve-linear';

/**
 * The linear mixed model of Finch, Lambert & Schaalje (2001) for expected trajectories
 * (docs/clinical/change.md, "Fitting: why a mixed model"):
 *
 *   y_ij = (g00 + g01·x_i + b0_i) + (g10 + g11·x_i + b1_i)·ln t_ij + e_ij,
 *   (b0_i, b1_i) ~ N(0, D) with D a 2×2 covariance, e_ij ~ N(0, σ²),
 *
 * x_i the episode's intake score, t the session number. Fitted by maximum likelihood with the EM
 * algorithm (Laird & Ware 1982; Laird, Lange & Stram 1987), treating each episode's random
 * intercept and slope as missing data:
 * - E-step, per episode: C_i = (D⁻¹ + Z_iᵀZ_i/σ²)⁻¹ and b̂_i = C_i Z_iᵀ(y_i − X_i g)/σ²;
 * - M-step: g = (Σ X_iᵀX_i)⁻¹ Σ X_iᵀ(y_i − Z_i b̂_i); σ² = Σ (‖y_i − X_i g − Z_i b̂_i‖² + tr(C_i Z_iᵀZ_i)) / N;
 *   D = Σ (b̂_i b̂_iᵀ + C_i) / m.
 * X_i has rows [1, x_i, ln t, x_i·ln t], Z_i rows [1, ln t]. Each episode is reduced once to its
 * sufficient statistics (XᵀX, XᵀZ, ZᵀZ, Xᵀy, Zᵀy, yᵀy), so an iteration costs O(episodes), not
 * O(ratings). The log-likelihood uses V_i⁻¹ = I/σ² − Z_i C_i Z_iᵀ/σ⁴ and
 * log|V_i| = n_i log σ² + log|D| − log|C_i| (Woodbury), and EM never lets it fall.
 */

/** One episode's ratings after the intake: its intake score and, per rating, ln(session) and the score. */
export interface MixedEpisode {
	intake: number;
	logSession: ArrayLike<number>;
	score: ArrayLike<number>;
}

export interface MixedFit {
	coefficients: { g00: number; g01: number; g10: number; g11: number };
	/** Random-effects covariance: intercept variance, covariance, slope variance (points², points²/ln-session, …). */
	randomEffects: { intercept: number; covariance: number; slope: number };
	/** Residual variance within an episode, points². */
	sigma2: number;
	logLikelihood: number;
	iterations: number;
	converged: boolean;
}

export interface MixedOptions {
	/** Stop when the log-likelihood gains less than this per iteration (default 1e-7 × N). */
	tolerance?: number;
	/** Give up after this many iterations (default 2,000); `converged` is then false. */
	maxIterations?: number;
}

/** Smallest variance allowed on D's diagonal, points²: keeps D invertible when a component vanishes. */
const MIN_VARIANCE = 1e-8;
const DEFAULT_MAX_ITERATIONS = 2_000;
const DEFAULT_RELATIVE_TOLERANCE = 1e-7;

/**
 * Maximum-likelihood fit of the random intercept and slope model above, or null when the fixed
 * part cannot be estimated (fewer than 4 ratings, or intakes and sessions that do not vary).
 * @example fitMixedModel(episodes)?.coefficients // { g00: 6.0, g01: 0.7, g10: 4.1, g11: -0.1 } (see mixed-model.spec.ts)
 */
export function fitMixedModel(episodes: readonly MixedEpisode[], options: MixedOptions = {}): MixedFit | null {
	const m = episodes.length;
	// Sufficient statistics per episode, packed: XtX (10, upper triangle), XtZ (8), ZtZ (3), Xty (4), Zty (2), yty, n.
	const S = 29;
	const stats = new Float64Array(m * S);
	const xtx = new Float64Array(16);
	const xty = new Float64Array(4);
	let n = 0;
	for (let i = 0; i < m; i++) {
		const e = episodes[i]!;
		const o = i * S;
		const x = e.intake;
		for (let j = 0; j < e.score.length; j++) {
			const l = e.logSession[j]!;
			const y = e.score[j]!;
			const row = [1, x, l, x * l];
			const z = [1, l];
			let k = 0;
			for (let a = 0; a < 4; a++) for (let b = a; b < 4; b++) stats[o + k++]! += row[a]! * row[b]!;
			for (let a = 0; a < 4; a++) for (let b = 0; b < 2; b++) stats[o + 10 + a * 2 + b]! += row[a]! * z[b]!;
			stats[o + 18]! += 1;
			stats[o + 19]! += l;
			stats[o + 20]! += l * l;
			for (let a = 0; a < 4; a++) stats[o + 21 + a]! += row[a]! * y;
			stats[o + 25]! += y;
			stats[o + 26]! += l * y;
			stats[o + 27]! += y * y;
			stats[o + 28]! += 1;
			for (let a = 0; a < 4; a++) {
				xty[a]! += row[a]! * y;
				for (let b = 0; b < 4; b++) xtx[a * 4 + b]! += row[a]! * row[b]!;
			}
		}
		n += e.score.length;
	}
	if (n < 4) return null;
	const ols = solveLinear(Array.from(xtx), Array.from(xty));
	if (ols === null) return null;

	let g = ols.slice() as number[];
	// Start: half the OLS residual variance within episodes, half between (intercepts), a small slope variance.
	let sse = 0;
	for (let i = 0; i < m; i++) sse += residualSquares(stats, i * S, g, 0, 0);
	let sigma2 = Math.max(sse / n / 2, MIN_VARIANCE);
	let d00 = sigma2,
		d01 = 0,
		d11 = Math.max(sigma2 / 10, MIN_VARIANCE);
	const tolerance = options.tolerance ?? DEFAULT_RELATIVE_TOLERANCE * n;
	const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
	const bHat = new Float64Array(m * 2);
	const cov = new Float64Array(m * 3);
	let previous = Number.NEGATIVE_INFINITY;
	let logLik = Number.NEGATIVE_INFINITY;
	let iterations = 0;
	let converged = false;

	while (iterations < maxIterations) {
		iterations++;
		// E-step, with the log-likelihood at the current parameters.
		const detD = d00 * d11 - d01 * d01;
		const i00 = d11 / detD,
			i01 = -d01 / detD,
			i11 = d00 / detD;
		logLik = -0.5 * n * Math.log(2 * Math.PI);
		for (let i = 0; i < m; i++) {
			const o = i * S;
			const a00 = i00 + stats[o + 18]! / sigma2,
				a01 = i01 + stats[o + 19]! / sigma2,
				a11 = i11 + stats[o + 20]! / sigma2;
			const detA = a00 * a11 - a01 * a01;
			const c00 = a11 / detA,
				c01 = -a01 / detA,
				c11 = a00 / detA;
			// Zᵀr with r = y − X g
			let zr0 = stats[o + 25]!,
				zr1 = stats[o + 26]!;
			for (let a = 0; a < 4; a++) {
				zr0 -= stats[o + 10 + a * 2]! * g[a]!;
				zr1 -= stats[o + 10 + a * 2 + 1]! * g[a]!;
			}
			const b0 = (c00 * zr0 + c01 * zr1) / sigma2,
				b1 = (c01 * zr0 + c11 * zr1) / sigma2;
			bHat[i * 2] = b0;
			bHat[i * 2 + 1] = b1;
			cov[i * 3] = c00;
			cov[i * 3 + 1] = c01;
			cov[i * 3 + 2] = c11;
			const rr = residualSquares(stats, o, g, 0, 0);
			const quad = rr / sigma2 - (zr0 * (c00 * zr0 + c01 * zr1) + zr1 * (c01 * zr0 + c11 * zr1)) / (sigma2 * sigma2);
			const logDetV = stats[o + 28]! * Math.log(sigma2) + Math.log(detD) + Math.log(detA);
			logLik -= 0.5 * (logDetV + quad);
		}
		if (logLik - previous < tolerance) {
			converged = true;
			break;
		}
		previous = logLik;

		// M-step: g from y − Z b̂, then σ² and D.
		const rhs = [0, 0, 0, 0];
		for (let i = 0; i < m; i++) {
			const o = i * S;
			const b0 = bHat[i * 2]!,
				b1 = bHat[i * 2 + 1]!;
			for (let a = 0; a < 4; a++) rhs[a]! += stats[o + 21 + a]! - stats[o + 10 + a * 2]! * b0 - stats[o + 10 + a * 2 + 1]! * b1;
		}
		const next = solveLinear(Array.from(xtx), rhs);
		if (next === null) return null;
		g = next as number[];
		let s2 = 0,
			n00 = 0,
			n01 = 0,
			n11 = 0;
		for (let i = 0; i < m; i++) {
			const o = i * S;
			const b0 = bHat[i * 2]!,
				b1 = bHat[i * 2 + 1]!;
			const c00 = cov[i * 3]!,
				c01 = cov[i * 3 + 1]!,
				c11 = cov[i * 3 + 2]!;
			s2 += residualSquares(stats, o, g, b0, b1) + c00 * stats[o + 18]! + 2 * c01 * stats[o + 19]! + c11 * stats[o + 20]!;
			n00 += b0 * b0 + c00;
			n01 += b0 * b1 + c01;
			n11 += b1 * b1 + c11;
		}
		sigma2 = Math.max(s2 / n, MIN_VARIANCE);
		d00 = Math.max(n00 / m, MIN_VARIANCE);
		d11 = Math.max(n11 / m, MIN_VARIANCE);
		// Keep D positive definite: |correlation| below 1.
		const limit = Math.sqrt(d00 * d11) * (1 - 1e-9);
		d01 = Math.max(-limit, Math.min(limit, n01 / m));
	}

	const [g00, g01, g10, g11] = g as [number, number, number, number];
	return {
		coefficients: { g00, g01, g10, g11 },
		randomEffects: { intercept: d00, covariance: d01, slope: d11 },
		sigma2,
		logLikelihood: logLik,
		iterations,
		converged
	};
}

/** ‖y − X g − Z b‖² of one episode from its packed sufficient statistics. */
function residualSquares(stats: Float64Array, o: number, g: readonly number[], b0: number, b1: number): number {
	// yᵀy − 2 gᵀXᵀy − 2 bᵀZᵀy + gᵀXᵀXg + 2 gᵀXᵀZb + bᵀZᵀZb
	let total = stats[o + 27]!;
	let k = 0;
	for (let a = 0; a < 4; a++) {
		total -= 2 * g[a]! * stats[o + 21 + a]!;
		for (let b = a; b < 4; b++) {
			const v = stats[o + k++]!;
			total += (a === b ? 1 : 2) * g[a]! * g[b]! * v;
		}
		total += 2 * g[a]! * (stats[o + 10 + a * 2]! * b0 + stats[o + 10 + a * 2 + 1]! * b1);
	}
	total -= 2 * (b0 * stats[o + 25]! + b1 * stats[o + 26]!);
	total += b0 * b0 * stats[o + 18]! + 2 * b0 * b1 * stats[o + 19]! + b1 * b1 * stats[o + 20]!;
	return total;
}
