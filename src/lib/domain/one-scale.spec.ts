import { describe, expect, it } from 'vitest';
import { checkpoints } from './checkpoints';
import { summarizeEpisode } from './episode';
import { buildHistory } from '../../../tests/support/history-builder';
import { type History, intakeScale } from './history';
import { changeSince } from './milestones';
import { riskConditions } from './risk';
import { sessionSignals } from './session-signals';
import { DEFAULT_ATTENDANCE_CONFIG } from './attendance-signals';
import { DEFAULT_CHECKLIST } from './checklist';

// One scale at a time (docs/clinical/change.md): a child-measure intake of 20 and adult-measure
// ratings of 27 and 28 are not "7 points better". Child cutoff 32, adult 25, reliable change 5
// (docs/clinical/measures.md).
const child = buildHistory([[20, 38]], { outcomeId: 'stemme-outcome-child' });
const adult = buildHistory(
	[
		[27, 38],
		[28, 38],
		[27, 38],
		[28, 38],
		[27, 38],
		[28, 38]
	],
	{ start: '2025-01-13' }
);
// The adult rows are numbered 1…6 by the builder; renumber them 2…7 after the child intake.
const mixed: History = [...child, ...adult.map((e) => ({ ...e, session: e.session + 1 }))];
const adultOnly: History = buildHistory([
	[20, 38],
	[27, 38],
	[28, 38]
]);

describe('intakeScale — the one rule', () => {
	it('keeps the intake and the later ratings on its instrument, and sets the rest apart', () => {
		const scale = intakeScale(mixed);
		expect(scale.intake?.instrumentId).toBe('stemme-outcome-child');
		expect(scale.series).toEqual([{ session: 1, total: 20 }]);
		expect(scale.otherScale.map((r) => r.session)).toEqual([2, 3, 4, 5, 6, 7]);
	});
	it('treats another version of the same instrument as another scale', () => {
		const v2: History = adultOnly.map((e, i) => (i === 2 && e.outcome !== null ? { ...e, outcome: { ...e.outcome, instrumentVersion: 2 } } : e));
		expect(intakeScale(v2).series.map((r) => r.session)).toEqual([1, 2]);
	});
});

describe('every consumer compares on the intake scale only', () => {
	it.each([
		// Same numbers on one scale: 20 → 28 = +8 ≥ 5, intake 20 < 25 and 28 ≥ 25 → recovered.
		{ name: 'adult intake, adult ratings', history: adultOnly, usable: true },
		// Child intake 20, adult 27 and 28: nothing on the child scale after the intake → not applicable.
		{ name: 'child intake, adult ratings', history: mixed, usable: false }
	])('summary: $name', ({ history, usable }) => {
		const s = summarizeEpisode({ history, ending: 'planned_completion', thresholds: { cutoff: 25, rci: 5 } });
		expect(s.usable).toBe(usable);
		if (s.usable) expect(s).toMatchObject({ intake: 20, last: 28, change: 8, changeClass: 'recovered' });
		else expect(s).toEqual({ usable: false, reason: 'fewer-than-two-ratings' });
	});

	it('checkpoints: no rating on the intake scale at or after session 3 → missing, never "improved"', () => {
		const c = checkpoints(mixed, { discussSession: 3, changeApproachSession: 6, rci: 5 });
		expect(c.discuss).toEqual({ session: 3, status: 'missing-rating', evaluatedAt: null, change: null });
		expect(c.changeApproach.status).toBe('missing-rating');
		// No later rating on the child scale: deterioration cannot be judged yet.
		expect(c.deterioration.status).toBe('pending');
	});

	it('signal: the latest adult rating is not compared with the child intake', () => {
		const s = sessionSignals(mixed, { outcome: { cutoff: 32, rci: 5 }, alliance: { cutoff: 36, drop: 1 } }, null);
		expect(s.outcome).toMatchObject({ level: 'none', reasons: [{ rule: 'outcome-instrument-changed' }] });
	});

	it('flags: no "no reliable improvement" flag from ratings on another scale', () => {
		const conditions = riskConditions({
			history: mixed,
			thresholds: { outcome: { cutoff: 32, rci: 5 }, alliance: { cutoff: 36, drop: 1 } },
			model: null,
			appointments: [],
			episode: { start: '2025-01-06', transition: null },
			now: new Date('2025-03-01T12:00:00Z'),
			attendance: { ...DEFAULT_ATTENDANCE_CONFIG, plannedIntervalDays: 365 },
			checklist: { ...DEFAULT_CHECKLIST, factors: [] },
			answers: {},
			age: null
		});
		expect(conditions.map((c) => c.rule)).toEqual([]);
	});

	it.each([
		// From session 2 (27) to the latest (28) on the adult scale: +1, unchanged.
		{ name: 'same scale', history: adultOnly, from: 2, expected: { fromSession: 2, from: 27, latestSession: 3, latest: 28, change: 1, changeClass: 'unchanged' } },
		// The base at or before session 2 on the child intake's scale is the intake (20), and no later
		// child rating exists → null, never 20 → 28.
		{ name: 'across scales', history: mixed, from: 2, expected: null }
	])('milestone change since: $name', ({ history, from, expected }) => {
		expect(changeSince(history, from, { cutoff: 25, rci: 5 })).toEqual(expected);
	});
});

describe('thresholds are compared as given (docs/clinical/measures.md, conventions)', () => {
	const two = (first: number, second: number): History =>
		buildHistory([
			[20, first],
			[22, second]
		]);
	it.each([
		// A local cutoff of 35.94: 35.9 < 35.94 → below; rounding it to 35.9 would have said fine.
		{ totals: [38, 35.9], cutoff: 35.94, drop: 1, level: 'below-cutoff' },
		// 36.0 ≥ 35.94 → fine.
		{ totals: [36, 36], cutoff: 35.94, drop: 1, level: 'fine' },
		// A drop of 0.04: an unchanged alliance (fall 0) is not a drop; rounding 0.04 to 0 made it one.
		{ totals: [38, 38], cutoff: 36, drop: 0.04, level: 'fine' },
		// A fall of 0.1 ≥ 0.04 → dropped.
		{ totals: [38, 37.9], cutoff: 36, drop: 0.04, level: 'dropped' },
		// A drop of 0.3: 0.3 × 10 = 3.0000000000000004 in floats; a fall of 3 tenths is still a drop.
		{ totals: [38, 37.7], cutoff: 36, drop: 0.3, level: 'dropped' },
		// A cutoff of 25.3 (×10 = 253.00000000000003): a total of exactly 25.3 is not below it.
		{ totals: [38, 25.3], cutoff: 25.3, drop: 20, level: 'fine' }
	])('alliance $totals, cutoff $cutoff, drop $drop → $level', ({ totals, cutoff, drop, level }) => {
		const s = sessionSignals(two(totals[0]!, totals[1]!), { outcome: { cutoff: 25, rci: 5 }, alliance: { cutoff, drop } }, null);
		expect(s.alliance.level).toBe(level);
	});
});

describe('reliable change: > for an RCI from SD and r, ≥ for the literal 5 (docs/clinical/change.md)', () => {
	// r = 0.5, SD = 2.5: 1.96 × √2 × 2.5 × √0.5 = 1.96 × 2.5 = 4.9, on the 0.1 grid.
	const computed = 1.96 * Math.SQRT2 * 2.5 * Math.sqrt(0.5);
	it.each([
		{ latest: 24.9, rci: computed, strict: true, level: 'watch', why: '+4.9 is not > 4.9 → no reliable change at session 3' },
		{ latest: 25, rci: computed, strict: true, level: 'on-track', why: '+5.0 > 4.9' },
		{ latest: 25, rci: 5, strict: false, level: 'on-track', why: '+5 ≥ 5 (the literal rule)' },
		{ latest: 24.9, rci: 5, strict: false, level: 'watch', why: '+4.9 < 5' },
		{ latest: 15.1, rci: computed, strict: true, level: 'watch', why: '−4.9 is not a reliable fall' },
		{ latest: 15, rci: computed, strict: true, level: 'not-on-track', why: '−5.0: reliable deterioration' }
	])('intake 20 → $latest at session 3: $why', ({ latest, rci, strict, level }) => {
		const history = buildHistory([
			[20, 38],
			[20, 38],
			[latest, 38]
		]);
		const s = sessionSignals(history, { outcome: { cutoff: 25, rci, strict }, alliance: { cutoff: 36, drop: 1 } }, null);
		expect(s.outcome.level).toBe(level);
	});
});

describe('an episode with an outcome measure but no alliance measure (docs/clinical/change.md)', () => {
	// Child 6–12, cutoff 32, RCI 5: intake 26, then 20 at session 2 → −6, reliable deterioration.
	const history = buildHistory(
		[
			[26, null],
			[20, null]
		],
		{ outcomeId: 'stemme-outcome-child' }
	);
	it('gets its outcome signal, and the alliance is "not measured"', () => {
		const s = sessionSignals(history, { outcome: { cutoff: 32, rci: 5 }, alliance: null }, null);
		expect(s.outcome).toMatchObject({ level: 'not-on-track', reasons: [{ rule: 'reliable-deterioration' }] });
		expect(s.alliance).toMatchObject({ level: 'not-measured', reasons: [{ rule: 'alliance-not-measured' }] });
	});
	it('raises the deterioration flag', () => {
		const conditions = riskConditions({
			history,
			thresholds: { outcome: { cutoff: 32, rci: 5 }, alliance: null },
			model: null,
			appointments: [],
			episode: { start: '2025-01-06', transition: null },
			now: new Date('2025-01-20T12:00:00Z'),
			attendance: { ...DEFAULT_ATTENDANCE_CONFIG, plannedIntervalDays: 365 },
			checklist: { ...DEFAULT_CHECKLIST, factors: [] },
			answers: {},
			age: 9
		});
		// 20 − 26 = −6, |−6| ≥ 5 → reliable deterioration.
		expect(conditions.map((c) => [c.rule, c.params.change])).toEqual([['reliable-deterioration', -6]]);
	});
});
