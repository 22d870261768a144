import { and, eq, gte, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { checklistAnswers, episodes, flags, milestoneMeetings, outreachTasks, patients, riskActions, teams } from '../db/schema';
import { osloDate } from '$lib/domain/oslo-day';
import { episodeTeam } from '../access';
import { episodeRecords } from '../patients';
import { factsOf, storedFacts, type EpisodeFacts } from './summaries';
import { transitionDates } from '../episode-course';
import type { Registry } from '$lib/domain/registry';
import type { History } from '$lib/domain/history';
import type { Episode as DomainEpisode } from '$lib/domain/episode';
import { ageAt } from '$lib/domain/age';
import { ageBand, type AgeBand } from '$lib/domain/statistics/volume';
import { flagResponse, type FlagResponse } from '$lib/domain/statistics/warning-signs';
import type { Scope, StatisticsFilters } from './scope';

/** One episode as the statistics read it: its facts, its history and, with an outcome measure, its domain episode. */
export interface StatEpisode {
	id: number;
	patientId: number;
	teamId: number;
	responsibleId: number | null;
	setting: (typeof episodes.$inferSelect)['setting'];
	startDate: string;
	actualEnd: string | null;
	endReason: DomainEpisode['ending'];
	ageBand: AgeBand | null;
	/** The sessions with the ratings of the rater the filter chose. */
	history: History;
	/** The alliance cutoff and drop of its alliance measure; null without one. */
	alliance: EpisodeFacts['alliance'];
	/** Null when the episode has no outcome instrument with reliable change to judge it by. */
	episode: DomainEpisode | null;
	/** The flags it had ('signal:<rule>', 'factor:<key>') and the checklist factors answered yes ('factor:<key>'), each once. */
	signs: string[];
	/** Per flag key, the response to the episode's first flag of it. */
	responses: Record<string, FlagResponse>;
	transitions: string[];
}

export interface ScopeData {
	episodes: StatEpisode[];
	/** Ratings in force by how they were given, of the episodes' sessions. */
	channels: Record<string, number>;
	/** Episodes with at least one collateral rating. */
	collateralEpisodes: number;
	outreach: { tasks: number; reEngaged: number };
	/** The milestone meetings of the episodes: the date set and the Oslo date held (null: not held). */
	meetings: { scheduled: string; held: string | null }[];
}

function scopeCondition(scope: Scope): SQL {
	if (scope.kind === 'service') return eq(teams.organisationId, scope.organisationId);
	if (scope.kind === 'team') return sql`${episodeTeam} = ${scope.teamId}`;
	const ids = JSON.stringify(scope.teamIds);
	return and(eq(episodes.responsibleId, scope.clinicianId), sql`${episodeTeam} IN (SELECT value FROM json_each(${ids}))`) as SQL;
}

/**
 * The episodes of a scope in treatment at some point of the period (started by its end, not
 * ended before its start), with the setting and age band filters, read in a few set queries.
 */
export function loadScope(db: Db, registry: Registry, scope: Scope, filters: StatisticsFilters, now: Date): ScopeData {
	const inScope = db
		.select({ episode: episodes, birthYear: patients.birthYear, teamId: episodeTeam })
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.innerJoin(teams, sql`${teams.id} = ${episodeTeam}`)
		.where(
			and(
				scopeCondition(scope),
				lte(episodes.startDate, filters.to),
				or(isNull(episodes.actualEnd), gte(episodes.actualEnd, filters.from)),
				filters.setting === 'all' ? undefined : eq(episodes.setting, filters.setting)
			)
		)
		.all()
		.map((r) => ({ ...r, ageBand: ageBand(ageAt(r.birthYear, r.episode.startDate)) }))
		.filter((r) => filters.age === 'all' || r.ageBand === filters.age);
	const allFacts = factsFor(
		db,
		registry,
		inScope.map((r) => ({ episode: r.episode, birthYear: r.birthYear })),
		now
	);
	// The collateral rater's figures: only the episodes with a collateral rating, read through their ratings.
	const rows = filters.rater === 'patient' ? inScope : inScope.filter((r) => allFacts.get(r.episode.id)!.collateralHistory !== null);
	const facts = new Map(rows.map((r) => [r.episode.id, allFacts.get(r.episode.id)!]));
	const ids = JSON.stringify(rows.map((r) => r.episode.id));
	const signs = signsOf(db, ids);
	const transitions = transitionDates(
		db,
		rows.map((r) => r.episode.id)
	);
	const list = rows.map((r): StatEpisode => {
		const f = facts.get(r.episode.id)!;
		const history = filters.rater === 'collateral' ? f.collateralHistory! : f.history;
		const thresholds = f.thresholds;
		const s = signs.get(r.episode.id);
		return {
			id: r.episode.id,
			patientId: r.episode.patientId,
			teamId: r.teamId,
			responsibleId: r.episode.responsibleId,
			setting: r.episode.setting,
			startDate: r.episode.startDate,
			actualEnd: r.episode.actualEnd,
			endReason: r.episode.endReason,
			ageBand: r.ageBand,
			history,
			alliance: f.alliance,
			episode: thresholds === null ? null : { id: String(r.episode.id), history, ending: r.episode.endReason, thresholds },
			signs: s?.signs ?? [],
			responses: s?.responses ?? {},
			transitions: transitions.get(r.episode.id) ?? []
		};
	});
	const channels: Record<string, number> = {};
	let collateralEpisodes = 0;
	for (const f of facts.values()) {
		for (const [source, n] of Object.entries(filters.rater === 'collateral' ? f.collateralChannels : f.channels)) channels[source] = (channels[source] ?? 0) + n;
		if (f.collateral) collateralEpisodes++;
	}
	return { episodes: list, channels, collateralEpisodes, outreach: outreachOf(db, ids), meetings: meetingsOf(db, ids) };
}

/**
 * Each episode's facts: stored by the sweep where current (summaries.ts), worked out here from
 * its appointments and ratings where not — read only, a GET stores nothing.
 */
function factsFor(db: Db, registry: Registry, eps: { episode: typeof episodes.$inferSelect; birthYear: number }[], now: Date): Map<number, EpisodeFacts> {
	const facts = storedFacts(
		db,
		eps.map((e) => e.episode.id),
		new Map(eps.map((e) => [e.episode.id, e.birthYear])),
		now
	);
	const missing = eps.filter((e) => !facts.has(e.episode.id));
	episodeRecords(
		db,
		registry,
		missing.map((e) => e.episode)
	).forEach((record, i) => facts.set(record.id, factsOf(record, registry, missing[i]!.birthYear, now)));
	return facts;
}

const inIds = (column: SQLiteColumn, ids: string): SQL => sql`${column} IN (SELECT value FROM json_each(${ids}))`;

function signsOf(db: Db, ids: string): Map<number, { signs: string[]; responses: Record<string, FlagResponse> }> {
	const out = new Map<number, { signs: string[]; responses: Record<string, FlagResponse> }>();
	const of = (id: number) => {
		let entry = out.get(id);
		if (entry === undefined) out.set(id, (entry = { signs: [], responses: {} }));
		return entry;
	};
	const firstAction = db
		.select({ at: sql<number | null>`min(${riskActions.createdAt})` })
		.from(riskActions)
		.where(eq(riskActions.flagId, flags.id));
	const flagRows = db
		.select({ episodeId: flags.episodeId, key: flags.key, raisedAt: flags.raisedAt, acknowledgedAt: flags.acknowledgedAt, actedAt: sql<number | null>`(${firstAction})` })
		.from(flags)
		.where(inIds(flags.episodeId, ids))
		.orderBy(flags.episodeId, flags.raisedAt)
		.all();
	for (const f of flagRows) {
		const entry = of(f.episodeId);
		if (entry.responses[f.key] !== undefined) continue;
		entry.signs.push(f.key);
		const seen = [f.acknowledgedAt?.getTime() ?? null, f.actedAt].filter((t): t is number => t !== null);
		entry.responses[f.key] = flagResponse(f.raisedAt.getTime(), seen.length === 0 ? null : Math.min(...seen));
	}
	for (const a of db
		.selectDistinct({ episodeId: checklistAnswers.episodeId, key: checklistAnswers.factorKey })
		.from(checklistAnswers)
		.where(and(inIds(checklistAnswers.episodeId, ids), eq(checklistAnswers.answer, 'yes')))
		.all()) {
		const entry = of(a.episodeId);
		if (!entry.signs.includes(`factor:${a.key}`)) entry.signs.push(`factor:${a.key}`);
	}
	return out;
}

function meetingsOf(db: Db, ids: string): ScopeData['meetings'] {
	return db
		.select({ scheduled: milestoneMeetings.scheduledDate, heldAt: milestoneMeetings.heldAt })
		.from(milestoneMeetings)
		.where(inIds(milestoneMeetings.episodeId, ids))
		.all()
		.map((m) => ({ scheduled: m.scheduled, held: m.heldAt === null ? null : osloDate(m.heldAt) }));
}

function outreachOf(db: Db, ids: string): ScopeData['outreach'] {
	const outreach = db
		.select({ tasks: sql<number>`count(*)`, reEngaged: sql<number>`coalesce(sum(${outreachTasks.outcome} = 're-engaged'), 0)` })
		.from(outreachTasks)
		.where(inIds(outreachTasks.episodeId, ids))
		.get();
	return { tasks: outreach?.tasks ?? 0, reEngaged: outreach?.reEngaged ?? 0 };
}
