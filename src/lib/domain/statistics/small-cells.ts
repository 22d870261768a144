/**
 * Figures that never identify a patient, and the minimum numbers before figures are compared
 * (docs/clinical/statistics.md, "Minimum numbers").
 */

/** Cells with fewer episodes than this are shown as "< 5" (Stemme's own privacy rule; docs/clinical/statistics.md). */
export const MIN_CELL = 5;
/** Closed episodes with two or more ratings before a clinician is compared with others (ACORN's ACE method; docs/clinical/statistics.md). */
export const MIN_CLINICIAN_EPISODES = 15;
/** Closed episodes with two or more ratings before a team or the service is set against a benchmark (ACORN; docs/clinical/statistics.md). */
export const MIN_BENCHMARK_EPISODES = 100;

/** A count as it may be shown: the number, or only that it is below the smallest cell. */
export type Cell = { suppressed: false; n: number } | { suppressed: true };

/**
 * A count fit to show: below `minCell` it is suppressed (zero too, as the rule is written: "fewer than 5").
 * @example cell(3) // { suppressed: true }; cell(12) // { suppressed: false, n: 12 }
 */
export function cell(n: number, minCell: number = MIN_CELL): Cell {
	return n < minCell ? { suppressed: true } : { suppressed: false, n };
}

/**
 * A row of counts that add up to a shown total. The hidden ones together are the total minus the
 * others, so their sum must not be a small cell either: while it lies between 1 and `minCell` − 1
 * the smallest count still shown is hidden with them (complementary suppression). Hidden counts
 * adding up to zero are left alone: working them out reveals no one.
 * @example suppressRow([40, 3, 12, 9]) // shown: 40 and 12 (3 + 9 = 12 hidden together)
 */
export function suppressRow(counts: readonly number[], minCell: number = MIN_CELL): Cell[] {
	const cells = counts.map((n) => cell(n, minCell));
	const hiddenSum = () => counts.reduce((sum, n, i) => (cells[i]!.suppressed ? sum + n : sum), 0);
	for (let sum = hiddenSum(); sum > 0 && sum < minCell; sum = hiddenSum()) {
		let next = -1;
		counts.forEach((n, i) => {
			if (!cells[i]!.suppressed && (next === -1 || n < counts[next]!)) next = i;
		});
		if (next === -1) break;
		cells[next] = { suppressed: true };
	}
	return cells;
}

/**
 * A count out of a shown total, as a share: the count and the share are hidden when either the
 * count or the rest (total − count) is a small cell, since the shown total gives one from the
 * other. A rest of zero ("all of them") reveals no one.
 * @example shareCells(5, 8) // count and share hidden: 8 − 5 = 3 would be shown by difference
 */
export function shareCells(count: number, of: number, minCell: number = MIN_CELL): { count: Cell; of: Cell; share: number | null } {
	const [shown] = suppressRow([count, of - count], minCell) as [Cell, Cell];
	const total = cell(of, minCell);
	return { count: shown, of: total, share: shownShare(shown, total) };
}

/**
 * Two proportions over the two halves of one set (had a sign / had not): shown both or neither,
 * as each half's counts follow from the other's and the totals shown elsewhere.
 */
export function bothOrNeither<T extends { suppressed: boolean }>(a: T, b: T): [T | { suppressed: true }, T | { suppressed: true }] {
	return a.suppressed || b.suppressed ? [{ suppressed: true }, { suppressed: true }] : [a, b];
}

/**
 * The retention table's weeks fit to show: each shown number at risk differs from the one shown
 * before it by 0 or by at least `minCell` (otherwise how many left in between would be a small
 * cell), and none is below `minCell`.
 */
export function shownAtRisk<T extends { atRisk: number }>(steps: readonly T[], minCell: number = MIN_CELL): T[] {
	const out: T[] = [];
	for (const s of steps) {
		if (s.atRisk < minCell) break;
		const previous = out.at(-1);
		const left = previous === undefined ? 0 : previous.atRisk - s.atRisk;
		if (left === 0 || left >= minCell) out.push(s);
	}
	return out;
}

/** A share whose numerator and denominator may both be shown; null otherwise or for an empty denominator. */
export function shownShare(count: Cell, total: Cell): number | null {
	if (count.suppressed || total.suppressed || total.n === 0) return null;
	return count.n / total.n;
}
