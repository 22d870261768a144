import { error } from '@sveltejs/kit';
import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import type { StatisticsRequest } from './scope';
import { loadStatisticsPage, type StatisticsPage } from '../views/statistics-page';
import type { Cell } from '$lib/domain/statistics/small-cells';
import { AGE_BANDS } from '$lib/domain/statistics/volume';
import type { ShownProportion, ShownShare } from './figures';
import { ageLabel, cellText, channelLabel, classLabel, effectLabel, endingLabel, reliableLabel } from '$lib/statistics/words';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

export const CSV_TABLES = ['completeness', 'volume', 'change', 'reliable-change', 'course', 'endings', 'dropout-effect', 'retention', 'signs', 'alliance', 'trend', 'breakdown'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

export type Row = (string | number | null)[];

/** RFC 4180 quoting; a text cell starting with = + - @, a tab or a carriage return is prefixed with ' so a spreadsheet does not run it as a formula (OWASP, CSV injection). */
export function field(value: string | number | null): string {
	if (value === null) return '';
	let text = String(value);
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as a CSV file's text: comma-separated, CRLF line ends (RFC 4180), every cell through `field`. */
export function csvText(rows: readonly Row[]): string {
	return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

const round = (x: number | null, digits = 3): number | null => (x === null ? null : Number(x.toFixed(digits)));

/**
 * One table of the page as CSV, in the reader's language, suppressed cells as "< 5" exactly as the
 * page shows them; shares as decimals (0–1). Reads through the page's own use case (and its audit row).
 */
export function statisticsCsv(ctx: RequestContext, user: SessionUser, request: StatisticsRequest, rawTable: string | null): { filename: string; body: string } {
	const table = CSV_TABLES.find((t) => t === rawTable);
	if (table === undefined) error(400, m.field_invalid({ field: 'table' }));
	const page = loadStatisticsPage(ctx, user, request, getLocale());
	const rows = tableRows(page, table);
	const { from, to } = page.filters;
	return { filename: `stemme-${table}-${from}-${to}.csv`, body: csvText(rows) };
}

export function tableRows(page: StatisticsPage, table: CsvTable): Row[] {
	const f = page.figures;
	const c = (x: Cell) => cellText(x, page.minimums.cell);
	const s = (x: ShownShare): Row => [c(x.count), c(x.of), round(x.share)];
	const p = (x: ShownProportion | null): Row =>
		x === null ? [null, null, null, null] : x.suppressed ? [m.st_suppressed({ cell: String(page.minimums.cell) }), null, null, null] : [x.n, round(x.share), round(x.low), round(x.high)];
	switch (table) {
		case 'completeness':
			return [
				[m.st_figure(), m.st_count(), m.st_of(), m.st_share()],
				[m.st_c_outcome(), ...s(f.completeness.outcome)],
				[m.st_c_alliance(), ...s(f.completeness.alliance)],
				[m.st_c_skipped(), ...s(f.completeness.skipped)],
				[m.st_c_no_shows(), ...s(f.completeness.noShows)],
				[m.st_c_two_or_more(), ...s(f.completeness.twoOrMore)],
				[m.st_c_meetings({ days: String(f.completeness.meetings.days) }), ...s(f.completeness.meetings)],
				...Object.entries(f.completeness.channels).map(([k, n]): Row => [`${m.st_channels()}: ${channelLabel[k]?.() ?? k}`, c(n), null, null])
			];
		case 'volume':
			return [
				[m.st_age(), m.st_patients(), m.st_episodes()],
				...AGE_BANDS.map((b): Row => [ageLabel[b](), c(f.volume.byAge[b].patients), c(f.volume.byAge[b].episodes)]),
				[m.st_mean_sessions(), round(f.volume.dose?.meanSessions ?? null, 1), null],
				[m.st_median_sessions(), round(f.volume.dose?.medianSessions ?? null, 1), null],
				[m.st_mean_weeks(), round(f.volume.dose?.meanWeeks ?? null, 1), null],
				[m.st_collateral(), c(f.volume.collateralEpisodes), null]
			];
		case 'change':
			return [
				[m.st_figure(), m.st_count(), m.st_share()],
				[m.st_funnel_used(), c(f.change.used), null],
				[m.st_mean_intake(), round(f.change.meanIntake, 1), null],
				[m.st_mean_change(), round(f.change.meanChange, 1), null],
				[m.st_effect_size(), round(f.change.effectSize, 2), f.change.interval === null ? null : `${round(f.change.interval.low, 2)}–${round(f.change.interval.high, 2)}`],
				...f.change.rows.map((r): Row => [classLabel[r.changeClass](), c(r.count), round(r.share)])
			];
		case 'reliable-change':
			return [[m.st_reliable_title(), m.st_count()], ...f.reliableChange.map((r): Row => [reliableLabel[r.group](), c(r.count)])];
		case 'course':
			return [
				[m.st_figure(), m.st_count(), m.st_of(), m.st_share()],
				[m.st_course_target(), ...s(f.course.target)],
				[m.st_course_clinical(), c(f.course.clinical), null, null],
				[m.st_course_residual(), round(f.course.meanResidual, 1), null, null],
				[m.st_course_effect(), round(f.course.residualEffect, 2), f.course.interval === null ? null : `${round(f.course.interval.low, 2)}–${round(f.course.interval.high, 2)}`, null]
			];
		case 'alliance':
			return [
				[m.st_figure(), m.st_count(), m.st_of(), m.st_share()],
				[m.st_alliance_episodes(), c(f.alliance.episodes), null, null],
				[m.st_alliance_mean(), round(f.alliance.mean, 1), null, null],
				[m.st_alliance_intake(), round(f.alliance.meanIntake, 1), null, null],
				[m.st_alliance_under(), ...s(f.alliance.underCutoff)],
				[m.st_alliance_drop(), ...s(f.alliance.withDrop)],
				[m.st_alliance_dropout_with(), ...p(f.alliance.dropoutWithSignal)],
				[m.st_alliance_dropout_without(), ...p(f.alliance.dropoutWithoutSignal)]
			];
		case 'trend':
			return [
				[m.st_month(), m.st_attended(), m.st_rated_share(), m.st_ended(), m.st_ending_dropout(), m.st_share()],
				...f.trend.map((r): Row => [r.month, c(r.attended), round(r.ratedShare), c(r.ended), c(r.dropouts), round(r.dropoutShare)])
			];
		case 'endings':
			return [
				[m.st_ending(), m.st_count(), m.st_share()],
				...f.endings.rows.map((r): Row => [endingLabel[r.ending](), c(r.count), round(r.share)]),
				[m.st_total(), c(f.endings.closed), null],
				[m.st_transitions(), ...s(f.endings.transitions)]
			];
		case 'dropout-effect':
			return [[m.st_dropout_effect_title(), m.st_count()], ...f.endings.dropoutByEffect.map((r): Row => [effectLabel[r.effect](), c(r.count)])];
		case 'retention':
			return [[m.st_week(), m.st_at_risk(), m.st_retained()], ...f.endings.retention.steps.map((r): Row => [r.week, r.atRisk, round(r.retained)])];
		case 'signs':
			return [
				[
					m.st_sign(),
					`${m.st_had()}: n`,
					m.st_share(),
					'low',
					'high',
					`${m.st_had_not()}: n`,
					m.st_share(),
					'low',
					'high',
					`${m.st_in_time({ days: String(f.signs.actedWithinDays) })}: n`,
					m.st_share(),
					'low',
					'high',
					`${m.st_unseen()}: n`,
					m.st_share(),
					'low',
					'high'
				],
				...f.signs.rows.map((r): Row => [r.label, ...p(r.had), ...p(r.hadNot), ...p(r.inTime), ...p(r.unseen)])
			];
		case 'breakdown':
			return [
				[m.st_name(), m.st_closed(), m.st_dropout_share(), m.st_measured(), m.st_effect_size()],
				...page.breakdown.rows.map((r): Row => [r.name, c(r.closed), round(r.dropout.share), c(r.used), r.compared ? round(r.effectSize, 2) : null])
			];
	}
}
