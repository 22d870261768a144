import { describe, expect, it } from 'vitest';
import { buildHistory } from '../../../tests/support/history-builder';
import type { ExpectedTable } from '$lib/domain/expected-table';
import { sessionLevels } from './session-levels';

// docs/clinical/measures.md: adult outcome cutoff 25, reliable change 5; alliance cutoff 36, drop 1.
const outcome = { cutoff: 25, rci: 5 };
const alliance = { cutoff: 36, drop: 1 };
const history = buildHistory([[17, 38], 'no_show', [19, 37], [null, null], [23, 35], [27, 38]]);
const levels = (m: Map<number, { level: string; reasons: { rule: string }[] }>) => [...m].map(([session, s]) => [session, s.level, s.reasons[0]?.rule]);

describe('sessionLevels', () => {
	it('gives each rated session the signal as it stood then, and skips unrated sessions', () => {
		const l = sessionLevels(history, outcome, alliance, null);
		// Rules only: s1 the intake alone → none; s2 +2 before the first checkpoint → on track;
		// s3 unrated (left out); s4 +6 ≥ 5 → reliable improvement; s5 +10 → the same.
		expect(levels(l.outcome)).toEqual([
			[1, 'none', 'fewer-than-two-ratings'],
			[2, 'on-track', 'before-first-checkpoint'],
			[4, 'on-track', 'reliable-improvement'],
			[5, 'on-track', 'reliable-improvement']
		]);
		// 38 fine; 37 a fall of 1 ≥ drop 1; 35 < 36 below the cutoff; 38 fine again.
		expect(levels(l.alliance)).toEqual([
			[1, 'fine', 'alliance-fine'],
			[2, 'dropped', 'alliance-dropped'],
			[4, 'below-cutoff', 'alliance-below-cutoff'],
			[5, 'fine', 'alliance-fine']
		]);
	});

	it('judges against the expected lines when a table gives them', () => {
		// Intake 17; table row 17: target 20 / critical 15 at session 2, 22 / 16 at session 3.
		const table = {
			id: 't',
			instrument: { id: 'stemme-outcome-adult', version: 1 },
			source: 'test table',
			sessions: [2, 3],
			rows: [{ intake: 17, expected: [19, 21], target: [20, 22], critical: [15, 16] }]
		} as ExpectedTable;
		const l = sessionLevels(
			buildHistory([
				[17, 38],
				[20, 38],
				[18, 38]
			]),
			outcome,
			alliance,
			table
		);
		// 20 ≥ target 20 → on track; 18 between critical 16 and target 22 → watch.
		expect(levels(l.outcome).slice(1)).toEqual([
			[2, 'on-track', 'at-or-above-target'],
			[3, 'watch', 'between-critical-and-target']
		]);
	});

	it('gives the outcome levels of an episode with no alliance measure, and no alliance levels', () => {
		// The outcome signal needs only the outcome thresholds (docs/clinical/change.md, signal table).
		const l = sessionLevels(history, outcome, null, null);
		// The same outcome levels as with an alliance measure (first test); alliance not measured.
		expect(levels(l.outcome)).toEqual([
			[1, 'none', 'fewer-than-two-ratings'],
			[2, 'on-track', 'before-first-checkpoint'],
			[4, 'on-track', 'reliable-improvement'],
			[5, 'on-track', 'reliable-improvement']
		]);
		expect(levels(l.alliance)).toEqual([
			[1, 'not-measured', 'alliance-not-measured'],
			[2, 'not-measured', 'alliance-not-measured'],
			[4, 'not-measured', 'alliance-not-measured'],
			[5, 'not-measured', 'alliance-not-measured']
		]);
	});

	it.each([
		['no outcome measure', null, alliance],
		['no reliable change for the outcome', { cutoff: 25, rci: null }, alliance]
	])('is empty with %s (no signals can be given)', (_, o, a) => {
		const l = sessionLevels(history, o, a, null);
		expect(l.outcome.size + l.alliance.size).toBe(0);
	});
});
