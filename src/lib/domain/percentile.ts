/**
 * The p-th percentile (0–100) of values already sorted ascending, by linear interpolation between
 * closest ranks (Hyndman & Fan type 7, the default of R and NumPy): h = (n − 1) × p / 100.
 * NaN for an empty list.
 * @example percentileOfSorted([1, 2, 3, 4], 50) // h = 1.5 → 2 + 0.5 × (3 − 2) = 2.5
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
	const n = sorted.length;
	if (n === 0) return Number.NaN;
	const h = ((n - 1) * Math.min(Math.max(p, 0), 100)) / 100;
	const lo = Math.floor(h);
	const low = sorted[lo] as number;
	const high = sorted[Math.min(lo + 1, n - 1)] as number;
	return low + (h - lo) * (high - low);
}
