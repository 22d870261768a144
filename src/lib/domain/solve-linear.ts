/** Pivots smaller than this (relative to the largest matrix entry) mean the system is singular. */
const SINGULAR = 1e-12;

/**
 * Solves A·x = b for a small dense system by Gaussian elimination with partial pivoting.
 * `a` is row-major n × n and is not modified. Null when A is (numerically) singular.
 * @example solveLinear([2, 0, 0, 4], [2, 8]) // [1, 2]
 */
export function solveLinear(a: readonly number[], b: readonly number[]): number[] | null {
	const n = b.length;
	const m = a.slice();
	const x = b.slice();
	const scale = Math.max(...m.map(Math.abs));
	if (!(scale > 0)) return null;
	for (let col = 0; col < n; col++) {
		let pivot = col;
		for (let row = col + 1; row < n; row++) {
			if (Math.abs(m[row * n + col] as number) > Math.abs(m[pivot * n + col] as number)) pivot = row;
		}
		if (Math.abs(m[pivot * n + col] as number) <= SINGULAR * scale) return null;
		if (pivot !== col) {
			for (let k = 0; k < n; k++) swap(m, col * n + k, pivot * n + k);
			swap(x, col, pivot);
		}
		const diag = m[col * n + col] as number;
		for (let row = col + 1; row < n; row++) {
			const factor = (m[row * n + col] as number) / diag;
			if (factor === 0) continue;
			for (let k = col; k < n; k++) m[row * n + k] = (m[row * n + k] as number) - factor * (m[col * n + k] as number);
			x[row] = (x[row] as number) - factor * (x[col] as number);
		}
	}
	for (let row = n - 1; row >= 0; row--) {
		let sum = x[row] as number;
		for (let k = row + 1; k < n; k++) sum -= (m[row * n + k] as number) * (x[k] as number);
		x[row] = sum / (m[row * n + row] as number);
	}
	return x;
}

function swap(values: number[], i: number, j: number): void {
	const held = values[i] as number;
	values[i] = values[j] as number;
	values[j] = held;
}
