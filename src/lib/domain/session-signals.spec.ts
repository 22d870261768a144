import { describe, expect, it } from 'vitest';
import type { ExpectedTable } from './expected-table';
import { type HistoryRow, buildHistory } from '../../../tests/support/history-builder';
import { sessionSignals, type SignalThresholds } from './session-signals';
import type { FittedModel } from './trajectory-model';

// docs/clinical/measures.md: outcome cutoff 25, reliable change 5; alliance cutoff 36, drop 1. docs/clinical/change.md checkpoints 3 and 6.
const thresholds: SignalThresholds = { outcome: { cutoff: 25, rci: 5 }, alliance: { cutoff: 36, drop: 1 } };
const o = (total: number | null): HistoryRow => [total, 38];
const a = (total: number | null): HistoryRow => [20, total];

/** expected = intake + 2·ln t; target = expected + 1, critical = expected − 3 at every session. */
const model: FittedModel = {
	kind: 'fitted',
	method: 'ols',
	mixed: null,
	totalRange: { min: 0, max: 40 },
	version: 'test',
	fittedAt: '2025-01-01T00:00:00.000Z',
	coefficients: { g00: 0, g01: 1, g10: 2, g11: 0 },
	episodes: 100,
	ratings: 500,
	residualSd: 3,
	percentiles: { target: 50, critical: 10 },
	maxSession: 4,
	intakeRange: { min: 0, max: 40 },
	bands: [2, 3, 4].map((session) => ({ session, ratings: 100, successfulRatings: 50, target: 1, critical: -3, targetFrom: session, criticalFrom: session }))
};

const table: ExpectedTable = {
	kind: 'table',
	id: 't',
	instrument: { id: 'x', version: 1 },
	source: 'test',
	sessions: [3],
	rows: [{ intake: 20, expected: [23], target: [24], critical: [19] }]
};

describe('sessionSignals — outcome without a model (rule checkpoints + reliable change)', () => {
	it.each([
		{ name: 'empty history', rows: [], level: 'none', rule: 'no-attended-session' },
		{ name: 'only missed appointments', rows: ['no_show' as const, 'cancelled' as const], level: 'none', rule: 'no-attended-session' },
		{ name: 'only the intake', rows: [o(17)], level: 'none', rule: 'fewer-than-two-ratings' },
		{ name: 'no rating this session', rows: [o(17), o(25), o(null)], level: 'none', rule: 'no-rating-this-session' },
		{ name: 'no intake rating', rows: [o(null), o(25)], level: 'none', rule: 'no-intake-rating' },
		// 17 → 19 at session 2: +2, before the first checkpoint (3)
		{ name: '+2 at session 2', rows: [o(17), o(19)], level: 'on-track', rule: 'before-first-checkpoint' },
		// 17 → 21 at session 3: +4 < 5 → watch (discuss)
		{ name: '+4 at session 3', rows: [o(17), o(19), o(21)], level: 'watch', rule: 'no-reliable-improvement-discuss' },
		// 17 → 22 at session 3: +5 ≥ 5 → on track
		{ name: '+5 at session 3', rows: [o(17), o(19), o(22)], level: 'on-track', rule: 'reliable-improvement' },
		// 17 → 21.9 at session 6: +4.9 → not on track (change approach)
		{ name: '+4.9 at session 6', rows: [o(17), o(18), o(19), o(20), o(21), o(21.9)], level: 'not-on-track', rule: 'no-reliable-improvement-change-approach' },
		// 20 → 15 at session 2: −5 → reliable deterioration, at any session
		{ name: '−5 at session 2', rows: [o(20), o(15)], level: 'not-on-track', rule: 'reliable-deterioration' },
		// latest appointment a no-show: judged on the last attended session (2: 17 → 19)
		{ name: 'latest is a no-show', rows: [o(17), o(19), 'no_show' as const], level: 'on-track', rule: 'before-first-checkpoint' }
	])('$name → $level ($rule)', ({ rows, level, rule }) => {
		const signal = sessionSignals(buildHistory(rows), thresholds, null).outcome;
		expect(signal).toMatchObject({ level, basis: 'rules' });
		expect(signal.reasons[0]?.rule).toBe(rule);
	});

	it('gives the numbers as parameters and an English fallback', () => {
		const signal = sessionSignals(buildHistory([o(17), o(19), o(21)]), thresholds, null).outcome;
		expect(signal.reasons[0]).toEqual({
			rule: 'no-reliable-improvement-discuss',
			params: { session: 3, intake: 17, latest: 21, change: 4, rci: 5, checkpoint: 3 },
			text: 'No reliable improvement by session 3 (change 4, reliable is 5): discuss it.'
		});
	});

	it('takes checkpoint sessions from configuration', () => {
		const custom = { ...thresholds, checkpoints: { discussSession: 2, changeApproachSession: 4 } };
		// +2 at session 2 with the discuss checkpoint at 2 → watch
		expect(sessionSignals(buildHistory([o(17), o(19)]), custom, null).outcome.level).toBe('watch');
	});
});

describe('sessionSignals — outcome against a fitted model', () => {
	// intake 20, session 2: expected = 20 + 2 × ln 2 (0.6931) = 21.386; target 22.386; critical 18.386
	it.each([
		{ latest: 22.4, level: 'on-track', rule: 'at-or-above-target' },
		{ latest: 22.3, level: 'watch', rule: 'between-critical-and-target' },
		{ latest: 18.4, level: 'watch', rule: 'between-critical-and-target' },
		{ latest: 18.3, level: 'not-on-track', rule: 'below-critical' },
		// 20 → 15 = −5: reliable deterioration decides before the lines
		{ latest: 15, level: 'not-on-track', rule: 'reliable-deterioration' }
	])('20 → $latest at session 2 → $level', ({ latest, level, rule }) => {
		const signal = sessionSignals(buildHistory([o(20), o(latest)]), thresholds, model).outcome;
		expect(signal).toMatchObject({ level, basis: 'fitted', session: 2 });
		expect(signal.reasons[0]?.rule).toBe(rule);
	});

	it('uses the last band beyond maxSession: session 10 → 20 + 2 ln 10 = 24.605, target 25.605', () => {
		const rows = [o(20), ...Array.from({ length: 8 }, () => o(22)), o(25.6)];
		const signal = sessionSignals(buildHistory(rows), thresholds, model).outcome;
		expect(signal.level).toBe('watch');
		expect(signal.reasons[0]?.params.target).toBeCloseTo(25.605, 3);
	});
});

describe('sessionSignals — outcome against a licensed table', () => {
	it.each([
		// session 3, intake 20: target 24, critical 19
		{ rows: [o(20), o(21), o(24)], level: 'on-track', basis: 'table', rule: 'at-or-above-target' },
		{ rows: [o(20), o(21), o(18.9)], level: 'not-on-track', basis: 'table', rule: 'below-critical' },
		// session 2 is before the table's first column: falls back to the rules and says so
		{ rows: [o(20), o(21)], level: 'on-track', basis: 'rules', rule: 'before-first-checkpoint' },
		{ rows: [o(20), o(15)], level: 'not-on-track', basis: 'rules', rule: 'reliable-deterioration' },
		{ rows: [o(20), o(25)], level: 'on-track', basis: 'rules', rule: 'reliable-improvement' }
	])('$rows.length sessions → $level via $basis', ({ rows, level, basis, rule }) => {
		const signal = sessionSignals(buildHistory(rows), thresholds, table).outcome;
		expect(signal).toMatchObject({ level, basis });
		expect(signal.reasons[0]?.rule).toBe(rule);
		if (basis === 'rules') expect(signal.reasons.at(-1)?.rule).toBe('model-not-applicable');
	});

	it('falls back to the change-approach and discuss rules when the table does not apply', () => {
		const tableFrom9: ExpectedTable = { ...table, sessions: [9] };
		const six = [o(20), o(20), o(20), o(20), o(20), o(21)];
		expect(sessionSignals(buildHistory(six), thresholds, tableFrom9).outcome.level).toBe('not-on-track');
		expect(sessionSignals(buildHistory(six.slice(0, 3)), thresholds, tableFrom9).outcome.level).toBe('watch');
	});
});

describe('sessionSignals — alliance (cutoff 36, drop 1)', () => {
	it.each([
		{ name: 'no sessions', rows: [], level: 'missing', rules: ['no-attended-session'] },
		{ name: 'not rated this session', rows: [a(38), a(null)], level: 'missing', rules: ['alliance-missing'] },
		{ name: 'first rating 40', rows: [a(40)], level: 'fine', rules: ['alliance-fine'] },
		// 36 is at the cutoff: fine (flag only below 36)
		{ name: 'exactly 36', rows: [a(36), a(36)], level: 'fine', rules: ['alliance-fine'] },
		{ name: '35.9', rows: [a(35.9)], level: 'below-cutoff', rules: ['alliance-below-cutoff'] },
		// 38 → 37: fall 1 ≥ 1 → dropped
		{ name: '38 → 37', rows: [a(38), a(37)], level: 'dropped', rules: ['alliance-dropped'] },
		// 38 → 37.1: fall 0.9 < 1 → fine
		{ name: '38 → 37.1', rows: [a(38), a(37.1)], level: 'fine', rules: ['alliance-fine'] },
		// 37 → 35.9: below cutoff AND fell 1.1 → both reasons, below-cutoff first
		{ name: '37 → 35.9', rows: [a(37), a(35.9)], level: 'below-cutoff', rules: ['alliance-below-cutoff', 'alliance-dropped'] },
		// previous session unrated: compared with the last rating given (38 at session 1), fall 1.5
		{ name: '38, –, 36.5', rows: [a(38), a(null), 'no_show' as const, a(36.5)], level: 'dropped', rules: ['alliance-dropped'] }
	])('$name → $level', ({ rows, level, rules }) => {
		const signal = sessionSignals(buildHistory(rows), thresholds, null).alliance;
		expect(signal.level).toBe(level);
		expect(signal.reasons.map((r) => r.rule)).toEqual(rules);
	});

	it('names the rating it compared with', () => {
		const signal = sessionSignals(buildHistory([a(38), a(null), a(36.5)]), thresholds, null).alliance;
		expect(signal.reasons[0]).toEqual({
			rule: 'alliance-dropped',
			params: { session: 3, total: 36.5, previous: 38, previousSession: 1, fall: 1.5, drop: 1 },
			text: 'Alliance fell from 38 (session 1) to 36.5, a drop of 1.5.'
		});
	});
});

/** The history with the outcome or alliance rating of entry `index` moved to another instrument. */
function rerated(rows: HistoryRow[], index: number, kind: 'outcome' | 'alliance', instrumentId: string, instrumentVersion = 1) {
	return buildHistory(rows).map((entry, i) => {
		const rating = entry[kind];
		return i === index && rating !== null ? { ...entry, [kind]: { ...rating, instrumentId, instrumentVersion } } : entry;
	});
}

describe('sessionSignals — one scale at a time (an episode may change instrument)', () => {
	it.each([
		// a child turning 13 moves from the child to the adult measure: 20 → 26 is not a change of +6
		{ name: 'intake on the child measure', index: 0, id: 'stemme-outcome-child', version: 1 },
		// a pack's version 2 is another scale than its version 1
		{ name: 'latest on version 2', index: 1, id: 'stemme-outcome-adult', version: 2 }
	])('$name: no comparison with the intake, with the reason', ({ index, id, version }) => {
		const signal = sessionSignals(rerated([o(20), o(26)], index, 'outcome', id, version), thresholds, null).outcome;
		expect(signal).toMatchObject({ level: 'none', session: 2, basis: 'rules' });
		expect(signal.reasons).toEqual([
			{
				rule: 'outcome-instrument-changed',
				params: { session: 2 },
				text: 'Session 2 was rated on another outcome instrument than the intake; change is not judged across instruments.'
			}
		]);
	});

	it('judges a latest rating on the intake instrument even if a session between was on another', () => {
		// 20 → 25 at session 3: +5 ≥ 5 → reliable improvement; session 2 (other instrument) is not used
		const signal = sessionSignals(rerated([o(20), o(30), o(25)], 1, 'outcome', 'stemme-outcome-child'), thresholds, null).outcome;
		expect(signal).toMatchObject({ level: 'on-track', reasons: [{ rule: 'reliable-improvement', params: { change: 5 } }] });
	});

	it.each([
		// 40 → 37 would be a fall of 3 ≥ 1, but the 40 was on the group measure: not judged, and said so
		{ rows: [a(40), a(37)], level: 'fine', rules: ['alliance-drop-not-judged'] },
		// below the cutoff is judged on the latest rating alone: 30 < 36
		{ rows: [a(40), a(30)], level: 'below-cutoff', rules: ['alliance-below-cutoff'] }
	])('alliance $rows.0.1 (other instrument) → $rows.1.1: $level', ({ rows, level, rules }) => {
		const signal = sessionSignals(rerated(rows, 0, 'alliance', 'stemme-alliance-group'), thresholds, null).alliance;
		expect(signal.level).toBe(level);
		expect(signal.reasons.map((r) => r.rule)).toEqual(rules);
	});

	it('says which session it did not compare with', () => {
		const signal = sessionSignals(rerated([a(40), a(37)], 0, 'alliance', 'stemme-alliance-group'), thresholds, null).alliance;
		expect(signal.reasons[0]?.text).toBe('Alliance 37 is at or above the cutoff 36; the previous rating (session 1) was on another instrument, so a drop is not judged.');
	});
});

describe('sessionSignals — the alliance drop must be positive', () => {
	it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses drop %s (0 would flag every unchanged alliance)', (drop) => {
		const bad = { ...thresholds, alliance: { cutoff: 36, drop } };
		expect(() => sessionSignals(buildHistory([a(38), a(38)]), bad, null)).toThrow(/alliance\.drop must be a positive number/);
	});
});
