import type { Db } from './db';
import type { RecordEpisode } from './patients';
import type { History } from '$lib/domain/history';
import { getInstrument, type Registry } from '$lib/domain/registry';
import { thresholdsFor, type ResolvedThresholds } from '$lib/domain/thresholds-for';
import type { FittedModel } from '$lib/domain/trajectory-model';
import type { InstrumentDefinition } from '$lib/domain/instrument-schema';
import { ageFromBirthYear } from '$lib/domain/age';
import { textFor } from '$lib/domain/localized';
import { sessionSignals, type SessionSignals, type SignalThresholds } from '$lib/domain/session-signals';
import { checkpoints, type Checkpoints } from '$lib/domain/checkpoints';
import { getRiskConfig, type RiskConfig } from './risk/config';
import { summarizeEpisode, type EpisodeSummary } from '$lib/domain/episode';
import type { ExpectedModel } from '$lib/domain/expected-score';
import { historyOf } from './history';
import { expectedFor, type ExpectedSource } from './expected-models';

export { historyOf } from './history';

/** The instrument an episode was rated on (the first rating of that kind), or the registry's default. */
function instrumentOf(episode: RecordEpisode, registry: Registry, kind: 'outcome' | 'alliance', fallback: string): InstrumentDefinition | null {
	for (const a of episode.appointments) {
		const r = a.ratings.find((x) => x.kind === kind && x.rater !== 'collateral');
		if (r !== undefined) return getInstrument(registry, r.instrumentId, r.instrumentVersion)?.definition ?? null;
	}
	return getInstrument(registry, fallback)?.definition ?? null;
}

export interface EpisodeMeasures {
	outcome: { instrument: InstrumentDefinition; thresholds: ResolvedThresholds } | null;
	alliance: { instrument: InstrumentDefinition; thresholds: ResolvedThresholds } | null;
}

/** The episode's instruments with the thresholds of the patient's age band. */
export function measuresOf(episode: RecordEpisode, registry: Registry, birthYear: number, now: Date): EpisodeMeasures {
	const age = ageFromBirthYear(birthYear, now);
	const resolve = (def: InstrumentDefinition | null) => {
		if (def === null) return null;
		const t = thresholdsFor(def, age);
		return t.ok ? { instrument: def, thresholds: t.thresholds } : null;
	};
	return {
		outcome: resolve(instrumentOf(episode, registry, 'outcome', 'stemme-outcome-adult')),
		alliance: resolve(instrumentOf(episode, registry, 'alliance', episode.setting === 'group' ? 'stemme-alliance-group' : 'stemme-alliance-adult'))
	};
}

/**
 * The thresholds the session signals judge an episode by, or null when it has no outcome
 * instrument with reliable change or no alliance instrument (then no rating signal is given).
 * Throws when the alliance instrument has no drop: the schema requires one, and standing in 0
 * would count every unchanged alliance as dropped.
 */
export function signalThresholds(measures: EpisodeMeasures, checkpoints?: SignalThresholds['checkpoints']): SignalThresholds | null {
	const { outcome, alliance } = measures;
	if (outcome === null || alliance === null || outcome.thresholds.rci === null) return null;
	if (alliance.thresholds.drop === null) {
		throw new Error(`alliance instrument "${alliance.instrument.id}" version ${alliance.instrument.version} has no drop threshold; the session signals need one.`);
	}
	return {
		outcome: { cutoff: outcome.thresholds.cutoff, rci: outcome.thresholds.rci },
		alliance: { cutoff: alliance.thresholds.cutoff, drop: alliance.thresholds.drop },
		...(checkpoints === undefined ? {} : { checkpoints })
	};
}

export interface MeasureView {
	id: string;
	name: string;
	cutoff: number;
	rci: number | null;
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
	expected: { kind: 'table'; source: string } | { kind: 'fitted'; episodes: number; ratings: number; fittedAt: string; coefficients: FittedModel['coefficients']; percentiles: FittedModel['percentiles'] } | { kind: 'rules'; episodes: number; minEpisodes: number; pending: boolean };
	model: ExpectedModel | null;
	/** The installation's checkpoint sessions, so the chart judges each session by the same rules. */
	checkpointSessions: RiskConfig['checkpoints'];
	signals: SessionSignals | null;
	checkpoints: Checkpoints | null;
	summary: EpisodeSummary | null;
}

function measureView(m: EpisodeMeasures['outcome'], age: number | null, language: string): MeasureView | null {
	if (m === null) return null;
	const band = thresholdsFor(m.instrument, age);
	return {
		id: m.instrument.id,
		name: textFor(m.instrument.name, language),
		cutoff: m.thresholds.cutoff,
		rci: m.thresholds.rci,
		drop: m.thresholds.drop,
		items: m.instrument.items.map((i) => ({ key: i.key, label: textFor(i.label, language) })),
		band: band.ok ? textFor(band.band.label, language) : '',
		provisional: m.thresholds.provisional,
		note: m.thresholds.note === null ? null : textFor(m.thresholds.note, language),
		source: m.thresholds.source,
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
	const age = ageFromBirthYear(birthYear, now);
	const outcome = measureView(measures.outcome, age, language);
	const alliance = measureView(measures.alliance, age, language);
	const source: ExpectedSource =
		measures.outcome === null ? { kind: 'rules', why: 'no-instrument', episodes: 0, minEpisodes: 0 } : expectedFor(registry, measures.outcome.instrument);
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
					? { kind: 'fitted', episodes: source.model.episodes, ratings: source.model.ratings, fittedAt: source.model.fittedAt, coefficients: source.model.coefficients, percentiles: source.model.percentiles }
					: { kind: 'rules', episodes: source.episodes, minEpisodes: source.minEpisodes, pending: source.why === 'not-fitted-yet' },
		model,
		checkpointSessions,
		signals: thresholds === null ? null : sessionSignals(history, thresholds, model),
		checkpoints: rci === null ? null : checkpoints(history, { ...checkpointSessions, rci }),
		summary: outcome === null || rci === null ? null : summarizeEpisode({ history, ending: episode.endReason, thresholds: { cutoff: outcome.cutoff, rci } })
	};
}
