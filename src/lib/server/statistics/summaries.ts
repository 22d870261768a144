import { eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { appointments, episodes, episodeStatistics, patients } from '../db/schema';
import { episodeRecords, type RecordEpisode } from '../patients';
import { historyOf, measuresOf } from '../trajectory';
import { pauseAfterSlice } from '../background';
import { ageFromBirthYear } from '$lib/domain/age';
import type { Registry } from '$lib/domain/registry';
import { ATTENDANCE, type History, type Rating } from '$lib/domain/history';
import type { Episode as DomainEpisode } from '$lib/domain/episode';

/**
 * What the statistics need of one episode's appointments and ratings: the history (each rating's
 * items left out — no statistic reads them), the outcome thresholds it is judged by (null without
 * an outcome instrument with reliable change), its ratings in force by channel (the patient's own
 * and the collateral raters' apart, as the rater filter reads them) and whether a collateral rater
 * took part. `ageYears` is the patient's age the thresholds were looked up at
 * when the episode had no rating yet; once it moves on, the facts are stale.
 */
export interface EpisodeFacts {
	history: History;
	/** The same sessions with the collateral rater's ratings in place of the patient's; null when no collateral rating was given. */
	collateralHistory: History | null;
	thresholds: DomainEpisode['thresholds'] | null;
	/** The alliance instrument's cutoff and drop (null without an alliance measure, or one without a drop). */
	alliance: { cutoff: number; drop: number } | null;
	/** Ratings by channel (tablet, paper, link): every rater's but the collateral raters'. */
	channels: Record<string, number>;
	/** The collateral raters' ratings by channel. */
	collateralChannels: Record<string, number>;
	collateral: boolean;
	ageYears: number | null;
}

/**
 * One session as stored, numbers only: number, its time in epoch milliseconds, attendance (its index
 * in ATTENDANCE), then instrument index and total of the outcome and of the alliance (-1 = none).
 */
type StoredSession = [number, number, number, number, number, number, number];
/** The collateral rater's outcome and alliance of the same session: instrument index and total of each (-1 = none). */
type StoredCollateral = [number, number, number, number];
/** Bumped when the stored form changes: facts of another version are stale and worked out again. */
const FACTS_VERSION = 3;
/** No statistic reads a rating's items; every decoded rating shares this empty set. */
const NO_ITEMS: Readonly<Record<string, number>> = Object.freeze({});
/** The stored form: the instruments named once, each session a short array (a tenth of the objects' size; the page parses thousands). */
interface StoredFacts {
	version?: number;
	instruments: string[];
	sessions: StoredSession[];
	collateral_sessions: StoredCollateral[] | null;
	thresholds: EpisodeFacts['thresholds'];
	alliance: EpisodeFacts['alliance'];
	channels: Record<string, number>;
	collateral_channels: Record<string, number>;
	collateral: boolean;
	ageYears: number | null;
}

function encode(facts: EpisodeFacts): StoredFacts {
	const instruments: string[] = [];
	const index = (r: Rating | null): number => {
		if (r === null) return -1;
		const key = `${r.instrumentId}@${r.instrumentVersion}`;
		const i = instruments.indexOf(key);
		return i === -1 ? instruments.push(key) - 1 : i;
	};
	const sessions = facts.history.map((s): StoredSession => [
		s.session,
		Date.parse(s.date),
		ATTENDANCE.indexOf(s.attendance),
		index(s.outcome),
		s.outcome?.total ?? 0,
		index(s.alliance),
		s.alliance?.total ?? 0
	]);
	const collateralSessions =
		facts.collateralHistory === null ? null : facts.collateralHistory.map((s): StoredCollateral => [index(s.outcome), s.outcome?.total ?? 0, index(s.alliance), s.alliance?.total ?? 0]);
	return {
		version: FACTS_VERSION,
		instruments,
		sessions,
		collateral_sessions: collateralSessions,
		thresholds: facts.thresholds,
		alliance: facts.alliance,
		channels: facts.channels,
		collateral_channels: facts.collateralChannels,
		collateral: facts.collateral,
		ageYears: facts.ageYears
	};
}

function decode(stored: StoredFacts): EpisodeFacts {
	const instruments = stored.instruments.map((key) => {
		const at = key.lastIndexOf('@');
		return { instrumentId: key.slice(0, at), instrumentVersion: Number(key.slice(at + 1)) };
	});
	const rating = (i: number, total: number): Rating | null =>
		i === -1 ? null : { instrumentId: instruments[i]!.instrumentId, instrumentVersion: instruments[i]!.instrumentVersion, total, items: NO_ITEMS };
	const history = stored.sessions.map(([session, at, attendance, o, oTotal, a, aTotal]) => ({
		session,
		date: new Date(at).toISOString(),
		attendance: ATTENDANCE[attendance]!,
		outcome: rating(o, oTotal),
		alliance: rating(a, aTotal)
	}));
	const collateral = stored.collateral_sessions;
	return {
		history,
		collateralHistory: collateral === null ? null : history.map((s, i) => ({ ...s, outcome: rating(collateral[i]![0], collateral[i]![1]), alliance: rating(collateral[i]![2], collateral[i]![3]) })),
		thresholds: stored.thresholds,
		alliance: stored.alliance,
		channels: stored.channels,
		collateralChannels: stored.collateral_channels,
		collateral: stored.collateral,
		ageYears: stored.ageYears
	};
}

/** Worked out from one episode's record, as the patient page reads it. */
export function factsOf(record: RecordEpisode, registry: Registry, birthYear: number, now: Date): EpisodeFacts {
	const history = historyOf(record.appointments).map((s) => ({
		...s,
		outcome: s.outcome === null ? null : { ...s.outcome, items: NO_ITEMS },
		alliance: s.alliance === null ? null : { ...s.alliance, items: NO_ITEMS }
	}));
	const measures = measuresOf(record, registry, birthYear, now);
	const outcome = measures.outcome;
	const rci = outcome?.thresholds.rci ?? null;
	const allianceDrop = measures.alliance?.thresholds.drop ?? null;
	const channels: Record<string, number> = {};
	const collateralChannels: Record<string, number> = {};
	let collateral = false;
	for (const a of record.appointments)
		for (const r of a.ratings) {
			const by = r.rater === 'collateral' ? collateralChannels : channels;
			by[r.source] = (by[r.source] ?? 0) + 1;
			if (r.rater === 'collateral') collateral = true;
		}
	// historyOf keeps every appointment but the scheduled ones, in order: entry i is held[i].
	const held = record.appointments.filter((a) => a.status !== 'scheduled');
	const byCollateral = (i: number, kind: 'outcome' | 'alliance'): Rating | null => {
		const r = held[i]!.ratings.find((x) => x.kind === kind && x.rater === 'collateral');
		return r === undefined ? null : { instrumentId: r.instrumentId, instrumentVersion: r.instrumentVersion, total: r.total, items: NO_ITEMS };
	};
	return {
		history,
		collateralHistory: collateral ? history.map((s, i) => ({ ...s, outcome: byCollateral(i, 'outcome'), alliance: byCollateral(i, 'alliance') })) : null,
		thresholds: outcome === null || rci === null ? null : { cutoff: outcome.thresholds.cutoff, rci, strict: outcome.thresholds.rciStrict },
		alliance: measures.alliance === null || allianceDrop === null ? null : { cutoff: measures.alliance.thresholds.cutoff, drop: allianceDrop },
		channels,
		collateralChannels,
		collateral,
		ageYears: ageFromBirthYear(birthYear, now)
	};
}

type Target = { episodeId: number } | { appointmentId: number };

/**
 * Forgets the stored facts of an episode whose appointments or ratings changed. Call it in the
 * transaction of the change: the page then works the episode out afresh until the sweep stores it again.
 */
export function forgetStatistics(db: Pick<Db, 'delete'>, target: Target): void {
	const episodeId = 'episodeId' in target ? target.episodeId : sql`(SELECT ${appointments.episodeId} FROM ${appointments} WHERE ${appointments.id} = ${target.appointmentId})`;
	db.delete(episodeStatistics).where(eq(episodeStatistics.episodeId, episodeId)).run();
}

/** Stored in this version and for the patient's age now. */
const current = (stored: StoredFacts, birthYear: number, now: Date): boolean => stored.version === FACTS_VERSION && stored.ageYears === ageFromBirthYear(birthYear, now);

/** The stored facts of these episodes that are still current at `now`; the others are missing from the map. */
export function storedFacts(db: Db, ids: readonly number[], birthYears: ReadonlyMap<number, number>, now: Date): Map<number, EpisodeFacts> {
	const out = new Map<number, EpisodeFacts>();
	if (ids.length === 0) return out;
	const json = JSON.stringify(ids);
	for (const r of db
		.select({ episodeId: episodeStatistics.episodeId, facts: episodeStatistics.facts })
		.from(episodeStatistics)
		.where(sql`${episodeStatistics.episodeId} IN (SELECT value FROM json_each(${json}))`)
		.all()) {
		const stored = r.facts as StoredFacts;
		const birthYear = birthYears.get(r.episodeId);
		if (birthYear !== undefined && current(stored, birthYear, now)) out.set(r.episodeId, decode(stored));
	}
	return out;
}

/** How many episodes one slice of the sweep works out (about 10 ms each on the bench's clinic). */
const SLICE = 100;

/**
 * Stores the facts of every episode that has none (new, changed since, or stale by age), in
 * slices with the loop free between them (background.ts). Returns how many it stored.
 */
export async function refreshStatistics(db: Db, registry: Registry, now: () => Date): Promise<number> {
	let stored = 0;
	const stale = db
		.select({ episode: episodes, birthYear: patients.birthYear, facts: episodeStatistics.facts })
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.leftJoin(episodeStatistics, eq(episodeStatistics.episodeId, episodes.id))
		.all()
		.filter((r) => r.facts === null || !current(r.facts as StoredFacts, r.birthYear, now()))
		.map((r) => ({ id: r.episode.id, birthYear: r.birthYear }));
	for (let i = 0; i < stale.length; i += SLICE) {
		const started = performance.now();
		const ids = stale.slice(i, i + SLICE);
		db.transaction((tx) => {
			// Read and written in one transaction: a change committed meanwhile has already deleted its row and is read here as it is now.
			const eps = db
				.select()
				.from(episodes)
				.where(
					inArray(
						episodes.id,
						ids.map((e) => e.id)
					)
				)
				.all();
			const birthYears = new Map(ids.map((e) => [e.id, e.birthYear]));
			const at = now();
			episodeRecords(db, registry, eps).forEach((record) => {
				const facts = encode(factsOf(record, registry, birthYears.get(record.id)!, at));
				tx.insert(episodeStatistics)
					.values({ episodeId: record.id, facts, computedAt: at })
					.onConflictDoUpdate({ target: episodeStatistics.episodeId, set: { facts, computedAt: at } })
					.run();
				stored++;
			});
		});
		if (i + SLICE < stale.length) await pauseAfterSlice(started);
	}
	return stored;
}

/** Episodes without stored facts (for the health of the sweep and the tests). */
export function missingStatistics(db: Db): number {
	return (
		db
			.select({ n: sql<number>`count(*)` })
			.from(episodes)
			.leftJoin(episodeStatistics, eq(episodeStatistics.episodeId, episodes.id))
			.where(isNull(episodeStatistics.episodeId))
			.get()?.n ?? 0
	);
}
