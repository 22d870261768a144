import { describe, expect, it } from 'vitest';
import { summarizeEpisode } from './episode';
import { buildHistory, type HistoryRow } from '../../../tests/support/history-builder';

// docs/clinical/measures.md: adult outcome cutoff 25, reliable change 5 (a change of 5 or more is reliable).
const adult = { cutoff: 25, rci: 5 };
const summary = (rows: HistoryRow[], thresholds = adult) => summarizeEpisode({ history: buildHistory(rows), ending: 'planned_completion', thresholds });
const o = (total: number | null): HistoryRow => [total, null];

describe('summarizeEpisode — usable episodes', () => {
	it.each([
		// 16 → 26 at session 8: +10 ≥ 5 reliable; 16 < 25 and 26 ≥ 25 → recovered
		{ name: '16 → 26', rows: [o(16), o(18), o(19), o(21), o(22), o(24), o(25), o(26)], intake: 16, last: 26, lastSession: 8, change: 10, changeClass: 'recovered' },
		// 20 → 25: +5 = rci → reliable (Stemme's ≥); 25 is at the cutoff, non-clinical → recovered
		{ name: 'exactly the rci onto the cutoff', rows: [o(20), o(25)], intake: 20, last: 25, lastSession: 2, change: 5, changeClass: 'recovered' },
		// 20 → 24.9: +4.9 < 5 → unchanged
		{ name: '0.1 short of the rci', rows: [o(20), o(24.9)], intake: 20, last: 24.9, lastSession: 2, change: 4.9, changeClass: 'unchanged' },
		// 10 → 18: +8 reliable but 18 < 25 → improved
		{ name: 'reliable but still clinical', rows: [o(10), o(18)], intake: 10, last: 18, lastSession: 2, change: 8, changeClass: 'improved' },
		// 20 → 15: −5 → deteriorated
		{ name: '−5', rows: [o(20), o(15)], intake: 20, last: 15, lastSession: 2, change: -5, changeClass: 'deteriorated' },
		// 15.3 → 20.3: exactly +5 in tenths (floats give 4.999999999999998) → improved (20.3 < 25)
		{ name: 'exact on the 0.1 grid', rows: [o(15.3), o(20.3)], intake: 15.3, last: 20.3, lastSession: 2, change: 5, changeClass: 'improved' },
		// the last rating GIVEN counts: session 3 unrated and a no-show after it → last is 23 at session 2
		{ name: 'last rating given', rows: [o(17), o(23), o(null), 'no_show' as const], intake: 17, last: 23, lastSession: 2, change: 6, changeClass: 'improved' },
		// a no-show before the intake keeps number 1 for it: intake 17 at the attended session 1, 23 at 2
		{ name: 'no-show before the intake', rows: ['no_show' as const, o(17), o(23)], intake: 17, last: 23, lastSession: 2, change: 6, changeClass: 'improved' },
		// a gap is not filled in: 18, –, –, 26 → last at session 4, +8
		{ name: 'missing sessions in between', rows: [o(18), o(null), o(null), o(26)], intake: 18, last: 26, lastSession: 4, change: 8, changeClass: 'recovered' }
	])('$name → $changeClass', ({ rows, intake, last, lastSession, change, changeClass }) => {
		expect(summary(rows)).toEqual({ usable: true, intake, last, lastSession, change, changeClass });
	});

	it("judges with the episode's own thresholds (child band: cutoff 32; a local rci of 6.3)", () => {
		// 26 → 32.3: +6.3 = rci → reliable; 26 < 32 ≤ 32.3 → recovered
		expect(summary([o(26), o(32.3)], { cutoff: 32, rci: 6.3 })).toMatchObject({ change: 6.3, changeClass: 'recovered' });
		// 26 → 32.2: +6.2 < 6.3 → unchanged
		expect(summary([o(26), o(32.2)], { cutoff: 32, rci: 6.3 })).toMatchObject({ change: 6.2, changeClass: 'unchanged' });
	});
});

describe('summarizeEpisode — episodes that cannot be used (docs/clinical/change.md: not applicable, or missing)', () => {
	it.each([
		{ name: 'no appointments', rows: [], reason: 'no-sessions' },
		{ name: 'only missed appointments', rows: ['no_show', 'late_cancellation', 'cancelled'], reason: 'no-sessions' },
		// the intake has no outcome rating: a later rating is not moved into its place
		{ name: 'intake not rated', rows: [o(null), o(20), o(25)], reason: 'no-intake-rating' },
		{ name: 'only the intake', rows: [o(17)], reason: 'fewer-than-two-ratings' },
		{ name: 'no rating after the intake', rows: [o(17), o(null), 'no_show', o(null)], reason: 'fewer-than-two-ratings' }
	] as { name: string; rows: HistoryRow[]; reason: string }[])('$name → $reason', ({ rows, reason }) => {
		expect(summary(rows)).toEqual({ usable: false, reason });
	});
});
