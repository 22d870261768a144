import { describe, expect, it } from 'vitest';
import { bothOrNeither, cell, MIN_CELL, shareCells, shownAtRisk, shownShare, suppressRow, type Cell } from './small-cells';

/** What someone can work out of a row with its total: the sum of the hidden counts (total minus the shown ones). */
const derivedHidden = (counts: number[], cells: Cell[]): number => counts.reduce((t, n) => t + n, 0) - cells.reduce((t, c) => t + (c.suppressed ? 0 : c.n), 0);

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

	it('never lets the total minus the shown counts be a small cell', () => {
		// Two hidden, 0 and 3: 55 − 40 − 12 = 3, both of them at once, so the 12 goes too (3 + 12 = 15).
		const cells = suppressRow([40, 0, 3, 12]);
		expect(cells.map((c) => c.suppressed)).toEqual([false, true, true, true]);
		expect(derivedHidden([40, 0, 3, 12], cells)).toBe(15);
		// Exhaustively over small rows: what can be worked out is zero or at least five.
		for (let a = 0; a < 9; a++)
			for (let b = 0; b < 9; b++)
				for (let c = 0; c < 9; c++) {
					const row = [a, b, c, 20];
					const derived = derivedHidden(row, suppressRow(row));
					expect([row, derived === 0 || derived >= MIN_CELL]).toEqual([row, true]);
				}
	});

	it('hides a share when the rest of its total would be a small cell', () => {
		// 5 of 8: 8 − 5 = 3 would be the small cell; count and share hidden, the total still shown
		expect(shareCells(5, 8)).toEqual({ count: { suppressed: true }, of: { suppressed: false, n: 8 }, share: null });
		// 3 of 20: hidden (the rest, 17, alone reveals the 3), share hidden
		expect(shareCells(3, 20)).toEqual({ count: { suppressed: true }, of: { suppressed: false, n: 20 }, share: null });
		// all 41 of 41: the rest is none, which reveals no one
		expect(shareCells(41, 41)).toEqual({ count: { suppressed: false, n: 41 }, of: { suppressed: false, n: 41 }, share: 1 });
		expect(shareCells(6, 24).share).toBe(0.25);
	});

	it('hides both halves of a split when either is hidden', () => {
		type Cell = { suppressed: false; n: number } | { suppressed: true };
		const shown: Cell = { suppressed: false, n: 30 };
		expect(bothOrNeither<Cell>(shown, { suppressed: true })).toEqual([{ suppressed: true }, { suppressed: true }]);
		expect(bothOrNeither(shown, shown)).toEqual([shown, shown]);
	});

	it('shows the weeks at risk only where at least five left since the week shown before', () => {
		// 30 → 28 (2 left: skipped) → 24 (6 since 30: shown) → 24 → 4 (under five: the table ends)
		const steps = [30, 28, 24, 24, 4].map((atRisk, week) => ({ week, atRisk }));
		expect(shownAtRisk(steps).map((s) => [s.week, s.atRisk])).toEqual([
			[0, 30],
			[2, 24],
			[3, 24]
		]);
	});
});
