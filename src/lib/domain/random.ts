/**
 * A small seeded pseudo-random generator (mulberry32, public domain, Tommy Ettinger 2017):
 * the same seed gives the same sequence on every machine, so demo data and synthetic test
 * data are reproducible. Not for anything secret.
 *
 * @example const rand = mulberry32(42); rand(); // a number in [0, 1), the same every run
 */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return function next(): number {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
