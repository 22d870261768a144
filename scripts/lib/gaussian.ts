/**
 * A standard normal draw from a uniform generator such as `mulberry32` (Box–Muller transform),
 * for synthetic test data and benchmarks.
 * @example gaussian(mulberry32(1)) // a number; over many draws mean 0, SD 1
 */
export function gaussian(random: () => number): number {
	const u = 1 - random();
	const v = random();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
