import type { ScopeData, StatEpisode } from './episodes';
import { aggregate } from '$lib/domain/aggregate';
import { summarizeEpisode } from '$lib/domain/episode';
import { EPISODE_ENDINGS, type EpisodeEnding } from '$lib/domain/history';
import type { ChangeClass } from '$lib/domain/change';
import { bothOrNeither, cell, shareCells, shownAtRisk, shownShare, suppressRow, type Cell } from '$lib/domain/statistics/small-cells';
import { effectSizeInterval, proportion, type Proportion } from '$lib/domain/statistics/proportion';
import { completeness, MIN_SHARE_TWO_RATINGS, NO_SHOW_BENCHMARK, SKIPPED_FEEDBACK_BENCHMARK } from '$lib/domain/statistics/completeness';
import { effectAtEnd, endingFigures, transitionDropouts, TRANSITION_WINDOW_DAYS, type EffectAtEnd } from '$lib/domain/statistics/endings';
import { retention } from '$lib/domain/statistics/retention';
import { signTable, ACTED_WITHIN_DAYS } from '$lib/domain/statistics/warning-signs';
import { AGE_BANDS, dose, type AgeBand } from '$lib/domain/statistics/volume';
import { daysBetween } from '$lib/domain/episode-course';
import { allianceFigures } from '$lib/domain/statistics/alliance';
import { byReliableChange, RELIABLE_CHANGE_GROUPS } from '$lib/domain/statistics/monthly';
import { meetingsOnTime, MEETING_ON_TIME_DAYS } from '$lib/domain/statistics/meetings';
import { courseOf, type ModelOf } from './course';
import { monthlyRows } from './trend';

/** A share fit to show: both counts, and the share only where neither is suppressed. */
export interface ShownShare {
	count: Cell;
	of: Cell;
	share: number | null;
}

/** A proportion with its interval, or suppressed as a whole when either count is under the smallest cell. */
export type ShownProportion = { suppressed: true } | ({ suppressed: false } & Proportion);

export interface Minimums {
	cell: number;
	clinician: number;
	benchmark: number;
}

const EFFECTS: readonly EffectAtEnd[] = ['with-effect', 'without-effect', 'not-measured'];
const CLASSES: readonly ChangeClass[] = ['recovered', 'improved', 'unchanged', 'deteriorated'];
/** The retention table stops here; the curve's tail holds too few episodes to read. */
const RETENTION_WEEKS = 52;

const share = (count: number, of: number, minCell: number): ShownShare => shareCells(count, of, minCell);

function shownProportion(p: Proportion, minCell: number): ShownProportion {
	// Both the episodes with the event and those without must reach the smallest cell (either gives the other away).
	return p.events < minCell || p.n - p.events < minCell ? { suppressed: true } : { suppressed: false, ...p };
}

/**
 * Every figure of the page from one scope's episodes (docs/clinical/statistics.md), each count
 * passed through the small-cell rule. The period: endings are those in it, the retention
 * curve follows the episodes started in it to their end or today.
 */
export function statisticsFigures(data: ScopeData, period: { from: string; to: string; today: string }, min: Minimums, modelOf: ModelOf) {
	const all = data.episodes;
	const closed = all.filter((e) => e.actualEnd !== null && e.endReason !== null && e.actualEnd >= period.from && e.actualEnd <= period.to);
	const c = completeness(all.map((e) => e.history));
	const summaries = new Map(closed.map((e) => [e.id, e.episode === null ? null : summarizeEpisode(e.episode)]));
	const classOf = (e: StatEpisode): ChangeClass | null => {
		const s = summaries.get(e.id);
		return s === undefined || s === null || !s.usable ? null : s.changeClass;
	};
	const endings = endingFigures(closed.map((e) => ({ ending: e.endReason as EpisodeEnding, effect: effectAtEnd(classOf(e)) })));
	const endingCells = suppressRow(
		EPISODE_ENDINGS.map((e) => endings.counts[e]),
		min.cell
	);
	// In treatment = ended + not ended: one hidden alone would be the total minus the other.
	const [closedCell, openCell] = suppressRow([endings.closed, all.length - closed.length], min.cell) as [Cell, Cell];
	const effectCells = suppressRow(
		EFFECTS.map((e) => endings.dropout[e]),
		min.cell
	);
	const transitions = transitionDropouts(all.map((e) => ({ ending: e.endReason, endDate: e.actualEnd, transitions: e.transitions })));
	const started = all.filter((e) => e.startDate >= period.from);
	const curve = retention(
		started.map((e) => {
			const end = e.actualEnd !== null && e.actualEnd <= period.today ? e.actualEnd : period.today;
			return { days: daysBetween(e.startDate, end), dropout: e.endReason === 'dropout' && e.actualEnd !== null };
		})
	).slice(0, RETENTION_WEEKS + 1);
	const signKeys = [...new Set(closed.flatMap((e) => e.signs))].sort();
	const signs = signTable(
		closed.map((e) => ({ dropout: e.endReason === 'dropout', signs: e.signs, responses: e.responses })),
		signKeys
	).map((r) => {
		// Had and had not split the closed episodes (and their drop-outs, both shown above): one hidden half would be the total minus the other.
		const [had, hadNot] = bothOrNeither(shownProportion(r.had, min.cell), shownProportion(r.hadNot, min.cell));
		const [inTime, unseen] = r.inTime === null || r.unseen === null ? [null, null] : bothOrNeither(shownProportion(r.inTime, min.cell), shownProportion(r.unseen, min.cell));
		return { sign: r.sign, had, hadNot, inTime, unseen };
	});
	const measured = closed.flatMap((e) => (e.episode === null ? [] : [e.episode]));
	const change = aggregate(measured, { minEpisodesForComparison: min.benchmark });
	const interval = change.effectSize === null ? null : effectSizeInterval(change.effectSize, change.used);
	// Closed = measured + no measure; measured = used + each reason left out: each row with its total shown.
	const [measuredCell, noMeasureCell] = suppressRow([measured.length, closed.length - measured.length], min.cell) as [Cell, Cell];
	const excludedReasons = Object.keys(change.excluded.byReason) as (keyof typeof change.excluded.byReason)[];
	const [usedCell, ...excludedCells] = suppressRow([change.used, ...excludedReasons.map((k) => change.excluded.byReason[k])], min.cell) as [Cell, ...Cell[]];
	const changeCells = suppressRow(
		CLASSES.map((k) => change.counts[k]),
		min.cell
	);
	// The bands and the episodes of no known age add up to the episodes in the period, shown above.
	const bands = [...AGE_BANDS, null].map((band) => all.filter((e) => e.ageBand === band));
	const bandEpisodes = suppressRow(
		bands.map((eps) => eps.length),
		min.cell
	);
	const bandPatients = suppressRow(
		bands.map((eps) => new Set(eps.map((e) => e.patientId)).size),
		min.cell
	);
	const byAge = Object.fromEntries(AGE_BANDS.map((band, i) => [band, { episodes: bandEpisodes[i]!, patients: bandPatients[i]! }])) as Record<AgeBand, { episodes: Cell; patients: Cell }>;
	const d = dose(closed);
	const closedIds = new Set(closed.map((e) => e.id));
	return {
		alliance: allianceCells(all, closedIds, min.cell),
		course: courseCells(closed, modelOf, min.cell),
		trend: monthlyRows(all, closed, period, c.attended, min.cell),
		reliableChange: reliableChangeCells(change.counts, min.cell),
		funnel: {
			inPeriod: cell(all.length, min.cell),
			closed: closedCell,
			open: openCell,
			measured: measuredCell,
			used: usedCell,
			excluded: Object.fromEntries(excludedReasons.map((k, i) => [k, excludedCells[i]!])) as Record<keyof typeof change.excluded.byReason, Cell>,
			noMeasure: noMeasureCell
		},
		completeness: {
			outcome: share(c.withOutcome, c.attended, min.cell),
			alliance: share(c.withAlliance, c.attended, min.cell),
			skipped: share(c.skipped, c.attended, min.cell),
			noShows: share(c.noShows, c.due, min.cell),
			twoOrMore: share(c.twoOrMoreRatings, c.episodes, min.cell),
			meetings: meetingCells(data, period, min.cell),
			channels: Object.fromEntries(suppressRow(Object.values(data.channels), min.cell).map((c, i) => [Object.keys(data.channels)[i]!, c])),
			benchmarks: { skipped: SKIPPED_FEEDBACK_BENCHMARK, noShows: NO_SHOW_BENCHMARK, twoOrMore: MIN_SHARE_TWO_RATINGS }
		},
		volume: {
			byAge,
			collateralEpisodes: cell(data.collateralEpisodes, min.cell),
			dose: d.episodes < min.cell ? null : { meanSessions: d.meanSessions, medianSessions: d.medianSessions, meanWeeks: d.meanWeeks }
		},
		endings: {
			closed: closedCell,
			rows: EPISODE_ENDINGS.map((e, i) => ({ ending: e, count: endingCells[i]!, share: shownShare(endingCells[i]!, closedCell) })),
			dropoutByEffect: EFFECTS.map((e, i) => ({ effect: e, count: effectCells[i]! })),
			transitions: { window: TRANSITION_WINDOW_DAYS, ...share(transitions.droppedOut, transitions.withTransition, min.cell) },
			retention: {
				started: cell(started.length, min.cell),
				// The number at risk is a count like any other: the curve stops where fewer than the smallest cell are left,
				// and skips a week where fewer than that left since the week shown before it.
				steps: shownAtRisk(curve, min.cell).map((s) => ({ week: s.week, atRisk: s.atRisk, retained: s.retained }))
			}
		},
		signs: { actedWithinDays: ACTED_WITHIN_DAYS, rows: signs, outreach: { tasks: cell(data.outreach.tasks, min.cell), reEngaged: cell(data.outreach.reEngaged, min.cell) } },
		change: {
			used: usedCell,
			enoughForBenchmark: change.enoughForComparison,
			meanIntake: change.used < min.cell ? null : change.meanIntake,
			meanChange: change.used < min.cell ? null : change.meanChange,
			effectSize: change.used < min.cell ? null : change.effectSize,
			interval: change.used < min.cell ? null : interval,
			rows: CLASSES.map((k, i) => ({ changeClass: k, count: changeCells[i]!, share: shownShare(changeCells[i]!, usedCell) }))
		}
	};
}

export type StatisticsFigures = ReturnType<typeof statisticsFigures>;

function meetingCells(data: ScopeData, period: { from: string; to: string; today: string }, minCell: number) {
	const m = meetingsOnTime(data.meetings, period, period.today);
	return { days: MEETING_ON_TIME_DAYS, ...share(m.onTime, m.due, minCell) };
}

/** The alliance section: the means only over enough episodes, each share with its own parts shown or hidden together. */
function allianceCells(all: readonly StatEpisode[], closedIds: ReadonlySet<number>, minCell: number) {
	const a = allianceFigures(all.map((e) => ({ history: e.history, alliance: e.alliance, ending: closedIds.has(e.id) ? e.endReason : null })));
	const enough = a.episodes >= minCell;
	const [withSignal, withoutSignal] = bothOrNeither(
		shownProportion(proportion(a.dropoutWithSignal, a.closedWithSignal), minCell),
		shownProportion(proportion(a.dropoutWithoutSignal, a.closedWithoutSignal), minCell)
	);
	return {
		episodes: cell(a.episodes, minCell),
		mean: enough ? a.mean : null,
		meanIntake: enough ? a.meanIntake : null,
		underCutoff: share(a.underCutoff, a.sessions, minCell),
		withDrop: share(a.withDrop, a.episodes, minCell),
		dropoutWithSignal: withSignal,
		dropoutWithoutSignal: withoutSignal
	};
}

/** Target reached and the severity-adjusted effect, only over enough episodes. */
function courseCells(closed: readonly StatEpisode[], modelOf: ModelOf, minCell: number) {
	const c = courseOf(closed, modelOf);
	return {
		sources: c.sources,
		target: share(c.reachedTarget, c.withCourse, minCell),
		clinical: cell(c.clinical, minCell),
		meanResidual: c.clinical < minCell ? null : c.meanResidual,
		residualEffect: c.clinical < minCell ? null : c.residualEffect,
		interval: c.clinical < minCell || c.residualEffect === null ? null : effectSizeInterval(c.residualEffect, c.clinical)
	};
}

function reliableChangeCells(counts: Parameters<typeof byReliableChange>[0], minCell: number) {
	const groups = byReliableChange(counts);
	const cells = suppressRow(
		RELIABLE_CHANGE_GROUPS.map((g) => groups[g]),
		minCell
	);
	return RELIABLE_CHANGE_GROUPS.map((g, i) => ({ group: g, count: cells[i]! }));
}

/**
 * One row per clinician (a team) or per team (the service): closed episodes, drop-out, and the
 * change figures only where the minimum number of measured closed episodes is reached.
 */
export function breakdown(data: ScopeData, period: { from: string; to: string }, groups: { id: number; name: string }[], groupOf: (e: StatEpisode) => number | null, min: Minimums, minimum: number) {
	const closedAll = data.episodes.filter((e) => e.actualEnd !== null && e.actualEnd >= period.from && e.actualEnd <= period.to);
	const rows = groups.map((g) => {
		const closed = closedAll.filter((e) => groupOf(e) === g.id);
		const change = aggregate(
			closed.flatMap((e) => (e.episode === null ? [] : [e.episode])),
			{ minEpisodesForComparison: minimum }
		);
		return { g, closed: closed.length, dropouts: closed.filter((e) => e.endReason === 'dropout').length, change };
	});
	// Each column adds up to the scope's figure shown above, with the episodes of no listed group as one more (unshown) part.
	const column = (counts: number[], all: number): Cell[] => suppressRow([...counts, all - counts.reduce((a, b) => a + b, 0)], min.cell).slice(0, counts.length);
	const closedCells = column(
		rows.map((r) => r.closed),
		closedAll.length
	);
	const dropoutCells = column(
		rows.map((r) => r.dropouts),
		closedAll.filter((e) => e.endReason === 'dropout').length
	);
	const usedCells = column(
		rows.map((r) => r.change.used),
		aggregate(
			closedAll.flatMap((e) => (e.episode === null ? [] : [e.episode])),
			{ minEpisodesForComparison: minimum }
		).used
	);
	return rows.map((r, i) => {
		const own = share(r.dropouts, r.closed, min.cell);
		const count = dropoutCells[i]!.suppressed ? dropoutCells[i]! : own.count;
		return {
			id: r.g.id,
			name: r.g.name,
			closed: closedCells[i]!,
			dropout: { count, of: closedCells[i]!, share: shownShare(count, closedCells[i]!) },
			used: usedCells[i]!,
			compared: r.change.enoughForComparison,
			effectSize: r.change.enoughForComparison ? r.change.effectSize : null
		};
	});
}
