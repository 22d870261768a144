import { describe, expect, it } from 'vitest';
import { cell, MIN_CELL, shownShare, suppressRow } from './small-cells';

describe('small cells', () => {
	it('suppresses counts under five, zero included, and shows five and more', () => {
		expect(MIN_CELL).toBe(5);
		expect([0, 1, 4, 5, 17].map((n) => cell(n))).toEqual([{ suppressed: true }, { suppressed: true }, { suppressed: true }, { suppressed: false, n: 5 }, { suppressed: false, n: 17 }]);
		expect(cell(9, 10)).toEqual({ suppressed: true });
	});

	it('suppresses a second cell when one alone would be given away by the total', () => {
		// 40 + 3 + 12 + 9 = 64 shown as total: 3 alone hidden would be 64 − 40 − 12 − 9, so 9 goes too.
		expect(suppressRow([40, 3, 12, 9])).toEqual([{ suppressed: false, n: 40 }, { suppressed: true }, { suppressed: false, n: 12 }, { suppressed: true }]);
		// Two already hidden: nothing more to hide.
		expect(suppressRow([40, 3, 2, 9]).map((c) => c.suppressed)).toEqual([false, true, true, false]);
		expect(suppressRow([40, 30]).map((c) => c.suppressed)).toEqual([false, false]);
		// A lone hidden zero: 52 − 40 − 12 = 0 tells of no patient, so nothing more is hidden.
		expect(suppressRow([40, 0, 12]).map((c) => c.suppressed)).toEqual([false, true, false]);
	});

	it('gives a share only when both counts may be shown', () => {
		expect(shownShare(cell(6), cell(24))).toBe(0.25);
		expect(shownShare(cell(3), cell(24))).toBeNull();
		expect(shownShare(cell(6), cell(4))).toBeNull();
	});
});
