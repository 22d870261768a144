import { describe, expect, it } from 'vitest';
import { formatPath } from './format-issues';
import { percentileOfSorted } from './percentile';
import { solveLinear } from './solve-linear';

describe('percentileOfSorted (type 7: h = (n − 1)·p / 100)', () => {
	it.each([
		{ values: [1, 2, 3, 4], p: 50, expected: 2.5 }, // h = 1.5 → 2 + 0.5 × 1
		{ values: [1, 2, 3, 4], p: 0, expected: 1 },
		{ values: [1, 2, 3, 4], p: 100, expected: 4 },
		{ values: [10, 20, 30, 40, 50], p: 10, expected: 14 }, // h = 0.4 → 10 + 0.4 × 10
		{ values: [7], p: 90, expected: 7 },
		{ values: [1, 3], p: 150, expected: 3 } // p clamped to 100
	])('p$p of $values → $expected', ({ values, p, expected }) => {
		expect(percentileOfSorted(values, p)).toBeCloseTo(expected, 10);
	});
	it('is NaN for no values', () => {
		expect(percentileOfSorted([], 50)).toBeNaN();
	});
});

describe('solveLinear', () => {
	it.each([
		{ a: [2, 0, 0, 4], b: [2, 8], x: [1, 2] },
		// needs a row swap: [[0, 1], [1, 0]]·x = [3, 5] → x = [5, 3]
		{ a: [0, 1, 1, 0], b: [3, 5], x: [5, 3] },
		// 3×3: x = [1, −2, 3] for [[2, 1, −1], [−3, −1, 2], [−2, 1, 2]]; b = [2 − 2 − 3, −3 + 2 + 6, −2 − 2 + 6]
		{ a: [2, 1, -1, -3, -1, 2, -2, 1, 2], b: [-3, 5, 2], x: [1, -2, 3] }
	])('$a · x = $b → $x', ({ a, b, x }) => {
		const solved = solveLinear(a, b);
		x.forEach((value, i) => expect(solved?.[i]).toBeCloseTo(value, 10));
	});
	it.each([
		{ a: [1, 2, 2, 4], b: [1, 2] },
		{ a: [0, 0, 0, 0], b: [0, 0] }
	])('is null for singular $a', ({ a, b }) => {
		expect(solveLinear(a, b)).toBeNull();
	});
});

describe('formatPath', () => {
	it.each([
		{ path: ['items', 2, 'label', 'nb'], expected: 'items[2].label.nb' },
		{ path: [], expected: '' },
		{ path: [0, 'x'], expected: '[0].x' }
	])('$expected', ({ path, expected }) => {
		expect(formatPath(path)).toBe(expected);
	});
});
