import { TENTHS_PER_POINT } from '../../src/lib/domain/clinical-constants';
import type { Attendance, History, Rating, SessionEntry } from '../../src/lib/domain/history';

/** One row of a compact history: [outcome total, alliance total] for an attended session
 *  (null = not rated), or the attendance of an appointment that did not take place. */
export type HistoryRow = readonly [number | null, number | null] | Exclude<Attendance, 'attended'>;

const DAY_MS = 86_400_000;
const OUTCOME_KEYS = ['self', 'close', 'daily', 'overall'] as const;
const ALLIANCE_KEYS = ['heard', 'goals', 'approach', 'overall'] as const;

/**
 * Builds a history from compact rows, for tests: sessions numbered by
 * the rule in history.ts, one appointment every `intervalDays` from `start`, totals split over
 * the four items in tenths.
 * @example buildHistory([[17, 38], 'no_show', [21, null]]).map((e) => e.session) // [1, 2, 2]
 */
export function buildHistory(rows: readonly HistoryRow[], options: { start?: string; intervalDays?: number; outcomeId?: string; allianceId?: string } = {}): History {
	const start = Date.parse(options.start ?? '2025-01-06');
	const interval = (options.intervalDays ?? 7) * DAY_MS;
	let session = 1;
	return rows.map((row, i): SessionEntry => {
		const date = new Date(start + i * interval).toISOString().slice(0, 10);
		if (typeof row === 'string') return { session, date, attendance: row, outcome: null, alliance: null };
		const [outcome, alliance] = row;
		const entry: SessionEntry = {
			session,
			date,
			attendance: 'attended',
			outcome: outcome === null ? null : rating(options.outcomeId ?? 'stemme-outcome-adult', outcome, OUTCOME_KEYS),
			alliance: alliance === null ? null : rating(options.allianceId ?? 'stemme-alliance-adult', alliance, ALLIANCE_KEYS)
		};
		session++;
		return entry;
	});
}

function rating(instrumentId: string, total: number, keys: readonly string[]): Rating {
	const tenths = Math.round(total * TENTHS_PER_POINT);
	const base = Math.floor(tenths / keys.length);
	const items: Record<string, number> = {};
	keys.forEach((key, i) => {
		items[key] = (base + (i < tenths - base * keys.length ? 1 : 0)) / TENTHS_PER_POINT;
	});
	return { instrumentId, instrumentVersion: 1, total: tenths / TENTHS_PER_POINT, items };
}
