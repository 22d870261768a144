import { scoreRating, type ScoreProblem } from '$lib/domain/scoring';
import type { InstrumentDefinition } from '$lib/domain/instrument-schema';

/** The lines on the tablet: a value once touched, null before. */
export type Answers = Record<string, number | null>;

export type Verdict = { ok: true; values: Record<string, number> } | { ok: false; problems: ScoreProblem[] };

export function untouched(items: readonly { key: string }[]): Answers {
	return Object.fromEntries(items.map((item) => [item.key, null]));
}

/**
 * The domain's verdict on the tablet's answers — the same scoreRating the server stores with, so
 * the tablet sends only what the server will take, and sends the values as the domain read them.
 * @example verdict(instrument, { self: 3.3, close: 3.3, daily: 3.3, overall: null })
 * // { ok: false, problems: [{ key: 'overall', code: 'missing' }] }
 */
export function verdict(instrument: Pick<InstrumentDefinition, 'items'>, answers: Readonly<Answers>): Verdict {
	const scored = scoreRating(instrument, answers);
	return scored.ok ? { ok: true, values: scored.items } : { ok: false, problems: scored.errors };
}
