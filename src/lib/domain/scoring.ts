import { ITEM_MAX, ITEM_MIN, TENTHS_PER_POINT } from './clinical-constants';
import type { InstrumentDefinition } from './instrument-schema';

/** A value counts as a whole number of tenths when value × 10 is this close to an integer
 *  (absorbs binary representation error: 3.3 × 10 = 33.000000000000004). */
const TENTHS_TOLERANCE = 1e-6;
const MIN_TENTHS = ITEM_MIN * TENTHS_PER_POINT;
const MAX_TENTHS = ITEM_MAX * TENTHS_PER_POINT;
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

export type ScoreProblem =
	| { key: string; code: 'missing' }
	| { key: string; code: 'unknown-item' }
	| { key: string; code: 'not-a-number'; value: unknown }
	| { key: string; code: 'out-of-range'; value: number }
	| { key: string; code: 'too-many-decimals'; value: number };

export type ScoreResult = { ok: true; total: number; items: Record<string, number> } | { ok: false; errors: ScoreProblem[] };

type Items = InstrumentDefinition['items'];
const knownKeys = new WeakMap<Items, ReadonlySet<string>>();

function keysOf(items: Items): ReadonlySet<string> {
	let keys = knownKeys.get(items);
	if (keys === undefined) {
		keys = new Set(items.map((item) => item.key));
		knownKeys.set(items, keys);
	}
	return keys;
}

/**
 * Scores one rating: every item of the instrument must be present, a number (or a decimal
 * string from a form) in 0–10 with at most one decimal; no unknown item keys. Sums in integer
 * tenths so that 3.3 + 3.3 + 3.3 is exactly 9.9. All problems are reported at once.
 * @example scoreRating(stemmeOutcomeAdult, { self: 3.3, close: 3.3, daily: 3.3, overall: 0 })
 * // { ok: true, total: 9.9, items: { self: 3.3, close: 3.3, daily: 3.3, overall: 0 } }
 */
export function scoreRating(instrument: Pick<InstrumentDefinition, 'items'>, values: Readonly<Record<string, unknown>>): ScoreResult {
	let errors: ScoreProblem[] | null = null;
	const items: Record<string, number> = {};
	let totalTenths = 0;
	for (const { key } of instrument.items) {
		const checked = checkValue(key, values[key]);
		if (typeof checked === 'number') {
			items[key] = checked / TENTHS_PER_POINT;
			totalTenths += checked;
		} else {
			(errors ??= []).push(checked);
		}
	}
	const known = keysOf(instrument.items);
	for (const key in values) {
		if (!known.has(key)) (errors ??= []).push({ key, code: 'unknown-item' });
	}
	if (errors !== null) return { ok: false, errors };
	return { ok: true, total: totalTenths / TENTHS_PER_POINT, items };
}

/** The value in whole tenths, or the problem with it. */
function checkValue(key: string, raw: unknown): number | ScoreProblem {
	if (raw === undefined || raw === null || raw === '') return { key, code: 'missing' };
	let value: number;
	if (typeof raw === 'number') value = raw;
	else if (typeof raw === 'string' && DECIMAL.test(raw)) value = Number(raw);
	else return { key, code: 'not-a-number', value: raw };
	if (!Number.isFinite(value)) return { key, code: 'not-a-number', value: raw };
	const scaled = value * TENTHS_PER_POINT;
	const tenths = Math.round(scaled);
	if (value < ITEM_MIN || value > ITEM_MAX || tenths < MIN_TENTHS || tenths > MAX_TENTHS) {
		return { key, code: 'out-of-range', value };
	}
	if (Math.abs(scaled - tenths) > TENTHS_TOLERANCE) return { key, code: 'too-many-decimals', value };
	return tenths === 0 ? 0 : tenths;
}
