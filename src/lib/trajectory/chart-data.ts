/**
 * Turns one episode's history into what the trajectory chart draws: Chart.js-shaped datasets and
 * annotation-plugin objects for the outcome panel and the alliance panel below it. Pure: no
 * Chart.js import, no clock, no DOM; every number comes from the domain (STYLE: charts only draw).
 *
 * Rules that keep the chart honest:
 * - x is the session number (1 = intake) or the appointment's date;
 * - a session without a rating is a gap (y = null, spanGaps off): no line is drawn across it;
 * - an appointment that did not take place is a mark on the x axis, half-way to the next session;
 * - expected lines (target, critical, expected mean) are drawn only when a model or a licensed
 *   table gives them for this intake, from session 1 to a little past the latest session.
 */
import { reliableDirection } from '$lib/domain/change';
import { expectedScore, type ExpectedModel } from '$lib/domain/expected-score';
import { intakeScore, type History, type SessionEntry } from '$lib/domain/history';
import type { SignalThresholds } from '$lib/domain/session-signals';
import type { SignalReason } from '$lib/domain/signal-reasons';
import { sessionLevels, type PointSignal, type SessionLevels, type SignalLevel } from './session-levels';

export type { SignalLevel } from './session-levels';

export type XMode = 'session' | 'date';
export type Show = 'totals' | 'outcome-items' | 'alliance-items';

export interface MeasureInput {
	cutoff: number;
	/** Outcome: minimum reliable difference. */
	rci?: number | null;
	/** Alliance: fall that raises a signal. */
	drop?: number | null;
	items: { key: string; label: string }[];
}

export interface ChartInput {
	history: History;
	outcome: MeasureInput | null;
	alliance: MeasureInput | null;
	expected: ExpectedModel | null;
	x: XMode;
	show: Show;
	/**
	 * Colour points by the session signal, give tooltips the signal's reasons and mark reliable
	 * change. Off (the together view until the clinician shows them): none of these.
	 */
	signals: boolean;
	/** The levels, when the page has worked them out already (they do not change with x or show). */
	levels?: SessionLevels;
	/** Words in the viewer's language. */
	text: ChartText;
	/** A date to mark with a vertical line on both panels (the previous milestone meeting). */
	marker?: { date: string; label: string } | null;
	/** The installation's checkpoint sessions (the domain's defaults, 3 and 6, when not given). */
	checkpoints?: SignalThresholds['checkpoints'];
	/**
	 * An ended episode's answered follow-ups: drawn on the outcome panel after a line at the end,
	 * one apart in session mode (they are no sessions) and on their day in date mode.
	 */
	followUp?: { ended: string; points: FollowUpPoint[] } | null;
}

export interface FollowUpPoint {
	/** When it was answered, an ISO instant. */
	date: string;
	total: number;
}

export interface ChartText {
	outcomeTotal: string;
	allianceTotal: string;
	cutoff: (value: string) => string;
	allianceCutoff: (value: string) => string;
	target: string;
	critical: string;
	expected: string;
	followUp: string;
	ended: string;
	improved: string;
	deteriorated: string;
	missed: string;
	reason: (reason: SignalReason) => string;
	number: (value: number) => string;
}

/** What a tooltip or the table says about one point. */
export interface PointMeta {
	session: number;
	date: string;
	total: number | null;
	items: Record<string, number> | null;
	level: SignalLevel | null;
	reasons: string[];
}

export interface Dataset {
	id: string;
	label: string;
	data: { x: number; y: number | null }[];
	borderColor: string;
	backgroundColor: string;
	borderWidth: number;
	borderDash?: number[];
	pointRadius: number | number[];
	pointStyle?: string | string[];
	pointRotation?: number | number[];
	pointBackgroundColor?: string | string[];
	pointBorderColor?: string | string[];
	fill?: false | string | number;
	spanGaps: false;
	order: number;
	meta?: PointMeta[];
}

export interface Annotation {
	type: 'line' | 'point' | 'label';
	[key: string]: unknown;
}

export interface Panel {
	yMin: number;
	yMax: number;
	datasets: Dataset[];
	annotations: Record<string, Annotation>;
}

export interface ChartData {
	x: XMode;
	xMin: number;
	xMax: number;
	outcome: Panel;
	alliance: Panel;
}

/**
 * How a point is drawn. `fell`: a green level whose score is lower than the same measure's
 * previous rating; a fall is never drawn green, even while the signal still says on track.
 */
export type PointKind = SignalLevel | 'unrated' | 'fell';
export interface PointStyle {
	color: string;
	pointStyle: string;
	rotation: number;
}

const GREEN: PointStyle = { color: '#1a7f37', pointStyle: 'circle', rotation: 0 };
const AMBER: PointStyle = { color: '#9a6700', pointStyle: 'triangle', rotation: 0 };
const RED: PointStyle = { color: '#cf222e', pointStyle: 'rectRot', rotation: 0 };
const GREY: PointStyle = { color: '#57606a', pointStyle: 'circle', rotation: 0 };
/** Signal colours with at least 3:1 contrast on white (WCAG 1.4.11); shapes differ too, so colour is never the only cue. */
export const SIGNAL_STYLE: Record<PointKind, PointStyle> = {
	'on-track': GREEN,
	fine: GREEN,
	watch: AMBER,
	'not-on-track': RED,
	'below-cutoff': RED,
	dropped: RED,
	none: GREY,
	missing: GREY,
	'not-measured': GREY,
	unrated: GREY,
	// A triangle pointing down, in the grey of "no signal".
	fell: { color: '#57606a', pointStyle: 'triangle', rotation: 180 }
};

/** The legend's rows: one per way of drawing a point, in the order a reader meets them. */
export const LEGEND_KINDS = ['on-track', 'watch', 'not-on-track', 'fell', 'unrated'] as const satisfies readonly PointKind[];
export type LegendKind = (typeof LEGEND_KINDS)[number];

/** Which legend row a point kind is drawn as. */
export function legendKind(kind: PointKind): LegendKind {
	const style = SIGNAL_STYLE[kind];
	return LEGEND_KINDS.find((k) => SIGNAL_STYLE[k] === style) ?? 'unrated';
}

const GREEN_LEVELS: ReadonlySet<PointKind> = new Set(['on-track', 'fine']);

/** Each point's kind: its level, except that a green level after a fall is `fell`. */
export function pointKinds(meta: PointMeta[]): PointKind[] {
	let previous: number | null = null;
	return meta.map((p) => {
		const kind: PointKind = p.level ?? 'unrated';
		const fell = p.total !== null && previous !== null && p.total < previous;
		if (p.total !== null) previous = p.total;
		return fell && GREEN_LEVELS.has(kind) ? 'fell' : kind;
	});
}
const LINE = '#1f2328';
const CUTOFF = '#0969da';
const BAND = 'rgba(26, 127, 55, 0.12)';
const ITEM_COLORS = ['#0969da', '#8250df', '#bf3989', '#9a6700'];
const ITEM_DASH = [[], [6, 3], [2, 3], [10, 3, 2, 3]];
const DAY_MS = 86_400_000;
/** Date mode: the share of the time span left free to the right of the latest point. */
const DATE_LABEL_ROOM = 0.2;
/** Expected lines run this many sessions past the latest one, so the next session has a target. */
const EXPECTED_AHEAD = 2;

const attended = (h: History): SessionEntry[] => h.filter((e) => e.attendance === 'attended');

function xOf(entry: SessionEntry, mode: XMode): number {
	return mode === 'session' ? entry.session : Date.parse(entry.date);
}

/** Where an appointment that did not happen sits: half-way before the session that followed it. */
function missedX(entry: SessionEntry, mode: XMode): number {
	return mode === 'session' ? entry.session - 0.5 : Date.parse(entry.date);
}

/**
 * Where each missed appointment's mark goes. Marks that would share a spot (two missed before the
 * same session, or on the same day) are spread evenly over the room around it: in session mode
 * the gap between the sessions, in date mode a day either side.
 */
function missedSpots(history: History, mode: XMode): Map<number, number> {
	const groups = new Map<number, number[]>();
	history.forEach((e, i) => {
		if (e.attendance === 'attended') return;
		const at = mode === 'session' ? missedX(e, mode) : Date.parse(`${e.date.slice(0, 10)}T12:00:00Z`);
		groups.set(at, [...(groups.get(at) ?? []), i]);
	});
	const spots = new Map<number, number>();
	const room = mode === 'session' ? 1 : 2 * DAY_MS;
	for (const [at, members] of groups) {
		if (members.length === 1) spots.set(members[0]!, missedX(history[members[0]!]!, mode));
		else members.forEach((i, j) => spots.set(i, at - room / 2 + (room * (j + 1)) / (members.length + 1)));
	}
	return spots;
}

/**
 * Where a date falls on the x axis: the date itself, or in session mode half-way after the last
 * appointment on or before it (before the intake: 0.5).
 */
function markerX(history: History, date: string, mode: XMode): number {
	const t = Date.parse(`${date.slice(0, 10)}T23:59:59Z`);
	if (mode === 'date') return Date.parse(`${date.slice(0, 10)}T12:00:00Z`);
	const before = history.filter((e) => Date.parse(e.date) <= t).at(-1);
	return before === undefined ? 0.5 : before.session + (before.attendance === 'attended' ? 0.5 : 0);
}

export function chartData(input: ChartInput): ChartData {
	const { history, x } = input;
	const sessions = attended(history);
	const xs = history.map((e) => (e.attendance === 'attended' ? xOf(e, x) : missedX(e, x)));
	const last = sessions[sessions.length - 1];
	const lastSession = last?.session ?? 1;
	const xMin = x === 'session' ? 0.5 : xs.length === 0 ? 0 : Math.min(...xs) - DAY_MS * 3;
	// Date mode keeps a strip on the right free of points for the cutoff label, as session mode does
	// with the sessions ahead.
	const followUps = input.followUp?.points ?? [];
	if (x === 'date') for (const p of followUps) xs.push(Date.parse(p.date));
	const span = xs.length === 0 ? 0 : Math.max(...xs) - Math.min(...xs);
	const xMax =
		x === 'session' ? Math.max(lastSession + EXPECTED_AHEAD, lastSession + followUps.length + 1, 6) + 0.5 : xs.length === 0 ? DAY_MS : Math.max(...xs) + Math.max(DAY_MS * 3, span * DATE_LABEL_ROOM);

	// Signals as they stood at each session; not worked out at all when they are not to be shown.
	const levels = input.signals ? (input.levels ?? sessionLevels(history, input.outcome, input.alliance, input.expected, input.checkpoints)) : null;

	const outcome = panel('outcome', input, sessions, levels?.outcome ?? new Map());
	const alliance = panel('alliance', input, sessions, levels?.alliance ?? new Map());

	// Missed appointments: a mark on the x axis of both panels, side by side where several share a spot.
	const spots = missedSpots(history, x);
	history.forEach((entry, i) => {
		if (entry.attendance === 'attended') return;
		for (const p of [outcome, alliance]) {
			p.annotations[`missed-${i}`] = {
				type: 'point',
				xValue: spots.get(i)!,
				// Just above the axis line, so the whole mark shows.
				yValue: p.yMin + (p.yMax - p.yMin) * 0.04,
				pointStyle: 'crossRot',
				radius: 7,
				borderWidth: 2,
				borderColor: '#57606a',
				backgroundColor: 'transparent',
				attendance: entry.attendance,
				label: input.text.missed
			};
		}
	});

	if (input.marker != null) {
		const at = markerX(history, input.marker.date, x);
		for (const p of [outcome, alliance]) {
			p.annotations['marker'] = {
				type: 'line',
				xMin: at,
				xMax: at,
				borderColor: '#6e40c9',
				borderWidth: 2,
				borderDash: [4, 4],
				label: { display: true, content: input.marker.label, position: 'start', backgroundColor: 'rgba(110,64,201,0.9)', font: { size: 11 } }
			};
		}
	}

	if (input.show === 'totals' && input.outcome !== null && input.followUp != null) addFollowUps(outcome, input.followUp, input, lastSession);
	if (input.show === 'totals' && input.outcome !== null) addExpected(outcome, input, sessions, lastSession);
	if (input.show === 'totals' && input.signals) addReliableChange(outcome, input, sessions);
	return { x, xMin, xMax, outcome, alliance };
}

function panel(kind: 'outcome' | 'alliance', input: ChartInput, sessions: SessionEntry[], levels: Map<number, PointSignal>): Panel {
	const measure = input[kind];
	const showItems = input.show === `${kind}-items`;
	const result: Panel = { yMin: 0, yMax: showItems ? 10 : 40, datasets: [], annotations: {} };
	if (measure === null) return result;
	const ratingOf = (e: SessionEntry) => (kind === 'outcome' ? e.outcome : e.alliance);
	const meta: PointMeta[] = sessions.map((e) => {
		const r = ratingOf(e);
		const l = levels.get(e.session);
		return { session: e.session, date: e.date, total: r?.total ?? null, items: r === null ? null : { ...r.items }, level: l?.level ?? null, reasons: l?.reasons.map(input.text.reason) ?? [] };
	});
	if (showItems) {
		measure.items.forEach((item, i) => {
			result.datasets.push({
				id: `${kind}-item-${item.key}`,
				label: item.label,
				data: sessions.map((e) => ({ x: xOf(e, input.x), y: ratingOf(e)?.items[item.key] ?? null })),
				borderColor: ITEM_COLORS[i % ITEM_COLORS.length]!,
				backgroundColor: ITEM_COLORS[i % ITEM_COLORS.length]!,
				borderWidth: 2,
				borderDash: ITEM_DASH[i % ITEM_DASH.length]!,
				pointRadius: 3,
				spanGaps: false,
				order: 1,
				meta
			});
		});
		return result;
	}
	const styles = pointKinds(meta).map((k) => SIGNAL_STYLE[k]);
	result.datasets.push({
		id: `${kind}-total`,
		label: kind === 'outcome' ? input.text.outcomeTotal : input.text.allianceTotal,
		data: sessions.map((e) => ({ x: xOf(e, input.x), y: ratingOf(e)?.total ?? null })),
		borderColor: LINE,
		backgroundColor: LINE,
		borderWidth: 2,
		pointRadius: 6,
		pointStyle: styles.map((s) => s.pointStyle),
		pointRotation: styles.map((s) => s.rotation),
		pointBackgroundColor: styles.map((s) => s.color),
		pointBorderColor: styles.map((s) => s.color),
		spanGaps: false,
		order: 0,
		meta
	});
	result.annotations.cutoff = {
		type: 'line',
		yMin: measure.cutoff,
		yMax: measure.cutoff,
		borderColor: CUTOFF,
		borderWidth: 2,
		borderDash: [6, 4],
		// At the right end, past the latest point (session mode runs sessions ahead, date mode keeps
		// a strip free), so no rating sits under it; the intake at the left end did. Above the
		// outcome line, below the alliance line. No box: the text is outlined in white, so the
		// expected lines behind it still show.
		label: {
			display: true,
			content: (kind === 'outcome' ? input.text.cutoff : input.text.allianceCutoff)(input.text.number(measure.cutoff)),
			position: 'end',
			yAdjust: kind === 'outcome' ? -12 : 12,
			backgroundColor: 'transparent',
			color: CUTOFF,
			textStrokeColor: '#ffffff',
			textStrokeWidth: 3,
			font: { size: 12 }
		}
	};
	return result;
}

const FOLLOW_UP = '#6e40c9';

/** The end of the episode as a dashed line, and each follow-up after it as a square, not joined to the sessions. */
function addFollowUps(outcome: Panel, followUp: NonNullable<ChartInput['followUp']>, input: ChartInput, lastSession: number): void {
	const endX = input.x === 'session' ? lastSession + 0.5 : Date.parse(`${followUp.ended.slice(0, 10)}T12:00:00Z`);
	outcome.annotations['ended'] = {
		type: 'line',
		xMin: endX,
		xMax: endX,
		borderColor: '#57606a',
		borderWidth: 1.5,
		borderDash: [2, 4],
		label: { display: true, content: input.text.ended, position: 'start', backgroundColor: 'rgba(87,96,106,0.9)', font: { size: 11 } }
	};
	if (followUp.points.length === 0) return;
	const xs = followUp.points.map((p, i) => (input.x === 'session' ? lastSession + 1 + i : Date.parse(p.date)));
	outcome.datasets.push({
		id: 'outcome-follow-up',
		label: input.text.followUp,
		data: followUp.points.map((p, i) => ({ x: xs[i]!, y: p.total })),
		borderColor: FOLLOW_UP,
		backgroundColor: FOLLOW_UP,
		// Points only: a follow-up is no session, so no line joins it to the course.
		borderWidth: 0,
		pointRadius: 7,
		pointStyle: 'rect',
		spanGaps: false,
		order: 0,
		meta: followUp.points.map((p) => ({ session: 0, date: p.date, total: p.total, items: null, level: null, reasons: [] }))
	});
}

/** Target and critical lines as a shaded band, and the expected mean, for this patient's intake. */
function addExpected(outcome: Panel, input: ChartInput, sessions: SessionEntry[], lastSession: number): void {
	if (input.expected === null) return;
	const intake = intakeScore(input.history);
	if (intake === null) return;
	// Session mode: every session to a little past the latest. Date mode: the sessions that took place.
	const points: { x: number; session: number }[] =
		input.x === 'session' ? Array.from({ length: lastSession + EXPECTED_AHEAD }, (_, i) => ({ x: i + 1, session: i + 1 })) : sessions.map((e) => ({ x: Date.parse(e.date), session: e.session }));
	const rows = points.map((p) => ({ ...p, score: expectedScore(input.expected!, intake, p.session) }));
	const line = (pick: 'target' | 'critical' | 'expected') => rows.map((r) => ({ x: r.x, y: r.score.ok ? round1(r.score[pick]) : null }));
	const base = { borderWidth: 1.5, pointRadius: 0, spanGaps: false as const, order: 2 };
	outcome.datasets.push(
		{ ...base, id: 'critical', label: input.text.critical, data: line('critical'), borderColor: '#cf222e', backgroundColor: BAND, borderDash: [4, 4], fill: false },
		{ ...base, id: 'target', label: input.text.target, data: line('target'), borderColor: '#1a7f37', backgroundColor: BAND, borderDash: [4, 4], fill: '-1' },
		{ ...base, id: 'expected', label: input.text.expected, data: line('expected'), borderColor: '#57606a', backgroundColor: '#57606a', borderDash: [1, 3], fill: false }
	);
}

/**
 * The first session where improvement since intake became reliable, and the first where
 * deterioration did: each marked once (`reliable-change-improved`, `reliable-change-deteriorated`).
 */
function addReliableChange(outcome: Panel, input: ChartInput, sessions: SessionEntry[]): void {
	const intake = intakeScore(input.history);
	const rci = input.outcome?.rci;
	if (intake === null || rci == null) return;
	const first = new Map<'improved' | 'deteriorated', SessionEntry & { outcome: NonNullable<SessionEntry['outcome']> }>();
	for (const e of sessions) {
		if (e.session === 1 || e.outcome === null) continue;
		const direction = reliableDirection(intake, e.outcome.total, rci);
		const key = direction === 1 ? 'improved' : direction === -1 ? 'deteriorated' : null;
		if (key !== null && !first.has(key)) first.set(key, { ...e, outcome: e.outcome });
	}
	for (const [direction, e] of first) {
		const improved = direction === 'improved';
		outcome.annotations[`reliable-change-${direction}`] = {
			type: 'label',
			xValue: xOf(e, input.x),
			yValue: e.outcome.total,
			yAdjust: improved ? -22 : 22,
			content: improved ? input.text.improved : input.text.deteriorated,
			direction,
			session: e.session,
			color: improved ? '#1a7f37' : '#cf222e',
			backgroundColor: 'rgba(255,255,255,0.9)',
			font: { size: 12, weight: 'bold' }
		};
	}
}

function round1(n: number): number {
	return Math.round(n * 10) / 10;
}
