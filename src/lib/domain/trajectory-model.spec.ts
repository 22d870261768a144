import { describe, expect, it } from 'vitest';
import type { Episode } from './episode';
import { buildHistory } from '../../../tests/support/history-builder';
import { syntheticEpisodes } from '../../../scripts/lib/synthetic-episodes';
import { fitTrajectoryModel } from './trajectory-model';

const now = new Date('2025-06-01T12:00:00Z');
// Plausible for an adult outcome measure: intake 8–30, gains flattening with ln t (Finch et al. 2001 form).
const truth = { g00: 4, g01: 0.8, g10: 3, g11: -0.05 };
const base = { seed: 20250601, coefficients: truth, intake: { min: 8, max: 30 }, sessions: { min: 2, max: 15 } };

describe('fitTrajectoryModel — recovering known coefficients', () => {
	it('recovers them to 1e-9 without noise', () => {
		const episodes = syntheticEpisodes({ ...base, episodes: 50, noiseSd: 0, realistic: false });
		const result = fitTrajectoryModel(episodes, { now, minEpisodes: 10 });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		for (const key of ['g00', 'g01', 'g10', 'g11'] as const) {
			expect(Math.abs(result.model.coefficients[key] - truth[key])).toBeLessThan(1e-9);
		}
		// no noise: every residual is 0, so every band offset is 0
		expect(result.model.bands.every((b) => Math.abs(b.target) < 1e-9 && Math.abs(b.critical) < 1e-9)).toBe(true);
	});

	it('recovers them within tolerance with seeded noise (SD 2, 4,000 episodes, rounded to 0.1, clamped 0–40)', () => {
		const episodes = syntheticEpisodes({ ...base, episodes: 4000, noiseSd: 2 });
		const result = fitTrajectoryModel(episodes, { now, minEpisodes: 100 });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const { g00, g01, g10, g11 } = result.model.coefficients;
		// Tolerances ≈ 4 standard errors for ~30,000 ratings with noise SD 2:
		// intercepts ±0.4 and ±0.02 per intake point; slopes ±0.2 and ±0.01.
		expect(Math.abs(g00 - truth.g00)).toBeLessThan(0.4);
		expect(Math.abs(g01 - truth.g01)).toBeLessThan(0.02);
		expect(Math.abs(g10 - truth.g10)).toBeLessThan(0.2);
		expect(Math.abs(g11 - truth.g11)).toBeLessThan(0.01);
		// residual SD ≈ noise SD 2
		expect(result.model.residualSd).toBeGreaterThan(1.9);
		expect(result.model.residualSd).toBeLessThan(2.1);
		// critical = 10th percentile of N(0, 2) residuals ≈ −1.2816 × 2 = −2.563
		const band5 = result.model.bands.find((b) => b.session === 5);
		expect(band5?.critical).toBeCloseTo(-2.563, 0);
		// every episode's rating at t ≥ 2 is a row: sessions 2..count per episode
		const expectedRows = episodes.reduce((sum, e) => sum + e.history.length - 1, 0);
		expect(result.model.ratings).toBe(expectedRows);
		expect(result.model.episodes).toBe(4000);
	});

	it('reports version, fit date, percentiles and the intake range', () => {
		const result = fitTrajectoryModel(syntheticEpisodes({ ...base, episodes: 200, noiseSd: 1 }), {
			now,
			minEpisodes: 50,
			maxSession: 10,
			targetPercentile: 60,
			criticalPercentile: 5,
			version: 'clinic-2025-06'
		});
		expect(result).toMatchObject({
			ok: true,
			model: { kind: 'fitted', version: 'clinic-2025-06', fittedAt: '2025-06-01T12:00:00.000Z', percentiles: { target: 60, critical: 5 }, maxSession: 10 }
		});
		if (!result.ok) return;
		// bands for sessions 2..10; ratings at 11..15 are pooled into the band of session 10
		expect(result.model.bands.map((b) => b.session)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
		const pooled = syntheticEpisodes({ ...base, episodes: 200, noiseSd: 1 }).reduce((sum, e) => sum + e.history.filter((s) => s.session >= 10).length, 0);
		expect(result.model.bands.at(-1)?.ratings).toBe(pooled);
		expect(result.model.intakeRange.min).toBeGreaterThanOrEqual(8);
		expect(result.model.intakeRange.max).toBeLessThanOrEqual(30);
		expect(fitTrajectoryModel([], { now, minEpisodes: 0, version: undefined })).toMatchObject({ ok: false });
	});

	it('defaults the version to the fit date', () => {
		const result = fitTrajectoryModel(syntheticEpisodes({ ...base, episodes: 100, noiseSd: 1 }), { now, minEpisodes: 10 });
		expect(result.ok && result.model.version).toBe('fitted-2025-06-01T12:00:00.000Z');
	});
});

describe('fitTrajectoryModel — refusals and what it leaves out', () => {
	it('refuses below the minimum number of episodes, counting only usable closed ones', () => {
		const episodes: Episode[] = [
			...syntheticEpisodes({ ...base, episodes: 5, noiseSd: 1 }),
			// open: not used
			...syntheticEpisodes({ ...base, seed: 2, episodes: 3, noiseSd: 1 }).map((e) => ({ ...e, ending: null })),
			// no intake rating / intake only: not used
			{
				history: buildHistory([
					[null, 38],
					[20, 38]
				]),
				ending: 'planned_completion',
				thresholds: { cutoff: 25, rci: 5 }
			},
			{ history: buildHistory([[20, 38]]), ending: 'dropout', thresholds: { cutoff: 25, rci: 5 } }
		];
		expect(fitTrajectoryModel(episodes, { now, minEpisodes: 6 })).toEqual({
			ok: false,
			reason: 'too-few-episodes',
			episodes: 5,
			message: '5 usable closed episodes; the model needs at least 6'
		});
	});

	it('refuses when the data cannot identify the model (all intakes equal)', () => {
		const same = (seed: number): Episode => ({
			history: buildHistory([
				[20, 38],
				[22, 38],
				[23, 38]
			]),
			ending: 'planned_completion',
			thresholds: { cutoff: 25, rci: 5 },
			id: String(seed)
		});
		expect(fitTrajectoryModel([same(1), same(2)], { now, minEpisodes: 1 })).toMatchObject({ ok: false, reason: 'singular' });
	});

	it('refuses when no band has enough residuals from successful episodes', () => {
		// no noise, tiny gains: 4 + 0.8·I + (3 − 0.05·I)·ln t stays within 5 of I → nobody improves reliably
		const flat = syntheticEpisodes({ ...base, coefficients: { g00: 0, g01: 1, g10: 0.5, g11: 0 }, episodes: 100, noiseSd: 0.5 });
		expect(fitTrajectoryModel(flat, { now, minEpisodes: 10 })).toMatchObject({ ok: false, reason: 'too-few-ratings' });
	});

	it('borrows offsets for thin bands from the nearest band with enough', () => {
		const episodes = syntheticEpisodes({ ...base, episodes: 40, noiseSd: 2, sessions: { min: 2, max: 4 } });
		const result = fitTrajectoryModel(episodes, { now, minEpisodes: 10, maxSession: 6, minBandSize: 5 });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		// sessions 5 and 6 have no ratings: their critical offset comes from session 4 (12 residuals);
		// session 4 has only 2 successful residuals (< 5), so targets come from session 3 (5)
		const [, b3, b4, b5, b6] = result.model.bands;
		expect(b4).toMatchObject({ ratings: 12, successfulRatings: 2, targetFrom: 3, target: b3?.target });
		expect(b5).toMatchObject({ ratings: 0, criticalFrom: 4, critical: b4?.critical });
		expect(b6).toMatchObject({ ratings: 0, targetFrom: 3, target: b3?.target });
	});

	it('borrows from a later band when no earlier band has enough', () => {
		const episodes = syntheticEpisodes({ ...base, episodes: 60, noiseSd: 2, sessions: { min: 4, max: 4 } });
		// every episode has sessions 2, 3, 4; make session 2 thin by dropping its rating in all but 2 episodes
		const thinned = episodes.map((e, i) => ({
			...e,
			history: e.history.map((s) => (s.session === 2 && i >= 2 ? { ...s, outcome: null } : s))
		}));
		const result = fitTrajectoryModel(thinned, { now, minEpisodes: 10, maxSession: 4, minBandSize: 5 });
		expect(result.ok && result.model.bands[0]).toMatchObject({ session: 2, ratings: 2, criticalFrom: 3 });
	});

	it('falls back to the expected line (and says so) rather than borrow a target below it', () => {
		// Session 4 has too few successful residuals of its own. Make the nearest band's target
		// offset negative by giving session 3's successful episodes low scores there: borrowing it
		// would put the target under the expected line, so the band falls back (targetFrom null).
		const episodes = syntheticEpisodes({ ...base, episodes: 40, noiseSd: 2, sessions: { min: 2, max: 4 } });
		const result = fitTrajectoryModel(episodes, { now, minEpisodes: 10, maxSession: 6, minBandSize: 5 });
		if (!result.ok) throw new Error('fit refused');
		for (const band of result.model.bands) {
			// Never below the expected line, whether own, borrowed or fallen back.
			expect(band.target).toBeGreaterThanOrEqual(0);
			if (band.targetFrom === null) expect(band.target).toBe(0);
		}
		// Lower every session-2 rating by 6 points: session 2 (5 successful residuals, just enough)
		// gets a negative own target offset, raised to 0 (the expected line); session 3 (5) has a
		// positive one of its own, which the thin sessions 4–6 (2, 0, 0) borrow, being nearer.
		const lowered = episodes.map((e) => ({
			...e,
			history: e.history.map((h) => (h.session === 2 && h.outcome !== null ? { ...h, outcome: { ...h.outcome, total: Math.max(0, h.outcome.total - 6) } } : h))
		}));
		const fallen = fitTrajectoryModel(lowered, { now, minEpisodes: 10, maxSession: 6, minBandSize: 5 });
		if (!fallen.ok) throw new Error('fit refused');
		const bands = fallen.model.bands.map((b) => [b.session, b.targetFrom, b.target]);
		expect(bands[0]).toEqual([2, 2, 0]);
		for (const b of bands.slice(1)) expect(b[1] === 3 && (b[2] as number) > 0).toBe(true);
	});
});
