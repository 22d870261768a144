import { describe, expect, it } from 'vitest';
import { mulberry32 } from '$lib/domain/random';
import { gaussian } from './gaussian';

describe('gaussian', () => {
	it('has mean ≈ 0 and SD ≈ 1 over 20,000 seeded draws', () => {
		const random = mulberry32(99);
		let sum = 0;
		let squares = 0;
		const n = 20_000;
		for (let i = 0; i < n; i++) {
			const x = gaussian(random);
			sum += x;
			squares += x * x;
		}
		// SE of the mean 1/√20000 = 0.007; 0.03 is > 4 SE
		expect(Math.abs(sum / n)).toBeLessThan(0.03);
		expect(Math.abs(Math.sqrt(squares / n) - 1)).toBeLessThan(0.03);
	});
});
