import { describe, expect, it } from 'vitest';
import { effectSizeInterval, proportion, Z_90 } from './proportion';

describe('proportion (Wilson interval)', () => {
	it('matches the interval worked by hand', () => {
		// p = 0.3, n = 10, z² = 3.8415: centre (0.3 + 0.19207) / 1.38415 = 0.35550;
		// half (1.96 / 1.38415) × √(0.021 + 0.0096037) = 1.41600 × 0.174939 = 0.24771 → 0.1078 … 0.6032
		const p = proportion(3, 10);
		expect(p.share).toBe(0.3);
		expect(p.low).toBeCloseTo(0.1078, 4);
		expect(p.high).toBeCloseTo(0.6032, 4);
	});

	it('stays inside 0–1 at no events and has no share without episodes', () => {
		// 0 of 5: centre = (0 + 0.38415) / 1.76830 = 0.21724 = half, so low 0 and high 0.43448
		const none = proportion(0, 5);
		expect(none.low).toBeCloseTo(0, 10);
		expect(none.high).toBeCloseTo(0.4345, 4);
		expect(proportion(0, 0)).toEqual({ n: 0, events: 0, share: null, low: null, high: null });
	});
});

describe('effect size interval', () => {
	it('uses SE = √(1/n + d²/2n) at 90 %', () => {
		// d 0.5, n 50: SE √(0.02 + 0.0025) = 0.15; 1.644854 × 0.15 = 0.24673
		const i = effectSizeInterval(0.5, 50)!;
		expect(i.low).toBeCloseTo(0.2533, 4);
		expect(i.high).toBeCloseTo(0.7467, 4);
		// d 0.8, n 20: SE √(0.05 + 0.016) = 0.25690; × 1.644854 = 0.42257
		const j = effectSizeInterval(0.8, 20, Z_90)!;
		expect(j.low).toBeCloseTo(0.3774, 4);
		expect(j.high).toBeCloseTo(1.2226, 4);
		expect(effectSizeInterval(0.8, 1)).toBeNull();
	});
});
