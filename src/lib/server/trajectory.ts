import type { Db } from './db';
import type { RecordEpisode } from './patients';
import type { History } from '$lib/domain/history';
import { getInstrument, type Registry } from '$lib/domain/registry';
import { thresholdsAtRating, type ResolvedThresholds } from '$lib/domain/thresholds-for';
import { chooseInstrument } from '$lib/domain/choose-instrument';
import type { FittedModel } from '$lib/domain/trajectory-model';
import type { AgeBand, InstrumentDefinition } from '$lib/domain/instrument-schema';
import { ageAt, ageFromBirthYear } from '$lib/domain/age';
import { anyTextFor, textFor } from '$lib/domain/localized';
import { sessionSignals, type SessionSignals, type SignalThresholds } from '$lib/domain/session-signals';
import { checkpoints, type Checkpoints } from '$lib/domain/checkpoints';
import { getRiskConfig, type RiskConfig } from './risk/config';
import { summarizeEpisode, type EpisodeSummary } from '$lib/domain/episode';
import type { ExpectedModel } from '$lib/domain/expected-score';
import { historyOf } from './history';
import { expectedFor, type ExpectedSource } from './expected-models';
import { answeredFollowUps } from './links/follow-ups';

export { historyOf } from './history';

/**
 * The instrument an episode was rated on (its first rating of that kind) and the date of its latest
 * rating on that instrument; or, before any rating, the instrument that fits the patient's age now
 * (the group measure for a group episode).
 */
function instrumentOf(episode: RecordEpisode, registry: Registry, kind: 'outcome' | 'alliance', ageNow: number | null): { definition: InstrumentDefinition; ratedOn: string | null } | null {
	let first: RecordEpisode['appointments'][number]['ratings'][number] | null = null;
	let ratedOn: string | null = null;
	for (const a of episode.appointments) {
		const r = a.ratings.find((x) => x.kind === kind && x.rater !== 'collateral' && (first === null || (x.instrumentId === first.instrumentId && x.instrumentVersion === first.instrumentVersion)));
		if (r === undefined) continue;
		first ??= r;
		ratedOn = a.scheduledAt.toISOString();
	}
	if (first !== null) {
		const definition = getInstrument(registry, first.instrumentId, first.instrumentVersion)?.definition;
		return definition === undefined ? null : { definition, ratedOn };
	}
	if (kind === 'alliance' && episode.setting === 'group') {
		const group = getInstrument(registry, 'stemme-alliance-group')?.definition;
		return group === undefined ? null : { definition: group, ratedOn: null };
	}
	const chosen = chooseInstrument(registry, { kind, rater: 'patient', age: ageNow });
	return chosen === null ? null : { definition: chosen.definition, ratedOn: null };
}

export interface EpisodeMeasure {
	instrument: InstrumentDefinition;
	thresholds: ResolvedThresholds;
	/** The age band judged by: the patient's age at the latest rating on the instrument. */
	band: AgeBand;
}

export interface EpisodeMeasures {
	outcome: EpisodeMeasure | null;
	alliance: EpisodeMeasure | null;
}

/**
 * The episode's instruments with the thresholds of the age band of its latest rating on each
 * (docs/clinical/measures.md, "Which band applies"): the patient's age at that rating, on the
 * episode's own instrument's bands, so an earlier episode is never reclassified after a birthday.
 * Before any rating, the age now.
 */
export function measuresOf(episode: RecordEpisode, registry: Registry, birthYear: number, now: Date): EpisodeMeasures {
	const ageNow = ageFromBirthYear(birthYear, now);
	const resolve = (found: ReturnType<typeof instrumentOf>): EpisodeMeasure | null => {
		if (found === null) return null;
		const age = found.ratedOn === null ? ageNow : ageAt(birthYear, found.ratedOn);
		const t = thresholdsAtRating(found.definition, age);
		return t.ok ? { instrument: found.definition, thresholds: t.thresholds, band: t.band } : null;
	};
	return {
		outcome: resolve(instrumentOf(episode, registry, 'outcome', ageNow)),
		alliance: resolve(instrumentOf(episode, registry, 'alliance', ageNow))
	};
}

/**
 * The thresholds the session signals judge an episode by, or null when it has no outcome
 * instrument with reliable change (then no rating signal is given). An episode with an outcome
 * measure but no alliance measure gets its outcome signal and flags all the same.
 * Throws when the alliance instrument has no drop: the schema requires one, and standing in 0
 * would count every unchanged alliance as dropped.
 */
export function signalThresholds(measures: EpisodeMeasures, checkpoints?: SignalThresholds['checkpoints']): SignalThresholds | null {
	const { outcome, alliance } = measures;
	if (outcome === null || outcome.thresholds.rci === null) return null;
	if (alliance !== null && alliance.thresholds.drop === null) {
		throw new Error(`alliance instrument "${alliance.instrument.id}" version ${alliance.instrument.version} has no drop threshold; the session signals need one.`);
	}
	return {
		outcome: { cutoff: outcome.thresholds.cutoff, rci: outcome.thresholds.rci, strict: outcome.thresholds.rciStrict },
		alliance: alliance === null ? null : { cutoff: alliance.thresholds.cutoff, drop: alliance.thresholds.drop! },
		...(checkpoints === undefined ? {} : { checkpoints })
	};
}

export interface MeasureView {
	id: string;
	name: string;
	cutoff: number;
	rci: number | null;
	/** True when `rci` was computed from SD and r (a change must exceed it). */
	rciStrict: boolean;
	drop: number | null;
	items: { key: string; label: string }[];
	band: string;
	provisional: boolean;
	note: string | null;
	source: string;
	licence: string;
}

/** Everything the trajectory views need for one episode, in the viewer's language; serialisable. */
export interface TrajectoryView {
	episodeId: number;
	history: History;
	outcome: MeasureView | null;
	alliance: MeasureView | null;
	expected:
		| { kind: 'table'; source: string }
		| {
				kind: 'fitted';
				method: FittedModel['method'];
				episodes: number;
				ratings: number;
				fittedAt: string;
				coefficients: FittedModel['coefficients'];
				percentiles: FittedModel['percentiles'];
		  }
		| { kind: 'rules'; episodes: number; minEpisodes: number; pending: boolean };
	model: ExpectedModel | null;
	/** The installation's checkpoint sessions, so the chart judges each session by the same rules. */
	checkpointSessions: RiskConfig['checkpoints'];
	signals: SessionSignals | null;
	checkpoints: Checkpoints | null;
	summary: EpisodeSummary | null;
	/** An ended episode's answered follow-ups after discharge, for the chart; null while the episode is open. */
	followUp: { ended: string; points: { date: string; total: number }[] } | null;
}

function measureView(m: EpisodeMeasures['outcome'], language: string): MeasureView | null {
	if (m === null) return null;
	return {
		id: m.instrument.id,
		name: textFor(m.instrument.name, language),
		cutoff: m.thresholds.cutoff,
		rci: m.thresholds.rci,
		rciStrict: m.thresholds.rciStrict,
		drop: m.thresholds.drop,
		items: m.instrument.items.map((i) => ({ key: i.key, label: textFor(i.label, language) })),
		band: textFor(m.band.label, language),
		provisional: m.thresholds.provisional,
		note: m.thresholds.note === null ? null : textFor(m.thresholds.note, language),
		source: anyTextFor(m.thresholds.source, language),
		licence: textFor(m.instrument.licence.note, language)
	};
}

/** The trajectory of one episode: history, thresholds, expected lines and the signals now. */
export function trajectoryView(
	db: Db,
	registry: Registry,
	episode: RecordEpisode,
	birthYear: number,
	now: Date,
	language: string,
	checkpointSessions: RiskConfig['checkpoints'] = getRiskConfig().checkpoints
): TrajectoryView {
	const history = historyOf(episode.appointments);
	const measures = measuresOf(episode, registry, birthYear, now);
	const outcome = measureView(measures.outcome, language);
	const alliance = measureView(measures.alliance, language);
	const source: ExpectedSource = measures.outcome === null ? { kind: 'rules', why: 'no-instrument', episodes: 0, minEpisodes: 0 } : expectedFor(registry, measures.outcome.instrument);
	const model = source.kind === 'rules' ? null : source.model;
	const rci = outcome?.rci ?? null;
	const thresholds = signalThresholds(measures, checkpointSessions);
	return {
		episodeId: episode.id,
		history,
		outcome,
		alliance,
		expected:
			source.kind === 'table'
				? { kind: 'table', source: source.source }
				: source.kind === 'fitted'
					? {
							kind: 'fitted',
							method: source.model.method,
							episodes: source.model.episodes,
							ratings: source.model.ratings,
							fittedAt: source.model.fittedAt,
							coefficients: source.model.coefficients,
							percentiles: source.model.percentiles
						}
					: { kind: 'rules', episodes: source.episodes, minEpisodes: source.minEpisodes, pending: source.why === 'not-fitted-yet' },
		model,
		checkpointSessions,
		signals: thresholds === null ? null : sessionSignals(history, thresholds, model),
		checkpoints: rci === null ? null : checkpoints(history, { ...checkpointSessions, rci, strict: outcome?.rciStrict === true }),
		summary: outcome === null || rci === null ? null : summarizeEpisode({ history, ending: episode.endReason, thresholds: { cutoff: outcome.cutoff, rci, strict: outcome.rciStrict } }),
		followUp: episode.actualEnd === null ? null : { ended: episode.actualEnd, points: answeredFollowUps(db, episode.id) }
	};
}
