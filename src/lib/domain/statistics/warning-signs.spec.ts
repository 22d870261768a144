import { describe, expect, it } from 'vitest';
import { flagResponse, signTable, type SignedEpisode } from './warning-signs';

const DAY = 86_400_000;

describe('flag response', () => {
	it('is in time within seven days, late after, unseen when never', () => {
		expect(flagResponse(0, 7 * DAY)).toBe('in-time');
		expect(flagResponse(0, 7 * DAY + 1)).toBe('late');
		expect(flagResponse(0, null)).toBe('unseen');
	});
});

describe('sign table on a hand-made caseload', () => {
	// Ten closed episodes. "alliance-low" flagged on 1–4 (drop-outs: 1, 2, 3), not on 5–10 (drop-out: 5).
	// Of the flags: 1 and 4 acted on in time (drop-out: 1), 2 and 3 never seen (both drop-outs).
	// Checklist factor "young-age" on 1, 5 and 6 (drop-outs: 1 and 5).
	const e = (dropout: boolean, signs: string[], responses: SignedEpisode['responses'] = {}): SignedEpisode => ({ dropout, signs, responses });
	const episodes: SignedEpisode[] = [
		e(true, ['alliance-low', 'young-age'], { 'alliance-low': 'in-time' }),
		e(true, ['alliance-low'], { 'alliance-low': 'unseen' }),
		e(true, ['alliance-low'], { 'alliance-low': 'unseen' }),
		e(false, ['alliance-low'], { 'alliance-low': 'in-time' }),
		e(true, ['young-age']),
		e(false, ['young-age']),
		e(false, []),
		e(false, []),
		e(false, []),
		e(false, [])
	];
	const [alliance, young] = signTable(episodes, ['alliance-low', 'young-age']);

	it('sets drop-out with the sign against without it', () => {
		// with: 3 of 4 = 0.75; without: 1 of 6 = 0.1667
		expect(alliance).toMatchObject({ had: { n: 4, events: 3, share: 0.75 }, hadNot: { n: 6, events: 1 } });
		expect(alliance!.hadNot.share).toBeCloseTo(1 / 6, 10);
		// young: with 2 of 3; without 2 of 7
		expect(young).toMatchObject({ had: { n: 3, events: 2 }, hadNot: { n: 7, events: 2 } });
	});

	it('sets flags acted on in time against flags left unseen, for flag rules only', () => {
		// in time: 1 of 2 = 0.5; unseen: 2 of 2 = 1
		expect(alliance!.inTime).toMatchObject({ n: 2, events: 1, share: 0.5 });
		expect(alliance!.unseen).toMatchObject({ n: 2, events: 2, share: 1 });
		expect(young!.inTime).toBeNull();
	});

	it('gives every share an interval around it', () => {
		const { low, high, share } = alliance!.had;
		expect(low!).toBeLessThan(share!);
		expect(high!).toBeGreaterThan(share!);
	});
});
