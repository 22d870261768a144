import { describe, expect, it } from 'vitest';
import { buildHistory } from '../../../tests/support/history-builder';
import type { ExpectedTable } from '$lib/domain/expected-table';
import { chartData, LEGEND_KINDS, legendKind, SIGNAL_STYLE, type ChartInput } from './chart-data';

const text: ChartInput['text'] = {
	outcomeTotal: 'Outcome',
	allianceTotal: 'Alliance',
	cutoff: (v) => `Cutoff ${v}`,
	allianceCutoff: (v) => `Alliance cutoff ${v}`,
	target: 'Target',
	critical: 'Critical',
	expected: 'Expected',
	followUp: 'Follow-up',
	ended: 'Ended',
	improved: 'Reliable improvement',
	deteriorated: 'Reliable deterioration',
	missed: 'Missed',
	reason: (r) => r.rule,
	number: (n) => String(n)
};
const items = (keys: string[]) => keys.map((key) => ({ key, label: key }));
// docs/clinical/measures.md: adult outcome cutoff 25, reliable change 5; alliance cutoff 36, drop 1.
const base = (over: Partial<ChartInput> = {}): ChartInput => ({
	history: buildHistory([[17, 38], 'no_show', [19, 37], [null, null], [23, 35], [27, 38]]),
	outcome: { cutoff: 25, rci: 5, items: items(['self', 'close', 'daily', 'overall']) },
	alliance: { cutoff: 36, drop: 1, items: items(['heard', 'goals', 'approach', 'overall']) },
	expected: null,
	x: 'session',
	show: 'totals',
	signals: true,
	text,
	...over
});
// A licensed table (expected-table.ts): for intake 17, target 20 at session 2 … 26 at session 5.
const table: ExpectedTable = {
	id: 't',
	instrument: { id: 'stemme-outcome-adult', version: 1 },
	source: 'test table',
	sessions: [2, 3, 4, 5],
	rows: [{ intake: 17, expected: [19, 21, 23, 24], target: [20, 22, 24, 26], critical: [15, 16, 17, 18] }]
} as ExpectedTable;

describe('chartData — totals', () => {
	it('puts outcome totals at their session numbers with a gap where a session has no rating', () => {
		const d = chartData(base());
		const total = d.outcome.datasets.find((s) => s.id === 'outcome-total')!;
		// Sessions 1–5 attended (the no-show keeps number 2 for the next session): 17, 19, –, 23, 27.
		expect(total.data).toEqual([
			{ x: 1, y: 17 },
			{ x: 2, y: 19 },
			{ x: 3, y: null },
			{ x: 4, y: 23 },
			{ x: 5, y: 27 }
		]);
		expect(total.spanGaps).toBe(false);
		const alliance = d.alliance.datasets.find((s) => s.id === 'alliance-total')!;
		expect(alliance.data.map((p) => p.y)).toEqual([38, 37, null, 35, 38]);
	});

	it('draws the cutoff of each panel as a labelled line, the label at the right end, past every point', () => {
		const d = chartData(base());
		expect(d.outcome.annotations.cutoff).toMatchObject({ type: 'line', yMin: 25, yMax: 25, label: { content: 'Cutoff 25', position: 'end' } });
		// The latest session is 5; the axis runs to 5 + 2 sessions ahead + 0.5, so the label's end is clear of ratings.
		expect(d.xMax).toBe(7.5);
		// Above the outcome line, below the alliance line: where that panel's ratings mostly are not.
		expect((d.outcome.annotations.cutoff!.label as { yAdjust: number }).yAdjust).toBeLessThan(0);
		expect(d.alliance.annotations.cutoff).toMatchObject({ type: 'line', yMin: 36, yMax: 36, label: { position: 'end' } });
		expect((d.alliance.annotations.cutoff!.label as { yAdjust: number }).yAdjust).toBeGreaterThan(0);
	});

	it('marks the missed appointment on the x axis half-way before the session that followed', () => {
		const d = chartData(base());
		// Drawn 4 % above the axis line (40 × 0.04 = 1.6) so the whole mark shows.
		expect(d.outcome.annotations['missed-1']).toMatchObject({ type: 'point', xValue: 1.5, yValue: 1.6, attendance: 'no_show' });
		expect(d.alliance.annotations['missed-1']).toMatchObject({ xValue: 1.5 });
	});

	it('spreads two missed appointments before the same session over the gap instead of drawing one on the other', () => {
		const d = chartData(base({ history: buildHistory([[17, 38], 'no_show', 'cancelled', [19, 37]]) }));
		// Both would sit at 1.5 (half-way before session 2); spread over 1–2 in thirds: 1.33 and 1.67.
		const at = [d.outcome.annotations['missed-1']!.xValue as number, d.outcome.annotations['missed-2']!.xValue as number];
		expect(at[0]).toBeCloseTo(1 + 1 / 3, 6);
		expect(at[1]).toBeCloseTo(1 + 2 / 3, 6);
		expect(d.alliance.annotations['missed-2']!.xValue).toBeCloseTo(1 + 2 / 3, 6);
	});

	it('never draws a fall green: a rating below the previous one with a green signal is the grey downward triangle', () => {
		// Outcome 17 → 24 (+7, reliable improvement, on track) → 22 (still +5 since intake, on track, but down 2).
		// Alliance 38 → 38 (fine) → 37.5 (fall 0.5 < drop 1: fine, but down).
		const d = chartData(
			base({
				history: buildHistory([
					[17, 38],
					[24, 38],
					[22, 37.5]
				])
			})
		);
		const outcome = d.outcome.datasets.find((s) => s.id === 'outcome-total')!;
		expect(outcome.meta!.map((p) => p.level)).toEqual(['none', 'on-track', 'on-track']);
		expect(outcome.pointBackgroundColor).toEqual([SIGNAL_STYLE.none.color, SIGNAL_STYLE['on-track'].color, SIGNAL_STYLE.fell.color]);
		expect(outcome.pointRotation).toEqual([0, 0, 180]);
		const alliance = d.alliance.datasets.find((s) => s.id === 'alliance-total')!;
		expect(alliance.meta!.map((p) => p.level)).toEqual(['fine', 'fine', 'fine']);
		expect(alliance.pointBackgroundColor).toEqual([SIGNAL_STYLE.fine.color, SIGNAL_STYLE.fine.color, SIGNAL_STYLE.fell.color]);
		expect(SIGNAL_STYLE.fell.color).not.toBe(SIGNAL_STYLE['on-track'].color);
	});

	it('has one legend row for every way a point is drawn', () => {
		const kinds = Object.keys(SIGNAL_STYLE) as (keyof typeof SIGNAL_STYLE)[];
		// Every kind maps to a row drawn exactly like it.
		for (const k of kinds) expect(SIGNAL_STYLE[legendKind(k)]).toBe(SIGNAL_STYLE[k]);
		expect(new Set(LEGEND_KINDS.map((k) => SIGNAL_STYLE[k])).size).toBe(LEGEND_KINDS.length);
	});

	it('marks the first session where the change became reliable (17 → 23 = +6 ≥ 5 at session 4)', () => {
		const d = chartData(base());
		expect(d.outcome.annotations['reliable-change-improved']).toMatchObject({ type: 'label', session: 4, direction: 'improved', xValue: 4, yValue: 23 });
		expect(d.outcome.annotations['reliable-change-deteriorated']).toBeUndefined();
	});

	it('marks reliable deterioration (20 → 15 = −5 at session 2)', () => {
		const d = chartData(
			base({
				history: buildHistory([
					[20, 38],
					[15, 38]
				])
			})
		);
		expect(d.outcome.annotations['reliable-change-deteriorated']).toMatchObject({ session: 2, direction: 'deteriorated', content: 'Reliable deterioration' });
	});

	it('marks both the first reliable improvement and the first reliable deterioration, each once', () => {
		// Intake 20: 26 (+6) at session 2, 27 at 3, 14 (−6) at 4, 13 at 5; reliable change 5.
		const d = chartData(
			base({
				history: buildHistory([
					[20, 38],
					[26, 38],
					[27, 38],
					[14, 38],
					[13, 38]
				])
			})
		);
		const marks = Object.entries(d.outcome.annotations).filter(([k]) => k.startsWith('reliable-change'));
		expect(marks.map(([k, a]) => [k, a.session])).toEqual([
			['reliable-change-improved', 2],
			['reliable-change-deteriorated', 4]
		]);
	});

	it('colours and shapes points by the signal as it stood at each session', () => {
		const total = chartData(base()).outcome.datasets.find((s) => s.id === 'outcome-total')!;
		// Rules only: s1 intake → none; s2 +2 before the checkpoint → on track; s3 unrated;
		// s4 +6 reliable → on track; s5 +10 → on track.
		expect(total.meta!.map((m) => m.level)).toEqual(['none', 'on-track', null, 'on-track', 'on-track']);
		expect(total.pointStyle).toEqual(['circle', 'circle', 'circle', 'circle', 'circle']);
		expect(total.pointBackgroundColor).toEqual(['#57606a', '#1a7f37', '#57606a', '#1a7f37', '#1a7f37']);
		const alliance = chartData(base()).alliance.datasets[0]!;
		// 38 fine; 37 dropped (fall 1 ≥ drop 1); –; 35 below cutoff 36; 38 fine.
		expect(alliance.meta!.map((m) => m.level)).toEqual(['fine', 'dropped', null, 'below-cutoff', 'fine']);
		expect(alliance.pointStyle).toEqual(['circle', 'rectRot', 'circle', 'rectRot', 'circle']);
	});

	it("judges each session by the installation's checkpoint sessions", () => {
		const total = chartData(base({ checkpoints: { discussSession: 2, changeApproachSession: 3 } })).outcome.datasets[0]!;
		// s2 +2 with the discuss checkpoint at 2 → watch (on track with the default 3); s4, s5 reliable → on track
		expect(total.meta!.map((m) => m.level)).toEqual(['none', 'watch', null, 'on-track', 'on-track']);
	});

	it('leaves the signals out entirely when asked (the together view): no colours, levels, reasons or reliable-change marks', () => {
		// 20 → 15 is a reliable deterioration: with signals it is red, has a reason and a mark.
		const history = buildHistory([
			[20, 38],
			[15, 30]
		]);
		const on = chartData(base({ history }));
		expect(on.outcome.datasets[0]!.meta![1]).toMatchObject({ level: 'not-on-track', reasons: ['reliable-deterioration'] });
		expect(on.outcome.annotations['reliable-change-deteriorated']).toBeDefined();
		const off = chartData(base({ history, signals: false }));
		for (const panel of [off.outcome, off.alliance]) {
			const total = panel.datasets[0]!;
			expect(new Set(total.pointBackgroundColor)).toEqual(new Set(['#57606a']));
			expect(new Set(total.pointStyle)).toEqual(new Set(['circle']));
			expect(total.meta!.map((p) => [p.level, p.reasons])).toEqual([
				[null, []],
				[null, []]
			]);
		}
		expect(Object.keys(off.outcome.annotations).filter((k) => k.startsWith('reliable-change'))).toEqual([]);
	});

	it('uses the words it is given for the lines (the together view gives plain ones)', () => {
		const plain = { ...text, cutoff: () => 'Most people not in treatment', target: 'Hoped for', critical: 'Lower edge' };
		const d = chartData(base({ expected: table, text: plain, signals: false }));
		expect(d.outcome.annotations.cutoff).toMatchObject({ label: { content: 'Most people not in treatment' } });
		expect(d.outcome.datasets.map((s) => s.label)).toEqual(['Outcome', 'Lower edge', 'Hoped for', 'Expected']);
	});

	it('draws no expected lines without a model, and the band from a table when there is one', () => {
		expect(chartData(base()).outcome.datasets.map((s) => s.id)).toEqual(['outcome-total']);
		const d = chartData(base({ expected: table }));
		const byId = Object.fromEntries(d.outcome.datasets.map((s) => [s.id, s]));
		// Sessions 1 … last (5) + 2 = 7; session 1 is the intake itself; 6 and 7 use the last column.
		expect(byId.target!.data.map((p) => p.y)).toEqual([17, 20, 22, 24, 26, 26, 26]);
		expect(byId.critical!.data.map((p) => p.y)).toEqual([17, 15, 16, 17, 18, 18, 18]);
		expect(byId.expected!.data.map((p) => p.y)).toEqual([17, 19, 21, 23, 24, 24, 24]);
		// The band is the area between critical and target.
		expect(byId.target!.fill).toBe('-1');
		expect(d.outcome.datasets.findIndex((s) => s.id === 'critical')).toBe(d.outcome.datasets.findIndex((s) => s.id === 'target') - 1);
	});

	it('draws no expected lines when the intake has no rating (no baseline, nothing guessed)', () => {
		const d = chartData(
			base({
				history: buildHistory([
					[null, 38],
					[20, 38],
					[22, 38]
				]),
				expected: table
			})
		);
		expect(d.outcome.datasets.map((s) => s.id)).toEqual(['outcome-total']);
		expect(d.outcome.annotations['reliable-change']).toBeUndefined();
	});
});

describe('chartData — calendar dates and items', () => {
	it('uses the appointment dates on the x axis when asked', () => {
		const d = chartData(base({ x: 'date' }));
		const total = d.outcome.datasets[0]!;
		// buildHistory: weekly from 2025-01-06; entry 1 is the no-show (2025-01-13).
		expect(total.data[0]!.x).toBe(Date.parse('2025-01-06'));
		expect(total.data[1]!.x).toBe(Date.parse('2025-01-20'));
		expect(d.outcome.annotations['missed-1']).toMatchObject({ xValue: Date.parse('2025-01-13') });
		expect(d.xMin).toBeLessThan(Date.parse('2025-01-06'));
		// A fifth of the span (2025-01-06 … 2025-02-10, 35 days → 7 days) is left free on the right for the cutoff label.
		expect(d.xMax).toBe(Date.parse('2025-02-10') + 7 * 86_400_000);
	});

	it('shows the four item lines of the outcome measure on a 0–10 axis, gaps kept', () => {
		const d = chartData(base({ show: 'outcome-items' }));
		expect(d.outcome.yMax).toBe(10);
		expect(d.outcome.datasets.map((s) => s.id)).toEqual(['outcome-item-self', 'outcome-item-close', 'outcome-item-daily', 'outcome-item-overall']);
		// 17 split over four items in tenths: 4.3, 4.3, 4.2, 4.2 (history-builder).
		expect(d.outcome.datasets[0]!.data.map((p) => p.y)).toEqual([4.3, 4.8, null, 5.8, 6.8]);
		expect(d.outcome.annotations.cutoff).toBeUndefined();
		// The alliance panel keeps its totals.
		expect(d.alliance.datasets.map((s) => s.id)).toEqual(['alliance-total']);
	});

	it('shows the alliance items when asked', () => {
		const d = chartData(base({ show: 'alliance-items' }));
		expect(d.alliance.datasets).toHaveLength(4);
		expect(d.outcome.datasets.map((s) => s.id)).toEqual(['outcome-total']);
	});

	it('copes with an empty history', () => {
		const d = chartData(base({ history: [] }));
		expect(d.outcome.datasets[0]!.data).toEqual([]);
		expect(d.xMax).toBeGreaterThan(d.xMin);
		expect(chartData(base({ history: [], x: 'date' })).xMax).toBeGreaterThan(0);
	});
});

describe('the previous meeting marker', () => {
	it('marks a date on both panels: half-way after the last session on or before it, or the date itself', () => {
		const h = base().history;
		// The third session (index 2, session 2) is on the same day as the marker.
		const on = h[2]!.date.slice(0, 10);
		const d = chartData(base({ marker: { date: on, label: 'Forrige møte' } }));
		expect(d.outcome.annotations['marker']).toMatchObject({ type: 'line', xMin: 2.5, xMax: 2.5 });
		expect(d.alliance.annotations['marker']).toMatchObject({ xMin: 2.5 });
		expect(chartData(base({ marker: { date: '2000-01-01', label: 'x' } })).outcome.annotations['marker']).toMatchObject({ xMin: 0.5 });
		expect(chartData(base({ x: 'date', marker: { date: on, label: 'x' } })).outcome.annotations['marker']).toMatchObject({ xMin: Date.parse(`${on}T12:00:00Z`) });
		expect(chartData(base()).outcome.annotations['marker']).toBeUndefined();
	});
});

describe('follow-ups after the end', () => {
	// The history has five sessions (the no-show is no session); the episode ended after the last.
	const followUp = {
		ended: '2026-12-04',
		points: [
			{ date: '2027-01-05T18:00:00Z', total: 24 },
			{ date: '2027-03-06T10:00:00Z', total: 29 }
		]
	};

	it('draws each answered follow-up as a square after a line at the end, not joined to the sessions', () => {
		const d = chartData(base({ followUp }));
		expect(d.outcome.annotations['ended']).toMatchObject({ type: 'line', xMin: 5.5, xMax: 5.5 });
		const set = d.outcome.datasets.find((s) => s.id === 'outcome-follow-up')!;
		// One apart after session 5: no session numbers of their own.
		expect(set.data).toEqual([
			{ x: 6, y: 24 },
			{ x: 7, y: 29 }
		]);
		expect(set).toMatchObject({ borderWidth: 0, pointStyle: 'rect' });
		expect(d.xMax).toBeGreaterThanOrEqual(7.5);
		// The alliance panel has no follow-up: the form sent after discharge is the outcome form alone.
		expect(d.alliance.datasets.map((s) => s.id)).toEqual(['alliance-total']);
	});

	it('puts them on their day in date mode, inside the axis', () => {
		const d = chartData(base({ followUp, x: 'date' }));
		const set = d.outcome.datasets.find((s) => s.id === 'outcome-follow-up')!;
		expect(set.data.map((p) => p.x)).toEqual([Date.parse('2027-01-05T18:00:00Z'), Date.parse('2027-03-06T10:00:00Z')]);
		expect(d.xMax).toBeGreaterThan(Date.parse('2027-03-06T10:00:00Z'));
	});

	it('marks the end even before any follow-up is answered, and nothing without one', () => {
		expect(chartData(base({ followUp: { ended: '2026-12-04', points: [] } })).outcome.annotations['ended']).toBeDefined();
		expect(chartData(base()).outcome.datasets.map((s) => s.id)).toEqual(['outcome-total']);
	});
});
