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
 * log|V_i| = n_i log σ² + log|D| − log|C_i| (Woodbury), and EM never lets it fall. The EM steps are
 * accelerated by SQUAREM (Varadhan & Roland 2008), which keeps that guarantee (see below).
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

	// Start: half the OLS residual variance within episodes, half between (intercepts), a small slope variance.
	let sse = 0;
	for (let i = 0; i < m; i++) sse += residualSquares(stats, i * S, ols, 0, 0);
	const sigma2 = Math.max(sse / n / 2, MIN_VARIANCE);
	const start: Theta = [ols[0]!, ols[1]!, ols[2]!, ols[3]!, sigma2, sigma2, 0, Math.max(sigma2 / 10, MIN_VARIANCE)];
	const tolerance = options.tolerance ?? DEFAULT_RELATIVE_TOLERANCE * n;
	const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
	const em = emMap(stats, xtx, m, n);

	// SQUAREM (Varadhan & Roland 2008, scheme S3): two EM steps θ1 = F(θ0), θ2 = F(θ1) give
	// r = θ1 − θ0 and v = θ2 − 2θ1 + θ0; the extrapolated point θ0 − 2αr + α²v (α = −‖r‖/‖v‖,
	// at most −1, where it is θ2) is kept inside the parameter space and then given one more EM step.
	// Plain EM crawls when a variance component is near zero (hundreds of steps); this takes a few
	// dozen. The log-likelihood still never falls: an extrapolation that would lower it below
	// θ1's is dropped for θ2. Every EM step counts as an iteration.
	let iterations = 0;
	let best: { theta: Theta; logLik: number } = { theta: start, logLik: Number.NEGATIVE_INFINITY };
	let converged = false;
	let theta0 = start;
	let previous = Number.NEGATIVE_INFINITY;
	/**
	 * One EM step from θ: its log-likelihood and the next θ; 'stop' when out of iterations or, where
	 * `judge` (a plain EM step from the cycle's start), when it gained less than the tolerance;
	 * null when the fixed part cannot be solved.
	 */
	const step = (theta: Theta, judge: boolean): { next: Theta; logLik: number } | 'stop' | null => {
		if (iterations >= maxIterations) return 'stop';
		iterations++;
		const result = em(theta);
		if (result === null) return null;
		if (result.logLik > best.logLik) best = { theta, logLik: result.logLik };
		const gain = result.logLik - previous;
		previous = Math.max(previous, result.logLik);
		if (judge && gain < tolerance) {
			converged = true;
			return 'stop';
		}
		return result;
	};
	for (;;) {
		const s1 = step(theta0, false);
		if (s1 === null) return null;
		if (s1 === 'stop') break;
		const s2 = step(s1.next, true);
		if (s2 === null) return null;
		if (s2 === 'stop') break;
		const theta1 = s1.next,
			theta2 = s2.next;
		let rr = 0,
			vv = 0;
		for (let k = 0; k < PARAMETERS; k++) {
			const r = theta1[k]! - theta0[k]!;
			const v = theta2[k]! - 2 * theta1[k]! + theta0[k]!;
			rr += r * r;
			vv += v * v;
		}
		const alpha = vv === 0 ? -1 : Math.min(-1, -Math.sqrt(rr / vv));
		const extrapolated = inside(theta0.map((t0, k) => t0 - 2 * alpha * (theta1[k]! - t0) + alpha * alpha * (theta2[k]! - 2 * theta1[k]! + t0)) as Theta);
		const s3 = step(extrapolated, false);
		if (s3 === null) return null;
		if (s3 === 'stop') break;
		// θ1's log-likelihood is s2's (the E-step of the second EM step was at θ1).
		theta0 = s3.logLik >= s2.logLik ? s3.next : theta2;
	}

	const [g00, g01, g10, g11, sigma2Fit, d00, d01, d11] = best.theta;
	return {
		coefficients: { g00, g01, g10, g11 },
		randomEffects: { intercept: d00, covariance: d01, slope: d11 },
		sigma2: sigma2Fit,
		logLikelihood: best.logLik,
		iterations,
		converged
	};
}

/** The parameters as one vector: g00, g01, g10, g11, σ², D's intercept variance, covariance, slope variance. */
type Theta = [number, number, number, number, number, number, number, number];
const PARAMETERS = 8;

/** θ moved into the parameter space: variances at least MIN_VARIANCE, D positive definite (|correlation| < 1). */
function inside(theta: Theta): Theta {
	const out = theta.slice() as Theta;
	out[4] = Math.max(out[4], MIN_VARIANCE);
	out[5] = Math.max(out[5], MIN_VARIANCE);
	out[7] = Math.max(out[7], MIN_VARIANCE);
	const limit = Math.sqrt(out[5] * out[7]) * (1 - 1e-9);
	out[6] = Math.max(-limit, Math.min(limit, out[6]));
	return out;
}

/**
 * The EM map of the episodes' packed sufficient statistics: from θ, the log-likelihood at θ
 * (E-step) and the next θ (M-step), or null when the fixed part cannot be solved.
 */
function emMap(stats: Float64Array, xtx: Float64Array, m: number, n: number): (theta: Theta) => { next: Theta; logLik: number } | null {
	const S = 29;
	const bHat = new Float64Array(m * 2);
	const cov = new Float64Array(m * 3);
	const xtxArray = Array.from(xtx);
	return (theta) => {
		const g = theta.slice(0, 4);
		const [, , , , sigma2, d00, d01, d11] = theta;
		// E-step, with the log-likelihood at the current parameters.
		const detD = d00 * d11 - d01 * d01;
		const i00 = d11 / detD,
			i01 = -d01 / detD,
			i11 = d00 / detD;
		let logLik = -0.5 * n * Math.log(2 * Math.PI);
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

		// M-step: g from y − Z b̂, then σ² and D.
		const rhs = [0, 0, 0, 0];
		for (let i = 0; i < m; i++) {
			const o = i * S;
			const b0 = bHat[i * 2]!,
				b1 = bHat[i * 2 + 1]!;
			for (let a = 0; a < 4; a++) rhs[a]! += stats[o + 21 + a]! - stats[o + 10 + a * 2]! * b0 - stats[o + 10 + a * 2 + 1]! * b1;
		}
		const next = solveLinear(xtxArray, rhs);
		if (next === null) return null;
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
			s2 += residualSquares(stats, o, next, b0, b1) + c00 * stats[o + 18]! + 2 * c01 * stats[o + 19]! + c11 * stats[o + 20]!;
			n00 += b0 * b0 + c00;
			n01 += b0 * b1 + c01;
			n11 += b1 * b1 + c11;
		}
		return { next: inside([next[0]!, next[1]!, next[2]!, next[3]!, s2 / n, n00 / m, n01 / m, n11 / m]), logLik };
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
