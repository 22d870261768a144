import { describe, expect, it } from 'vitest';
import { classifyChange, localCutoff, reliableChangeIndex, reliableDirection, scoreChange } from './change';

describe('reliableChangeIndex = 1.96 × √2 × sd × √(1 − r) (Jacobson & Truax 1991)', () => {
	it.each([
		// 1.96 × 1.414214 × 10 × √0.2 (0.447214) = 12.3961
		{ sd: 10, r: 0.8, expected: 12.3961 },
		// r = 0.75: √0.25 = 0.5 → 1.96 × 1.414214 × 4 × 0.5 = 5.5437
		{ sd: 4, r: 0.75, expected: 5.5437 },
		// r = 0: 1.96 × 1.414214 × 1 = 2.7719
		{ sd: 1, r: 0, expected: 2.7719 },
		// the ORS 5 points: sd × √(1 − r) = 5 / 2.7719 = 1.8038; sd 7.2152 with r = 0.9375 (√0.0625 = 0.25) → 5.0000
		{ sd: 7.2152, r: 0.9375, expected: 5.0 }
	])('sd $sd, r $r → $expected', ({ sd, r, expected }) => {
		expect(reliableChangeIndex(sd, r)).toBeCloseTo(expected, 3);
	});

	it.each([
		{ sd: 0, r: 0.5 },
		{ sd: -1, r: 0.5 },
		{ sd: Number.NaN, r: 0.5 },
		{ sd: Number.POSITIVE_INFINITY, r: 0.5 },
		{ sd: 5, r: 1 },
		{ sd: 5, r: -0.1 }
	])('rejects sd $sd, r $r', ({ sd, r }) => {
		expect(() => reliableChangeIndex(sd, r)).toThrow(RangeError);
	});
});

describe('scoreChange and reliableDirection', () => {
	it('subtracts exactly on the 0.1 grid', () => {
		// 22.4 − 17.3 = 5.1 (float gives 5.099999999999998)
		expect(scoreChange(17.3, 22.4)).toBe(5.1);
	});
	it.each([
		// convention: a change EQUAL to the rci is reliable (ORS "5 points" read as ≥ 5)
		{ from: 18, to: 23, rci: 5, expected: 1 },
		{ from: 18, to: 22.9, rci: 5, expected: 0 },
		{ from: 23, to: 18, rci: 5, expected: -1 },
		{ from: 23, to: 18.1, rci: 5, expected: 0 },
		// float-sensitive: 20.3 − 15.3 is 4.999999999999998 in floats, exactly 50 tenths here
		{ from: 15.3, to: 20.3, rci: 5, expected: 1 },
		// a computed rci: 12.3961 needs 124 tenths (12.4) for a reliable change
		{ from: 10, to: 22.3, rci: reliableChangeIndex(10, 0.8), expected: 0 },
		{ from: 10, to: 22.4, rci: reliableChangeIndex(10, 0.8), expected: 1 }
	])('$from → $to with rci $rci: $expected', ({ from, to, rci, expected }) => {
		expect(reliableDirection(from, to, rci)).toBe(expected);
	});
});

describe('the reliable-change boundary for a literal RCI: change ≥ rci (the ORS "5 points or more"; an RCI from SD and r is strict, below)', () => {
	it.each([
		// exactly the rci → reliable: 23 − 18 = 5 = rci (the ORS "5 points or more")
		{ intake: 18, latest: 23, rci: 5, expected: 'improved' },
		// 0.1 less than the rci → not reliable: 22.9 − 18 = 4.9 < 5
		{ intake: 18, latest: 22.9, rci: 5, expected: 'unchanged' },
		// the same downwards: 18 − 23 = −5 → deteriorated; 18.1 − 23 = −4.9 → unchanged
		{ intake: 23, latest: 18, rci: 5, expected: 'deteriorated' },
		{ intake: 23, latest: 18.1, rci: 5, expected: 'unchanged' },
		// another literal RCI on the grid, 6.3: 16.3 − 10 = 6.3 → reliable; 16.2 − 10 = 6.2 → not
		{ intake: 10, latest: 16.3, rci: 6.3, expected: 'improved' },
		{ intake: 10, latest: 16.2, rci: 6.3, expected: 'unchanged' }
	])('$intake → $latest with rci $rci: $expected', ({ intake, latest, rci, expected }) => {
		// cutoff 40 (the top of the scale) keeps every improvement below it, so no row is 'recovered'
		expect(classifyChange({ intake, latest, cutoff: 40, rci })).toBe(expected);
	});
});

describe('classifyChange (docs/clinical/change.md; cutoff 25, rci 5 from docs/clinical/measures.md)', () => {
	it.each([
		// +7 ≥ 5 reliable, 18 < 25 and 25 ≥ 25 → recovered (a total AT the cutoff is non-clinical)
		{ intake: 18, latest: 25, expected: 'recovered' },
		// +6.9 reliable but 24.9 < 25 → improved
		{ intake: 18, latest: 24.9, expected: 'improved' },
		// +5 exactly = rci → reliable; 20 < 25 ≤ 25 → recovered
		{ intake: 20, latest: 25, expected: 'recovered' },
		// +4.9 < 5 → unchanged even though it crosses the cutoff
		{ intake: 20.1, latest: 25, expected: 'unchanged' },
		// intake already at the cutoff (25 is non-clinical): +6 reliable but not recovered → improved
		{ intake: 25, latest: 31, expected: 'improved' },
		// intake above cutoff: +5 → improved
		{ intake: 30, latest: 35, expected: 'improved' },
		// 0 change → unchanged
		{ intake: 15, latest: 15, expected: 'unchanged' },
		// −4.9 → unchanged
		{ intake: 15, latest: 10.1, expected: 'unchanged' },
		// −5 exactly → deteriorated
		{ intake: 15, latest: 10, expected: 'deteriorated' },
		// −10 crossing the cutoff downwards → deteriorated
		{ intake: 30, latest: 20, expected: 'deteriorated' }
	])('$intake → $latest: $expected', ({ intake, latest, expected }) => {
		expect(classifyChange({ intake, latest, cutoff: 25, rci: 5 })).toBe(expected);
	});
});

describe('localCutoff c = (SD_clin × M_norm + SD_norm × M_clin) / (SD_clin + SD_norm)', () => {
	it.each([
		// (7 × 28 + 6 × 19) / 13 = (196 + 114) / 13 = 23.8462
		{ clinical: { mean: 19, sd: 7 }, norm: { mean: 28, sd: 6 }, expected: 23.8462 },
		// equal SDs → midpoint: (5 × 30 + 5 × 20) / 10 = 25
		{ clinical: { mean: 20, sd: 5 }, norm: { mean: 30, sd: 5 }, expected: 25 },
		// (8 × 32 + 4 × 20) / 12 = (256 + 80) / 12 = 28
		{ clinical: { mean: 20, sd: 8 }, norm: { mean: 32, sd: 4 }, expected: 28 }
	])('$expected', ({ clinical, norm, expected }) => {
		expect(localCutoff(clinical, norm)).toBeCloseTo(expected, 4);
	});
	it.each([
		{ clinical: { mean: 20, sd: 0 }, norm: { mean: 30, sd: 5 } },
		{ clinical: { mean: 20, sd: 5 }, norm: { mean: Number.NaN, sd: 5 } },
		{ clinical: { mean: 20, sd: 5 }, norm: { mean: 30, sd: -1 } }
	])('rejects %o', ({ clinical, norm }) => {
		expect(() => localCutoff(clinical, norm)).toThrow(RangeError);
	});
});

describe('reliableDirection: strict for an RCI from SD and r, at-least for a literal RCI (docs/clinical/change.md)', () => {
	// r = 0.5, SD = 2.5: 1.96 × √2 × 2.5 × √0.5 = 1.96 × 2.5 = 4.9 exactly on the 0.1 grid.
	const onGrid = reliableChangeIndex(2.5, 0.5);
	it.each([
		{ from: 20, to: 24.9, rci: onGrid, strict: true, expected: 0 }, // 4.9 is not > 4.9
		{ from: 20, to: 25, rci: onGrid, strict: true, expected: 1 }, // 5.0 > 4.9
		{ from: 20, to: 15.1, rci: onGrid, strict: true, expected: 0 }, // −4.9
		{ from: 20, to: 15, rci: onGrid, strict: true, expected: -1 }, // −5.0
		{ from: 20, to: 24.9, rci: 4.9, strict: false, expected: 1 }, // literal 4.9: 4.9 ≥ 4.9
		{ from: 20, to: 25, rci: 5, strict: false, expected: 1 } // the ORS 5 points: 5 ≥ 5
	])('$from → $to, rci $rci, strict $strict → $expected', ({ from, to, rci, strict, expected }) => {
		expect(reliableDirection(from, to, rci, strict)).toBe(expected);
	});
	it('computes 4.9 for r = 0.5 and SD = 2.5', () => {
		expect(onGrid).toBeCloseTo(4.9, 12);
	});
	it('classifies at exactly the computed RCI as unchanged, at the literal one as improved', () => {
		// intake 20 < 25, latest 24.9 < 25 either way; +4.9: strict → unchanged, literal → improved.
		expect(classifyChange({ intake: 20, latest: 24.9, cutoff: 25, rci: onGrid, strict: true })).toBe('unchanged');
		expect(classifyChange({ intake: 20, latest: 24.9, cutoff: 25, rci: 4.9 })).toBe('improved');
	});
});
