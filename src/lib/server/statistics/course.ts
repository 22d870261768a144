import type { StatEpisode } from './episodes';
import { expectedFor } from '../expected-models';
import { getInstrument, type Registry } from '$lib/domain/registry';
import type { ExpectedModel } from '$lib/domain/expected-score';
import { expectedScore } from '$lib/domain/expected-score';
import { intakeRating, type Rating } from '$lib/domain/history';
import { summarizeEpisode } from '$lib/domain/episode';
import { sessionSignals, type AllianceLevel, type OutcomeLevel } from '$lib/domain/session-signals';
import { courseFigures, type CourseEpisode } from '$lib/domain/statistics/expected-course';

/** The expected course an outcome rating's instrument is judged by: a licensed table, the fitted model, or none. */
export type ModelOf = (rating: Rating) => ExpectedModel | null;

/** Looks each instrument version's expected course up once (expected-models.ts: a page reads it, never fits). */
export function modelLookup(registry: Registry): ModelOf {
	const cache = new Map<string, ExpectedModel | null>();
	return (rating) => {
		const key = `${rating.instrumentId}@${rating.instrumentVersion}`;
		let model = cache.get(key);
		if (model === undefined) {
			const instrument = getInstrument(registry, rating.instrumentId, rating.instrumentVersion);
			const source = instrument === null ? null : expectedFor(registry, instrument.definition);
			model = source === null || source.kind === 'rules' ? null : source.model;
			cache.set(key, model);
		}
		return model;
	};
}

/**
 * The closed, measured episodes against their expected course at the last rated session: the share
 * reaching the target and the residualised gain (domain/statistics/expected-course.ts), and which
 * kind of course drew the lines (a licensed table is named as such on the page).
 */
export function courseOf(closed: readonly StatEpisode[], modelOf: ModelOf) {
	const sources = new Set<'fitted' | 'table'>();
	const rows: CourseEpisode[] = [];
	for (const e of closed) {
		if (e.episode === null) continue;
		const s = summarizeEpisode(e.episode);
		if (!s.usable) continue;
		const intake = intakeRating(e.history);
		const model = intake === null ? null : modelOf(intake);
		const at = model === null ? null : expectedScore(model, s.intake, s.lastSession);
		if (at !== null && at.ok) sources.add(at.source);
		rows.push({ intake: s.intake, last: s.last, cutoff: e.episode.thresholds.cutoff, expected: at !== null && at.ok ? { expected: at.expected, target: at.target } : null });
	}
	return { ...courseFigures(rows), sources: [...sources].sort() };
}

export interface OffTrack {
	episodeId: number;
	patientId: number;
	responsibleId: number | null;
	outcome: OutcomeLevel;
	alliance: AllianceLevel;
	session: number | null;
}

const SIGNALLED_ALLIANCE: readonly AllianceLevel[] = ['below-cutoff', 'dropped'];

/**
 * The open episodes whose latest session is not on track or has an alliance signal, judged by the
 * session signal's own rules (session-signals.ts) with the episode's expected course: the team
 * lead's list for supervision. Episodes without an outcome measure are not judged.
 */
export function offTrack(episodes: readonly StatEpisode[], modelOf: ModelOf): OffTrack[] {
	const out: OffTrack[] = [];
	for (const e of episodes) {
		if (e.actualEnd !== null || e.episode === null) continue;
		const intake = intakeRating(e.history);
		const signals = sessionSignals(e.history, { outcome: e.episode.thresholds, alliance: e.alliance }, intake === null ? null : modelOf(intake));
		if (signals.outcome.level !== 'not-on-track' && !SIGNALLED_ALLIANCE.includes(signals.alliance.level)) continue;
		out.push({ episodeId: e.id, patientId: e.patientId, responsibleId: e.responsibleId, outcome: signals.outcome.level, alliance: signals.alliance.level, session: signals.outcome.session });
	}
	return out;
}
