import { describe, expect, it } from 'vitest';
import { fitMixedModel, type MixedEpisode } from './mixed-model';
import { dropoutEpisodes, trueExpected, type DropoutOptions } from '../../../scripts/lib/synthetic-dropout';
import { fitTrajectoryModel } from './trajectory-model';
import { syntheticEpisodes } from '../../../scripts/lib/synthetic-episodes';

// The truth of the simulations (docs/clinical/change.md): at intake 18 the population line is
// 6 + 0.7·18 + (4 − 0.1·18)·ln t = 18.6 + 2.2·ln t (session 8: 18.6 + 2.2·2.079 = 23.17).
const truth = { g00: 6, g01: 0.7, g10: 4, g11: -0.1 };
const base: Omit<DropoutOptions, 'pattern'> = {
	episodes: 1500,
	seed: 11,
	coefficients: truth,
	interceptSd: 2,
	slopeSd: 1.5,
	noiseSd: 2.5,
	intake: { min: 8, max: 28 },
	maxSessions: 20
};
const asMixed = (episodes: ReturnType<typeof dropoutEpisodes>): MixedEpisode[] =>
	episodes.map((e) => {
		const later = e.history.filter((h) => h.session > 1 && h.outcome !== null);
		return { intake: e.history[0]!.outcome!.total, logSession: later.map((h) => Math.log(h.session)), score: later.map((h) => h.outcome!.total) };
	});
const line = (c: typeof truth, intake: number, t: number): number => c.g00 + c.g01 * intake + (c.g10 + c.g11 * intake) * Math.log(t);

describe('fitMixedModel (ML by EM; Finch, Lambert & Schaalje 2001)', () => {
	it('recovers the coefficients and variance components of a known model', () => {
		const fit = fitMixedModel(asMixed(dropoutEpisodes({ ...base, pattern: 'at-random' })))!;
		expect(fit.converged).toBe(true);
		// Variance components simulated: intercept 2² = 4, slope 1.5² = 2.25, noise 2.5² = 6.25
		// (noise a little larger after rounding to 0.1 and clipping to 0–40).
		expect(fit.randomEffects.intercept).toBeGreaterThan(3);
		expect(fit.randomEffects.intercept).toBeLessThan(5.5);
		expect(fit.randomEffects.slope).toBeGreaterThan(1.6);
		expect(fit.randomEffects.slope).toBeLessThan(3);
		expect(fit.sigma2).toBeGreaterThan(5.5);
		expect(fit.sigma2).toBeLessThan(7);
		for (const t of [2, 8, 20]) expect(Math.abs(line(fit.coefficients, 18, t) - trueExpected(truth, 18, t))).toBeLessThan(0.5);
	});

	it.each([
		// Drop-out at random: both methods are unbiased, within 0.5 point at every session.
		{ pattern: 'at-random' as const, olsWithin: 0.5 },
		// "Stops when improved": the patients left at late sessions are the slow ones, so OLS runs
		// low from session 8 (more than 1.3 points here), while the mixed model stays within 0.8.
		{ pattern: 'when-improved' as const, olsWithin: null }
	])('$pattern: the mixed model stays within 0.8 point of the truth from session 8 (intake 18)', ({ pattern, olsWithin }) => {
		const episodes = dropoutEpisodes({ ...base, pattern });
		const mixed = fitTrajectoryModel(episodes, { now: new Date('2026-12-01'), minEpisodes: 10, method: 'mixed' });
		const ols = fitTrajectoryModel(episodes, { now: new Date('2026-12-01'), minEpisodes: 10, method: 'ols' });
		if (!mixed.ok || !ols.ok) throw new Error('fit refused');
		expect(mixed.model.method).toBe('mixed');
		expect(ols.model.method).toBe('ols');
		for (const t of [8, 12, 16, 20]) {
			const trueLine = trueExpected(truth, 18, t);
			expect(Math.abs(line(mixed.model.coefficients, 18, t) - trueLine)).toBeLessThan(0.8);
			const olsError = line(ols.model.coefficients, 18, t) - trueLine;
			if (olsWithin !== null) expect(Math.abs(olsError)).toBeLessThan(olsWithin);
			else expect(olsError).toBeLessThan(-1.3);
		}
	});

	it('never lowers the log-likelihood: more iterations give at least as high a value', () => {
		const data = asMixed(dropoutEpisodes({ ...base, episodes: 300, pattern: 'at-random' }));
		const values = [1, 2, 5, 20, 200].map((maxIterations) => fitMixedModel(data, { maxIterations, tolerance: 0 })!.logLikelihood);
		for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]! - 1e-6);
	});

	it('reaches the maximum in few steps when the random effects vanish (where plain EM takes hundreds)', () => {
		// No spread between episodes: D's variances go to zero, where plain EM crawls (557 steps on
		// the bench's 20,000 episodes). SQUAREM stops in under 100, at the maximum a fit with a
		// thousand times tighter tolerance finds.
		const data = asMixed(syntheticEpisodes({ episodes: 3000, seed: 3, coefficients: truth, noiseSd: 2, intake: { min: 8, max: 30 }, sessions: { min: 2, max: 20 } }));
		const fit = fitMixedModel(data)!;
		const tight = fitMixedModel(data, { tolerance: 1e-10 * 40_000, maxIterations: 20_000 })!;
		expect(fit.converged).toBe(true);
		expect(fit.iterations).toBeLessThan(100);
		expect(tight.logLikelihood - fit.logLikelihood).toBeGreaterThanOrEqual(-1e-6);
		expect(tight.logLikelihood - fit.logLikelihood).toBeLessThan(1);
		for (const t of [2, 8, 20]) expect(Math.abs(line(fit.coefficients, 18, t) - line(tight.coefficients, 18, t))).toBeLessThan(0.01);
	});

	it('refuses data that cannot identify the fixed part', () => {
		// Three ratings: fewer than the four coefficients.
		expect(fitMixedModel([{ intake: 20, logSession: [Math.log(2), Math.log(3), Math.log(4)], score: [21, 22, 23] }])).toBeNull();
		// Every intake the same: g00 and g01 cannot be told apart.
		const same = Array.from({ length: 10 }, () => ({ intake: 20, logSession: [Math.log(2), Math.log(3)], score: [21, 22] }));
		expect(fitMixedModel(same)).toBeNull();
	});

	it('gives the OLS line when every episode is one rating (no within-episode information)', () => {
		// One rating per episode: the random effects cannot be told from the noise, and the fixed
		// part is the least-squares line. Scores exactly 10 + 0.5·intake + 2·ln t (no noise).
		const data: MixedEpisode[] = [];
		for (let i = 0; i < 40; i++) {
			const intake = 10 + (i % 10);
			const t = 2 + (i % 7);
			data.push({ intake, logSession: [Math.log(t)], score: [10 + 0.5 * intake + 2 * Math.log(t) + ((i % 3) - 1) * 0.1] });
		}
		const fit = fitMixedModel(data)!;
		expect(fit.coefficients.g01).toBeCloseTo(0.5, 1);
		expect(fit.coefficients.g10).toBeCloseTo(2, 0);
	});
});
