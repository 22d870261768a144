import { and, eq, inArray, isNotNull, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from './db';
import { appointments, episodes, patients, ratings } from './db/schema';
import type { RecordAppointment, RecordEpisode } from './patients';
import type { History, Rating as DomainRating, SessionEntry } from '$lib/domain/history';
import type { Episode as DomainEpisode } from '$lib/domain/episode';
import { getExpectedTable, getInstrument, type Registry } from '$lib/domain/registry';
import { thresholdsFor, type ResolvedThresholds } from '$lib/domain/thresholds-for';
import { fitTrajectoryModel, type FittedModel } from '$lib/domain/trajectory-model';
import type { ExpectedTable } from '$lib/domain/expected-table';
import type { InstrumentDefinition } from '$lib/domain/instrument-schema';
import { ageFromBirthYear } from '$lib/domain/age';
import { CHECKPOINT_CHANGE_APPROACH_SESSION, CHECKPOINT_DISCUSS_SESSION } from '$lib/domain/clinical-constants';
import { textFor } from '$lib/domain/localized';
import { sessionSignals, type SessionSignals } from '$lib/domain/session-signals';
import { checkpoints, type Checkpoints } from '$lib/domain/checkpoints';
import { summarizeEpisode, type EpisodeSummary } from '$lib/domain/episode';
import type { ExpectedModel } from '$lib/domain/expected-score';

/** Fewest closed local episodes before Stemme fits its own expected trajectories (configuration:
 *  STEMME_MODEL_MIN_EPISODES). Below it, the rule checkpoints of change.md are used alone. */
export const DEFAULT_MODEL_MIN_EPISODES = 30;
/** A fitted model is reused this long before it is fitted again on the episodes closed since. */
const MODEL_TTL_MS = 10 * 60_000;

const corrections = alias(ratings, 'corrections');

type MissedStatus = Exclude<SessionEntry['attendance'], 'attended'>;

function toDomainRating(r: RecordAppointment['ratings'][number]): DomainRating {
	return { instrumentId: r.instrumentId, instrumentVersion: r.instrumentVersion, total: r.total, items: r.itemValues };
}

/**
 * One episode's appointments as the domain's History: attended sessions numbered from 1 (the
 * intake), appointments that did not take place kept in order with the number the next session
 * will have, future ('scheduled') appointments left out. The outcome is the patient's own rating
 * (a collateral rating is not the patient's score); the alliance is the patient's or, in a group,
 * the member's. Nothing is filled in where a rating is missing.
 */
export function historyOf(appts: readonly RecordAppointment[]): History {
	const history: SessionEntry[] = [];
	let attended = 0;
	for (const a of appts) {
		if (a.status === 'scheduled') continue;
		const date = a.scheduledAt.toISOString();
		if (a.status !== 'attended') {
			history.push({ session: attended + 1, date, attendance: a.status as MissedStatus, outcome: null, alliance: null });
			continue;
		}
		attended++;
		const outcome = a.ratings.find((r) => r.kind === 'outcome' && r.rater === 'patient');
		const alliance = a.ratings.find((r) => r.kind === 'alliance' && r.rater !== 'collateral');
		history.push({
			session: attended,
			date,
			attendance: 'attended',
			outcome: outcome === undefined ? null : toDomainRating(outcome),
			alliance: alliance === undefined ? null : toDomainRating(alliance)
		});
	}
	return history;
}

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

export const CHECKPOINT_CONFIG = { discussSession: CHECKPOINT_DISCUSS_SESSION, changeApproachSession: CHECKPOINT_CHANGE_APPROACH_SESSION };

/** Where the expected lines come from, for the chart's legend and its "why is this line here?". */
export type ExpectedSource =
	| { kind: 'table'; model: ExpectedTable; source: string }
	| { kind: 'fitted'; model: FittedModel }
	| { kind: 'rules'; why: string; episodes: number; minEpisodes: number };

const fitted = new Map<string, { at: number; result: ExpectedSource }>();

/** Forget fitted models (tests; after a bulk import). */
export function resetFittedModels(): void {
	fitted.clear();
}

export function minEpisodesFromEnv(value: string | undefined): number {
	const n = Number(value);
	return Number.isInteger(n) && n >= 2 ? n : DEFAULT_MODEL_MIN_EPISODES;
}

/**
 * The expected trajectories for an outcome instrument: a licensed table from a pack when the
 * installation has one, else a model fitted on this installation's closed episodes (refitted
 * every ten minutes), else none — and then the rule checkpoints decide, and the legend says so.
 */
export function expectedFor(db: Db, registry: Registry, instrument: InstrumentDefinition, now: Date, minEpisodes = minEpisodesFromEnv(process.env.STEMME_MODEL_MIN_EPISODES)): ExpectedSource {
	const table = getExpectedTable(registry, instrument.id, instrument.version);
	if (table !== null) return { kind: 'table', model: table, source: table.source };
	const key = `${instrument.id}@${instrument.version}:${minEpisodes}`;
	const cached = fitted.get(key);
	if (cached !== undefined && now.getTime() - cached.at < MODEL_TTL_MS) return cached.result;
	const closed = closedEpisodes(db, instrument, now);
	const fit = fitTrajectoryModel(closed, { now, minEpisodes });
	const result: ExpectedSource = fit.ok ? { kind: 'fitted', model: fit.model } : { kind: 'rules', why: fit.reason, episodes: fit.episodes, minEpisodes };
	fitted.set(key, { at: now.getTime(), result });
	return result;
}

/** Every closed episode rated on this instrument, as the model fitting sees it. */
function closedEpisodes(db: Db, instrument: InstrumentDefinition, now: Date): DomainEpisode[] {
	const eps = db
		.select({ id: episodes.id, endReason: episodes.endReason, birthYear: patients.birthYear })
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(isNotNull(episodes.actualEnd))
		.all();
	if (eps.length === 0) return [];
	// The closed episodes as a subquery, not a list of ids: tens of thousands of ids would pass
	// SQLite's limit of bound values.
	const closed = db.select({ id: episodes.id }).from(episodes).where(isNotNull(episodes.actualEnd));
	const appts = db
		.select({ id: appointments.id, episodeId: appointments.episodeId, scheduledAt: appointments.scheduledAt, status: appointments.status })
		.from(appointments)
		.where(inArray(appointments.episodeId, closed))
		.orderBy(appointments.episodeId, appointments.scheduledAt)
		.all();
	const rated = db
		.select({ appointmentId: ratings.appointmentId, instrumentId: ratings.instrumentId, instrumentVersion: ratings.instrumentVersion, rater: ratings.rater, total: ratings.total, itemValues: ratings.itemValues })
		.from(ratings)
		.innerJoin(appointments, eq(appointments.id, ratings.appointmentId))
		.where(
			and(
				inArray(appointments.episodeId, closed),
				eq(ratings.instrumentId, instrument.id),
				eq(ratings.rater, 'patient'),
				notExists(db.select({ x: sql`1` }).from(corrections).where(eq(corrections.correctsRatingId, ratings.id)))
			)
		)
		.all();
	const ratingByAppt = new Map(rated.map((r) => [r.appointmentId, r]));
	const apptsByEpisode = new Map<number, RecordAppointment[]>();
	for (const a of appts) {
		const r = ratingByAppt.get(a.id);
		const list = apptsByEpisode.get(a.episodeId) ?? [];
		list.push({ ...a, isGroup: false, session: null, ratings: r === undefined ? [] : [{ ...r, kind: 'outcome' }] });
		apptsByEpisode.set(a.episodeId, list);
	}
	const out: DomainEpisode[] = [];
	for (const e of eps) {
		const t = thresholdsFor(instrument, ageFromBirthYear(e.birthYear, now));
		if (!t.ok || t.thresholds.rci === null) continue;
		out.push({
			id: String(e.id),
			history: historyOf(apptsByEpisode.get(e.id) ?? []),
			ending: e.endReason ?? 'other',
			thresholds: { cutoff: t.thresholds.cutoff, rci: t.thresholds.rci }
		});
	}
	return out;
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
	expected: { kind: 'table'; source: string } | { kind: 'fitted'; episodes: number; ratings: number; fittedAt: string; coefficients: FittedModel['coefficients']; percentiles: FittedModel['percentiles'] } | { kind: 'rules'; episodes: number; minEpisodes: number };
	model: ExpectedModel | null;
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
export function trajectoryView(db: Db, registry: Registry, episode: RecordEpisode, birthYear: number, now: Date, language: string): TrajectoryView {
	const history = historyOf(episode.appointments);
	const measures = measuresOf(episode, registry, birthYear, now);
	const age = ageFromBirthYear(birthYear, now);
	const outcome = measureView(measures.outcome, age, language);
	const alliance = measureView(measures.alliance, age, language);
	const source: ExpectedSource =
		measures.outcome === null ? { kind: 'rules', why: 'no-instrument', episodes: 0, minEpisodes: 0 } : expectedFor(db, registry, measures.outcome.instrument, now);
	const model = source.kind === 'rules' ? null : source.model;
	const rci = outcome?.rci ?? null;
	const ready = outcome !== null && alliance !== null && rci !== null;
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
					: { kind: 'rules', episodes: source.episodes, minEpisodes: source.minEpisodes },
		model,
		signals: ready ? sessionSignals(history, { outcome: { cutoff: outcome.cutoff, rci }, alliance: { cutoff: alliance.cutoff, drop: alliance.drop ?? 0 } }, model) : null,
		checkpoints: rci === null ? null : checkpoints(history, { ...CHECKPOINT_CONFIG, rci }),
		summary: outcome === null || rci === null ? null : summarizeEpisode({ history, ending: episode.endReason, thresholds: { cutoff: outcome.cutoff, rci } })
	};
}
