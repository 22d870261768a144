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
 * A row of counts that add up to a shown total. When exactly one of them is suppressed, the total
 * minus the others would give it away, so the smallest other count is suppressed with it
 * (complementary suppression). A lone hidden zero is left alone: working it out reveals no one.
 * @example suppressRow([40, 3, 12, 9]) // shown: 40 and 12
 */
export function suppressRow(counts: readonly number[], minCell: number = MIN_CELL): Cell[] {
	const cells = counts.map((n) => cell(n, minCell));
	const hidden = counts.filter((_, i) => cells[i]!.suppressed);
	// Two or more hidden protect each other; a lone hidden zero gives away no patient.
	if (hidden.length !== 1 || hidden[0] === 0) return cells;
	let next = -1;
	counts.forEach((n, i) => {
		if (!cells[i]!.suppressed && (next === -1 || n < counts[next]!)) next = i;
	});
	if (next !== -1) cells[next] = { suppressed: true };
	return cells;
}

/** A share whose numerator and denominator may both be shown; null otherwise or for an empty denominator. */
export function shownShare(count: Cell, total: Cell): number | null {
	if (count.suppressed || total.suppressed || total.n === 0) return null;
	return count.n / total.n;
}
