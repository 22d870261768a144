/** Two-sided 95 % normal quantile. */
export const Z_95 = 1.959964;
/** Two-sided 90 % normal quantile: the interval ACORN judges effectiveness by (docs/clinical/statistics.md). */
export const Z_90 = 1.644854;

export interface Proportion {
	n: number;
	events: number;
	/** events / n; null when n is 0. */
	share: number | null;
	/** Wilson score interval at 95 %; null when n is 0. */
	low: number | null;
	high: number | null;
}

/**
 * A share with its Wilson score interval (Wilson 1927), which stays inside 0–1 and behaves at
 * small n and at 0 or n events, where the normal approximation does not.
 * @example proportion(3, 10) // { share: 0.3, low: 0.1078, high: 0.6032 }
 */
export function proportion(events: number, n: number, z: number = Z_95): Proportion {
	if (n === 0) return { n, events, share: null, low: null, high: null };
	const p = events / n;
	const z2 = z * z;
	const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
	return { n, events, share: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * A pre–post effect size d (mean change / SD of intake) with its interval, from the large-sample
 * standard error of a standardised mean change, √(1/n + d²/(2n)) (Becker 1988), at 90 % by default.
 * @example effectSizeInterval(0.5, 50) // { low: 0.2533, high: 0.7467 } (SE √(1/50 + 0.25/100) = 0.15)
 */
export function effectSizeInterval(d: number, n: number, z: number = Z_90): { low: number; high: number } | null {
	if (n < 2) return null;
	const se = Math.sqrt(1 / n + (d * d) / (2 * n));
	return { low: d - z * se, high: d + z * se };
}
