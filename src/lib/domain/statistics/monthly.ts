import type { EpisodeEnding, History } from '../history';
import type { ChangeClass } from '../change';
import { osloDate } from '../oslo-day';

export interface MonthFigures {
	/** 'YYYY-MM', an Oslo calendar month. */
	month: string;
	/** Attended sessions, and of those with both the outcome and the alliance rating. */
	attended: number;
	rated: number;
	/** Episodes ended in the month, and of those by drop-out. */
	ended: number;
	dropouts: number;
}

/** Oslo is at most two hours ahead of UTC: only an instant this late in a month's last UTC day can fall in the next Oslo month. */
const LATEST_UTC_HOUR_SAME_OSLO_DAY = 22;

/**
 * The Oslo month of an ISO date or date-time; the time zone is only worked out near a month's end.
 * @example monthOf('2026-03-31T23:30:00Z') // '2026-04' (01:30 in Oslo)
 */
export function monthOf(iso: string): string {
	if (iso.length <= 10) return iso.slice(0, 7);
	const at = new Date(iso);
	const lastDay = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
	if (at.getUTCDate() === lastDay && at.getUTCHours() >= LATEST_UTC_HOUR_SAME_OSLO_DAY) return osloDate(at).slice(0, 7);
	return iso.slice(0, 7);
}

/** Every month from the one of `from` to the one of `to`, both 'YYYY-MM-DD'. */
export function monthsBetween(from: string, to: string): string[] {
	const out: string[] = [];
	let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
	const last = to.slice(0, 7);
	for (;;) {
		const month = `${y}-${String(m).padStart(2, '0')}`;
		out.push(month);
		if (month >= last) return out;
		[y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
	}
}

/**
 * The trend by month over a period (docs/clinical/statistics.md, "Trend by month"): sessions held and
 * how many had both ratings (skipped feedback over time), episodes ended and how many by drop-out.
 * Sessions and endings outside the period are not counted.
 * @example monthlyTrend([{ history, ending: 'dropout', endDate: '2026-03-20' }], '2026-03-01', '2026-04-30')
 * // [{ month: '2026-03', attended: 2, rated: 1, ended: 1, dropouts: 1 }, { month: '2026-04', attended: 0, … }]
 */
export function monthlyTrend(episodes: readonly { history: History; ending: EpisodeEnding | null; endDate: string | null }[], from: string, to: string): MonthFigures[] {
	const months = monthsBetween(from, to);
	const byMonth = new Map(months.map((month) => [month, { month, attended: 0, rated: 0, ended: 0, dropouts: 0 }]));
	for (const e of episodes) {
		for (const s of e.history) {
			if (s.attendance !== 'attended') continue;
			const row = byMonth.get(monthOf(s.date));
			const day = s.date.slice(0, 10);
			if (row === undefined || day < from || day > to) continue;
			row.attended++;
			if (s.outcome !== null && s.alliance !== null) row.rated++;
		}
		if (e.ending === null || e.endDate === null || e.endDate < from || e.endDate > to) continue;
		const row = byMonth.get(e.endDate.slice(0, 7));
		if (row === undefined) continue;
		row.ended++;
		if (e.ending === 'dropout') row.dropouts++;
	}
	return months.map((month) => byMonth.get(month)!);
}

export const RELIABLE_CHANGE_GROUPS = ['improved', 'no-change', 'deteriorated'] as const;
export type ReliableChangeGroup = (typeof RELIABLE_CHANGE_GROUPS)[number];

/**
 * The change distribution by reliable change alone (docs/clinical/change.md): recovered and improved
 * episodes both changed reliably for the better, so they count together as improved.
 * @example byReliableChange({ recovered: 4, improved: 6, unchanged: 9, deteriorated: 2 }) // { improved: 10, 'no-change': 9, deteriorated: 2 }
 */
export function byReliableChange(counts: Readonly<Record<ChangeClass, number>>): Record<ReliableChangeGroup, number> {
	return { improved: counts.recovered + counts.improved, 'no-change': counts.unchanged, deteriorated: counts.deteriorated };
}
