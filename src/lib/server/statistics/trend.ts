import type { StatEpisode } from './episodes';
import { monthlyTrend } from '$lib/domain/statistics/monthly';
import { shareCells, shownShare, suppressRow, type Cell } from '$lib/domain/statistics/small-cells';

/**
 * The trend by month, each column through the small-cell rule: the months' counts and the rest of
 * the figure shown elsewhere (sessions outside the period; none for the endings, which are all in
 * it) hide together, so no month follows from the total minus the others.
 */
export function monthlyRows(all: readonly StatEpisode[], closed: readonly StatEpisode[], period: { from: string; to: string }, attendedAll: number, minCell: number) {
	const months = monthlyTrend(
		all.map((e) => ({ history: e.history, ending: e.endReason, endDate: e.actualEnd })),
		period.from,
		period.to
	);
	const column = (counts: number[], total: number): Cell[] => suppressRow([...counts, total - counts.reduce((a, b) => a + b, 0)], minCell).slice(0, counts.length);
	const attended = column(
		months.map((m) => m.attended),
		attendedAll
	);
	const ended = column(
		months.map((m) => m.ended),
		closed.length
	);
	const dropouts = column(
		months.map((m) => m.dropouts),
		closed.filter((e) => e.endReason === 'dropout').length
	);
	return months.map((m, i) => {
		// Within a month, the rated and the skipped (or the drop-outs and the other endings) give each other away.
		const rated = shareCells(m.rated, m.attended, minCell);
		const drop = shareCells(m.dropouts, m.ended, minCell);
		const dropout = dropouts[i]!.suppressed || drop.count.suppressed ? ({ suppressed: true } as const) : dropouts[i]!;
		return {
			month: m.month,
			attended: attended[i]!,
			ratedShare: attended[i]!.suppressed ? null : rated.share,
			ended: ended[i]!,
			dropouts: dropout,
			dropoutShare: shownShare(dropout, ended[i]!)
		};
	});
}
