import { describe, expect, it } from 'vitest';
import { allianceFigures } from './alliance';
import { buildHistory } from '../../../../tests/support/history-builder';

// The adult alliance measure: cutoff 36, a drop of 1 point (docs/clinical/measures.md).
const alliance = { cutoff: 36, drop: 1 };

describe('allianceFigures', () => {
	it('counts ratings under the cutoff, drops and drop-out after a signal on a hand-made caseload', () => {
		const f = allianceFigures([
			// A: 38, 36.5, 35.4 — the fall 36.5 → 35.4 is 1.1 ≥ 1 (a drop); 35.4 < 36 (under the cutoff). Drop-out, with a signal.
			{ history: buildHistory([[15, 38], [16, 36.5], 'no_show', [17, 35.4]]), alliance, ending: 'dropout' },
			// B: 37, 36.1 — fall 0.9 < 1, both at or above 36: no signal. Planned ending.
			{
				history: buildHistory([
					[15, 37],
					[18, 36.1]
				]),
				alliance,
				ending: 'planned_completion'
			},
			// C: 36, 36 (exactly on the cutoff counts as fine), then none given. Drop-out without a signal.
			{
				history: buildHistory([
					[15, 36],
					[16, 36],
					[17, null]
				]),
				alliance,
				ending: 'dropout'
			},
			// D: 30 — under the cutoff; still open, so not among the closed.
			{ history: buildHistory([[20, 30]]), alliance, ending: null },
			// E: no alliance measure — left out altogether.
			{ history: buildHistory([[20, 30]]), alliance: null, ending: 'dropout' },
			// F: a measure but never rated — left out.
			{ history: buildHistory([[20, null]]), alliance, ending: 'dropout' }
		]);
		// Rated sessions: A 3 + B 2 + C 2 + D 1 = 8; sum 38 + 36.5 + 35.4 + 37 + 36.1 + 36 + 36 + 30 = 285
		expect(f.sessions).toBe(8);
		expect(f.mean).toBeCloseTo(285 / 8, 10);
		// First ratings: 38, 37, 36, 30 → mean 35.25
		expect(f.meanIntake).toBeCloseTo(35.25, 10);
		expect(f).toMatchObject({ episodes: 4, underCutoff: 2, withDrop: 1, closedWithSignal: 1, dropoutWithSignal: 1, closedWithoutSignal: 2, dropoutWithoutSignal: 1 });
	});

	it('does not count a fall between two alliance instruments as a drop', () => {
		const other = buildHistory([[15, 40]], { allianceId: 'stemme-alliance-youth' });
		const history = [...other, ...buildHistory([[null, 36.5]], { start: '2025-01-13' }).map((s) => ({ ...s, session: 2 }))];
		expect(allianceFigures([{ history, alliance, ending: 'dropout' }])).toMatchObject({ withDrop: 0, closedWithSignal: 0, closedWithoutSignal: 1 });
	});

	it('gives no means for an empty caseload', () => {
		expect(allianceFigures([])).toMatchObject({ episodes: 0, sessions: 0, mean: null, meanIntake: null });
	});
});
