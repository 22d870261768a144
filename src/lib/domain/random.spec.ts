import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random';

describe('mulberry32', () => {
	it('gives the same sequence for the same seed', () => {
		const a = mulberry32(7);
		const b = mulberry32(7);
		const first = [a(), a(), a()];
		expect([b(), b(), b()]).toEqual(first);
	});

	it('gives different sequences for different seeds', () => {
		expect(mulberry32(1)()).not.toBe(mulberry32(2)());
	});

	it('stays in [0, 1) and spreads evenly (mean of 10,000 draws within 0.01 of 0.5)', () => {
		const rand = mulberry32(123);
		let sum = 0;
		for (let i = 0; i < 10_000; i++) {
			const x = rand();
			expect(x >= 0 && x < 1).toBe(true);
			sum += x;
		}
		// Uniform(0,1): mean 0.5, sd of the mean 0.2887/√10000 ≈ 0.0029, so 0.01 is > 3 sd.
		expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.01);
	});
});
