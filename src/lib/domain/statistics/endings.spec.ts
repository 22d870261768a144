import { describe, expect, it } from 'vitest';
import { effectAtEnd, endingFigures, transitionDropouts } from './endings';

describe('endings', () => {
	it('counts every ending and splits drop-out by effect', () => {
		// 10 closed: 5 planned, 3 drop-out (1 improved, 1 unchanged, 1 with one rating), 1 transfer, 1 other.
		const f = endingFigures([
			...Array.from({ length: 5 }, () => ({ ending: 'planned_completion' as const, effect: effectAtEnd('recovered') })),
			{ ending: 'dropout', effect: effectAtEnd('improved') },
			{ ending: 'dropout', effect: effectAtEnd('unchanged') },
			{ ending: 'dropout', effect: effectAtEnd(null) },
			{ ending: 'transfer', effect: effectAtEnd('deteriorated') },
			{ ending: 'other', effect: effectAtEnd(null) }
		]);
		expect(f.closed).toBe(10);
		expect(f.counts).toEqual({ planned_completion: 5, dropout: 3, transfer: 1, other: 1 });
		// 5/10, 3/10, 1/10, 1/10
		expect(f.shares).toEqual({ planned_completion: 0.5, dropout: 0.3, transfer: 0.1, other: 0.1 });
		expect(f.dropout).toEqual({ 'with-effect': 1, 'without-effect': 1, 'not-measured': 1 });
	});

	it('has no shares without closed episodes', () => {
		expect(endingFigures([]).shares).toBeNull();
	});

	it('counts drop-out within 30 days after a transition', () => {
		const r = transitionDropouts([
			{ ending: 'dropout', endDate: '2026-03-31', transitions: ['2026-03-01'] }, // 30 days: counted
			{ ending: 'dropout', endDate: '2026-04-01', transitions: ['2026-03-01'] }, // 31 days: not
			{ ending: 'dropout', endDate: '2026-02-20', transitions: ['2026-03-01'] }, // before it: not
			{ ending: 'planned_completion', endDate: '2026-03-05', transitions: ['2026-03-01'] },
			{ ending: null, endDate: null, transitions: ['2026-03-01'] },
			{ ending: 'dropout', endDate: '2026-03-05', transitions: [] } // no transition: not in the figure
		]);
		expect(r).toEqual({ withTransition: 5, droppedOut: 1 });
	});
});
