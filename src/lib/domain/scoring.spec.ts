import { describe, expect, it } from 'vitest';
import { stemmeAllianceAdult, stemmeOutcomeAdult } from './instruments';
import { scoreRating } from './scoring';

// Totals are sums of four items of 0.0–10.0 (docs/clinical/measures.md), so 0.0–40.0.
describe('scoreRating — valid ratings', () => {
	it.each([
		// 3.3 + 3.3 + 3.3 + 0 = 9.9 exactly (in tenths: 33 + 33 + 33 + 0 = 99 → 9.9); naive float gives 9.899999999999999
		{ values: { self: 3.3, close: 3.3, daily: 3.3, overall: 0 }, total: 9.9 },
		// lowest: 4 × 0 = 0
		{ values: { self: 0, close: 0, daily: 0, overall: 0 }, total: 0 },
		// highest: 4 × 10 = 40
		{ values: { self: 10, close: 10, daily: 10, overall: 10 }, total: 40 },
		// 0.1 + 0.2 + 0.7 + 9.9 = 10.9 (tenths 1 + 2 + 7 + 99 = 109)
		{ values: { self: 0.1, close: 0.2, daily: 0.7, overall: 9.9 }, total: 10.9 },
		// decimal strings from a form: 4.5 + 5 + 6.1 + 2 = 17.6
		{ values: { self: '4.5', close: '5', daily: ' 6.1 ', overall: '2.0' }, total: 17.6 },
		// a float with representation error still counts as one decimal: 0.1 + 0.2 = 0.30000000000000004 → 3 tenths;
		// 0.3 + 1 + 1 + 1 = 3.3
		{ values: { self: 0.1 + 0.2, close: 1, daily: 1, overall: 1 }, total: 3.3 },
		// -0 is 0: 0 + 1 + 1 + 1 = 3
		{ values: { self: -0, close: 1, daily: 1, overall: 1 }, total: 3 }
	])('total $total', ({ values, total }) => {
		const result = scoreRating(stemmeOutcomeAdult, values);
		expect(result).toMatchObject({ ok: true, total });
		if (result.ok) expect(Object.is(result.items.self, -0)).toBe(false);
	});

	it('returns every item value', () => {
		// heard 9.1, goals 8.8, approach 9, overall 9.5 → 9.1 + 8.8 + 9.0 + 9.5 = 36.4
		const result = scoreRating(stemmeAllianceAdult, { heard: 9.1, goals: 8.8, approach: 9, overall: 9.5 });
		expect(result).toEqual({ ok: true, total: 36.4, items: { heard: 9.1, goals: 8.8, approach: 9, overall: 9.5 } });
	});
});

describe('scoreRating — invalid ratings', () => {
	const full = { self: 5, close: 5, daily: 5, overall: 5 };
	it.each([
		{ name: 'missing item', values: { self: 5, close: 5, daily: 5 }, error: { key: 'overall', code: 'missing' } },
		{ name: 'null item', values: { ...full, daily: null }, error: { key: 'daily', code: 'missing' } },
		{ name: 'empty string', values: { ...full, daily: '' }, error: { key: 'daily', code: 'missing' } },
		{ name: 'NaN', values: { ...full, self: Number.NaN }, error: { key: 'self', code: 'not-a-number' } },
		{ name: 'Infinity', values: { ...full, self: Number.POSITIVE_INFINITY }, error: { key: 'self', code: 'not-a-number' } },
		{ name: 'text', values: { ...full, self: 'five' }, error: { key: 'self', code: 'not-a-number' } },
		{ name: 'boolean', values: { ...full, self: true }, error: { key: 'self', code: 'not-a-number' } },
		// range is 0–10 (docs/clinical/measures.md): −0.1 and 10.1 are one step outside
		{ name: 'below 0', values: { ...full, close: -0.1 }, error: { key: 'close', code: 'out-of-range' } },
		{ name: 'above 10', values: { ...full, close: 10.1 }, error: { key: 'close', code: 'out-of-range' } },
		{ name: 'string above 10', values: { ...full, close: '11' }, error: { key: 'close', code: 'out-of-range' } },
		// one decimal only: 5.25 is 52.5 tenths
		{ name: 'two decimals', values: { ...full, daily: 5.25 }, error: { key: 'daily', code: 'too-many-decimals' } },
		{ name: 'two decimals as text', values: { ...full, daily: '5.25' }, error: { key: 'daily', code: 'too-many-decimals' } },
		{ name: 'unknown key', values: { ...full, mood: 3 }, error: { key: 'mood', code: 'unknown-item' } }
	])('$name', ({ values, error }) => {
		const result = scoreRating(stemmeOutcomeAdult, values);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors).toEqual([expect.objectContaining(error)]);
	});

	it('reports every problem at once', () => {
		const result = scoreRating(stemmeOutcomeAdult, { self: 11, close: 2.22, extra: 1 });
		expect(result).toEqual({
			ok: false,
			errors: [
				{ key: 'self', code: 'out-of-range', value: 11 },
				{ key: 'close', code: 'too-many-decimals', value: 2.22 },
				{ key: 'daily', code: 'missing' },
				{ key: 'overall', code: 'missing' },
				{ key: 'extra', code: 'unknown-item' }
			]
		});
	});
});
