import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db';
import { absencePlans, episodes, flags, patients, riskActions, users, type Episode, type Flag, type RiskAction } from '../db/schema';
import { openOutreachTask } from '../outreach';
import { recordAudit } from '../audit';
import { episodeRecords, type RecordEpisode } from '../patients';
import { historyOf, measuresOf, signalThresholds } from '../trajectory';
import { expectedFor } from '../expected-models';
import { answerValues, answersInForce, transitionDate, type AnswerInForce } from './checklist';
import { sessionIntervalDays, type RiskConfig } from './config';
import { flagKind, riskConditions, type FlagKind, type RiskCondition, type RiskInput } from '$lib/domain/risk';
import { transitionForRisk } from '$lib/domain/episode-course';
import { applyDueTransitions, transitionDates } from '../episode-course';
import { osloDate } from '../appointments';
import { ageFromBirthYear } from '$lib/domain/age';
import type { Registry } from '$lib/domain/registry';
import { pauseAfterSlice } from '../background';
import { idsIn, perDatabase } from '../db/prepared';
import type { Doer } from '../context';

/**
 * Every condition that holds for one episode now: the checklist answers in force, the signals of
 * its ratings (with the thresholds of the patient's age band and the expected model when there is
 * one) and its attendance. Pure reading; nothing is stored.
 */
export function episodeConditions(
	db: Db,
	registry: Registry,
	config: RiskConfig,
	episode: RecordEpisode,
	birthYear: number,
	answers: ReadonlyMap<string, AnswerInForce> | undefined,
	now: Date,
	options: { transitions?: readonly string[]; judging?: RiskInput['judging'] } = {}
): RiskCondition[] {
	const history = historyOf(episode.appointments);
	const measures = measuresOf(episode, registry, birthYear, now);
	const thresholds = signalThresholds(measures, config.checkpoints);
	const source = measures.outcome === null || thresholds === null ? null : expectedFor(registry, measures.outcome.instrument);
	return riskConditions({
		history,
		thresholds,
		model: source === null || source.kind === 'rules' ? null : source.model,
		appointments: episode.appointments.map((a) => ({ at: a.scheduledAt.toISOString(), status: a.status })),
		// A recorded transition (the episode page) wins over a date typed on the checklist.
		episode: { start: episode.startDate, transition: transitionForRisk(options.transitions ?? [], transitionDate(config.checklist, answers), osloDate(now)) },
		now,
		attendance: { ...config.attendance, plannedIntervalDays: sessionIntervalDays(episode) },
		checklist: config.checklist,
		answers: answerValues(answers),
		age: ageFromBirthYear(birthYear, now),
		judging: options.judging ?? 'complete-sessions'
	});
}

export interface SyncResult {
	raised: number;
	resolved: number;
	updated: number;
}

/**
 * Brings an episode's open flags in line with the conditions that hold now, in one transaction:
 * a condition without an open flag raises one (once — the open flag is found by its key next
 * time); an open flag whose condition no longer holds is resolved by the data and stays in the
 * history; an open flag whose data moved (three misses instead of two) keeps its raise time and
 * shows the new figures. A closed episode raises nothing and its open flags are resolved. A
 * condition whose flag a clinician closed by hand raises no new flag until the data has once
 * been seen without it (then a return is a new situation and raises a new flag).
 * Raising and resolving are audited (by no user: the data did it).
 */
export function syncFlags(db: Db, episode: { id: number; patientId: number; open: boolean }, conditions: readonly RiskCondition[], now: Date): SyncResult {
	return db.transaction((tx) => {
		const open = openFlagsOf(db).all({ episodeId: episode.id });
		const byKey = new Map(open.map((f) => [f.key, f]));
		const holding = new Map((episode.open ? conditions : []).map((c) => [c.key, c]));
		const result: SyncResult = { raised: 0, resolved: 0, updated: 0 };
		const closedByHand = new Map(
			closedByHandOf(db)
				.all({ episodeId: episode.id })
				.map((f) => [f.key, f])
		);
		for (const c of holding.values()) {
			const existing = byKey.get(c.key);
			if (existing === undefined && closedByHand.has(c.key)) continue;
			if (existing === undefined) {
				const row = tx
					.insert(flags)
					.values({
						episodeId: episode.id,
						key: c.key,
						source: c.source,
						rule: c.rule,
						rulesVersion: c.rulesVersion,
						params: { ...c.params },
						raisedParams: { ...c.params },
						text: c.text,
						raisedAt: now
					})
					.returning({ id: flags.id })
					.get();
				recordAudit(tx, { userId: null, action: 'flag_raised', patientId: episode.patientId, detail: `flag ${row.id} ${c.key} (rules v${c.rulesVersion})`, address: null }, now);
				if (c.rule === 'long-gap') outreachAfterLongGap(db, episode, now);
				result.raised++;
			} else if (!sameParams(existing.params, c.params) || existing.text !== c.text || existing.rulesVersion !== c.rulesVersion) {
				tx.update(flags)
					.set({ params: { ...c.params }, text: c.text, rulesVersion: c.rulesVersion })
					.where(eq(flags.id, existing.id))
					.run();
				result.updated++;
			}
		}
		for (const f of closedByHand.values()) {
			if (!holding.has(f.key)) tx.update(flags).set({ conditionClearedAt: now }).where(eq(flags.id, f.id)).run();
		}
		for (const f of open) {
			if (holding.has(f.key)) continue;
			const resolution = episode.open ? 'condition-cleared' : 'episode-ended';
			tx.update(flags).set({ resolvedAt: now, resolution }).where(eq(flags.id, f.id)).run();
			recordAudit(tx, { userId: null, action: 'flag_resolved', patientId: episode.patientId, detail: `flag ${f.id} ${f.key}: ${resolution}`, address: null }, now);
			result.resolved++;
		}
		return result;
	});
}

/**
 * A long gap the absence agreement says to act on opens an outreach task for the responsible
 * clinician: an episode with an agreement recorded has said what the service does when the
 * patient stops coming (docs/clinical/dropout-and-milestones.md). Without an agreement, or
 * without anyone holding the episode, the flag alone asks the team.
 */
function outreachAfterLongGap(db: Db, episode: { id: number; patientId: number }, now: Date): void {
	const row = db.select({ responsibleId: episodes.responsibleId }).from(episodes).where(eq(episodes.id, episode.id)).get();
	if (row === undefined || row.responsibleId === null) return;
	if (db.select({ id: absencePlans.id }).from(absencePlans).where(eq(absencePlans.episodeId, episode.id)).get() === undefined) return;
	openOutreachTask(db, { episodeId: episode.id, patientId: episode.patientId, reason: 'long-gap', ownerId: row.responsibleId, openedById: null }, now, null);
}

const openFlagsOf = perDatabase((db: Db) =>
	db
		.select()
		.from(flags)
		.where(and(eq(flags.episodeId, sql.placeholder('episodeId')), isNull(flags.resolvedAt)))
		.prepare()
);

/** Flags closed by hand whose condition the data has not yet been seen to clear. */
const closedByHandOf = perDatabase((db: Db) =>
	db
		.select({ id: flags.id, key: flags.key })
		.from(flags)
		.where(and(eq(flags.episodeId, sql.placeholder('episodeId')), eq(flags.resolution, 'closed-by-hand'), isNull(flags.conditionClearedAt)))
		.prepare()
);

function sameParams(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
	const ka = Object.keys(a);
	return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * Evaluates the given episodes (rows from `episodes`) and syncs their flags, in one transaction:
 * what is read is one state of the database, and the slice is one commit, not one per episode.
 */
export function refreshFlags(db: Db, registry: Registry, config: RiskConfig, eps: readonly (Episode & { birthYear: number })[], now: Date): SyncResult {
	return db.$client.transaction(() => {
		const records = episodeRecords(db, registry, eps);
		return syncRecords(
			db,
			registry,
			config,
			records.map((record, i) => ({ record, patientId: eps[i]!.patientId, birthYear: eps[i]!.birthYear })),
			now
		);
	})();
}

/** Evaluates episodes already read with their appointments and ratings, and syncs their flags. */
export function syncRecords(db: Db, registry: Registry, config: RiskConfig, items: readonly { record: RecordEpisode; patientId: number; birthYear: number }[], now: Date): SyncResult {
	const total: SyncResult = { raised: 0, resolved: 0, updated: 0 };
	const answers = answersInForce(
		db,
		items.map((x) => x.record.id)
	);
	const transitions = transitionDates(
		db,
		items.map((x) => x.record.id)
	);
	for (const { record, patientId, birthYear } of items) {
		const open = record.actualEnd === null;
		const conditions = open ? episodeConditions(db, registry, config, record, birthYear, answers.get(record.id), now, { transitions: transitions.get(record.id) }) : [];
		const r = syncFlags(db, { id: record.id, patientId, open }, conditions, now);
		total.raised += r.raised;
		total.resolved += r.resolved;
		total.updated += r.updated;
	}
	return total;
}

const episodesWithBirthYear = perDatabase((db: Db) =>
	db.select({ episode: episodes, birthYear: patients.birthYear }).from(episodes).innerJoin(patients, eq(patients.id, episodes.patientId)).where(idsIn(episodes.id)).orderBy(asc(episodes.id)).prepare()
);

/** Re-evaluates episodes by id (after ratings, an attendance change or a checklist review). */
export function refreshEpisodesFlags(db: Db, registry: Registry, config: RiskConfig, episodeIds: readonly number[], now: Date): SyncResult {
	const eps = episodesWithBirthYear(db)
		.all({ ids: JSON.stringify(episodeIds) })
		.map((r) => ({ ...r.episode, birthYear: r.birthYear }));
	return refreshFlags(db, registry, config, eps, now);
}

/** Re-evaluates one episode (after a rating, an attendance change or a checklist review). */
export function refreshEpisodeFlags(db: Db, registry: Registry, config: RiskConfig, episodeId: number, now: Date): SyncResult {
	return refreshEpisodesFlags(db, registry, config, [episodeId], now);
}

/**
 * Episodes per slice: about 2 ms each, so a slice holds the server for ~20 ms. A request waits
 * for a slice at each of its awaits: slices of 50 gave staff pages a p99 of seconds while the
 * sweep at start ran under load.
 */
const SWEEP_SLICE = 10;

/**
 * Re-evaluates every open episode, and resolves the flags of episodes that closed — time alone
 * raises some flags (a long gap, a transition coming near), so this runs at start and then every
 * `sweepMinutes`. Works in slices and yields between them, so requests are served meanwhile.
 */
export async function sweepFlags(db: Db, registry: Registry, config: RiskConfig, now: () => Date): Promise<SyncResult & { episodes: number }> {
	// Planned transitions whose day has come move their episodes first (team, setting).
	applyDueTransitions(db, now());
	const openIds = db
		.select({ id: episodes.id })
		.from(episodes)
		.where(isNull(episodes.actualEnd))
		.all()
		.map((r) => r.id);
	const closedWithOpenFlags = db
		.selectDistinct({ id: flags.episodeId })
		.from(flags)
		.innerJoin(episodes, eq(episodes.id, flags.episodeId))
		.where(and(isNull(flags.resolvedAt)))
		.all()
		.map((r) => r.id);
	const ids = [...new Set([...openIds, ...closedWithOpenFlags])];
	const total = { raised: 0, resolved: 0, updated: 0, episodes: ids.length };
	for (let i = 0; i < ids.length; i += SWEEP_SLICE) {
		const started = performance.now();
		const r = refreshEpisodesFlags(db, registry, config, ids.slice(i, i + SWEEP_SLICE), now());
		total.raised += r.raised;
		total.resolved += r.resolved;
		total.updated += r.updated;
		await pauseAfterSlice(started);
	}
	return total;
}

const acknowledger = alias(users, 'acknowledger');
const owner = alias(users, 'owner');
const creator = alias(users, 'creator');
const outcomeBy = alias(users, 'outcome_by');
const closer = alias(users, 'closer');

export type FlagView = Flag & { acknowledgedBy: string | null; closedBy: string | null; actions: ActionView[] };
export type ActionView = RiskAction & { owner: string; createdBy: string; outcomeBy: string | null };

/** The actions agreed on an episode, oldest first, with names. */
export function episodeActions(db: Db, episodeId: number): ActionView[] {
	return db
		.select({ action: riskActions, owner: owner.displayName, createdBy: creator.displayName, outcomeBy: outcomeBy.displayName })
		.from(riskActions)
		.innerJoin(owner, eq(owner.id, riskActions.ownerId))
		.innerJoin(creator, eq(creator.id, riskActions.createdById))
		.leftJoin(outcomeBy, eq(outcomeBy.id, riskActions.outcomeById))
		.where(eq(riskActions.episodeId, episodeId))
		.orderBy(asc(riskActions.id))
		.all()
		.map((r) => ({ ...r.action, owner: r.owner, createdBy: r.createdBy, outcomeBy: r.outcomeBy }));
}

/** Every flag of an episode, open ones first then newest first, each with its actions. */
export function episodeFlags(db: Db, episodeId: number): FlagView[] {
	const actions = episodeActions(db, episodeId);
	return db
		.select({ flag: flags, acknowledgedBy: acknowledger.displayName, closedBy: closer.displayName })
		.from(flags)
		.leftJoin(acknowledger, eq(acknowledger.id, flags.acknowledgedById))
		.leftJoin(closer, eq(closer.id, flags.closedById))
		.where(eq(flags.episodeId, episodeId))
		.orderBy(desc(isNull(flags.resolvedAt)), desc(flags.raisedAt), desc(flags.id))
		.all()
		.map((r) => ({ ...r.flag, acknowledgedBy: r.acknowledgedBy, closedBy: r.closedBy, actions: actions.filter((a) => a.flagId === r.flag.id) }));
}

/** The flag, when it belongs to the episode; null otherwise (the caller answers "not found"). */
export function flagOfEpisode(db: Db, episodeId: number, flagId: number): Flag | null {
	return (
		db
			.select()
			.from(flags)
			.where(and(eq(flags.id, flagId), eq(flags.episodeId, episodeId)))
			.get() ?? null
	);
}

/**
 * A named person has seen every open, unseen flag of the episode in one domain (`kind`), or all
 * of them (`kind` null: "mark all seen"): one acknowledgement covers the domain's card. Flags
 * seen before keep their first acknowledgement. One audit row per flag, so each flag's history
 * says who saw it. Returns how many were acknowledged now.
 */
export function acknowledgeFlags(db: Db, user: Doer, episodeId: number, patientId: number, kind: FlagKind | null, now: Date): number {
	return db.transaction((tx) => {
		const unseen = tx
			.select()
			.from(flags)
			.where(and(eq(flags.episodeId, episodeId), isNull(flags.resolvedAt), isNull(flags.acknowledgedAt)))
			.all()
			.filter((f) => kind === null || flagKind(f.source, f.rule) === kind);
		for (const f of unseen) {
			tx.update(flags).set({ acknowledgedById: user.id, acknowledgedAt: now }).where(eq(flags.id, f.id)).run();
			recordAudit(tx, { userId: user.id, action: 'flag_acknowledged', patientId, detail: `flag ${f.id} ${f.key}${kind === null ? ' (all)' : ` (${kind})`}`, address: user.address ?? null }, now);
		}
		return unseen.length;
	});
}

/**
 * A clinician closes an open flag by hand, with the reason (the data may not know what the team
 * knows: the patient has moved, the gap was agreed). It moves to the history as closed by that
 * person; if the condition still holds, the next evaluation raises a new flag, so nothing the
 * data still says is hidden for good. False when the flag is no longer open. Audited.
 */
export function closeFlag(db: Db, user: Doer, flag: Flag, patientId: number, reason: string, now: Date): boolean {
	return db.transaction((tx) => {
		const done =
			tx
				.update(flags)
				.set({
					resolvedAt: now,
					resolution: 'closed-by-hand',
					closedById: user.id,
					closeReason: reason,
					acknowledgedById: flag.acknowledgedById ?? user.id,
					acknowledgedAt: flag.acknowledgedAt ?? now
				})
				.where(and(eq(flags.id, flag.id), isNull(flags.resolvedAt)))
				.run().changes > 0;
		if (done) recordAudit(tx, { userId: user.id, action: 'flag_closed', patientId, detail: `flag ${flag.id} ${flag.key}`, address: user.address ?? null }, now);
		return done;
	});
}

/** A named person has seen the flag. Acknowledging twice keeps the first; audited. */
export function acknowledgeFlag(db: Db, user: Doer, flag: Flag, patientId: number, now: Date): boolean {
	return db.transaction((tx) => {
		const done =
			tx
				.update(flags)
				.set({ acknowledgedById: user.id, acknowledgedAt: now })
				.where(and(eq(flags.id, flag.id), isNull(flags.acknowledgedAt)))
				.run().changes > 0;
		if (done) recordAudit(tx, { userId: user.id, action: 'flag_acknowledged', patientId, detail: `flag ${flag.id} ${flag.key}`, address: user.address ?? null }, now);
		return done;
	});
}

export interface NewAction {
	episodeId: number;
	flagId: number | null;
	/** The domain the action covers as a whole (agreed on a domain's card), if any. */
	flagKind?: FlagKind | null;
	/** The milestone meeting that agreed it, if any. */
	meetingId?: number | null;
	actionKey: string;
	note: string;
	ownerId: number;
	dueDate: string;
}

/**
 * An action with an owner and a due date. Choosing an action on a flag acknowledges it too (the
 * person chose what to do about it). Audited.
 */
export function agreeAction(db: Db, user: Doer, patientId: number, action: NewAction, now: Date): RiskAction {
	return db.transaction((tx) => {
		const row = insertAction(tx, user, patientId, action, now);
		if (action.flagId !== null) {
			tx.update(flags)
				.set({ acknowledgedById: user.id, acknowledgedAt: now })
				.where(and(eq(flags.id, action.flagId), isNull(flags.acknowledgedAt)))
				.run();
		}
		if (action.flagKind != null) {
			const kind = action.flagKind;
			const unseen = tx
				.select()
				.from(flags)
				.where(and(eq(flags.episodeId, action.episodeId), isNull(flags.resolvedAt), isNull(flags.acknowledgedAt)))
				.all()
				.filter((f) => flagKind(f.source, f.rule) === kind);
			for (const f of unseen) tx.update(flags).set({ acknowledgedById: user.id, acknowledgedAt: now }).where(eq(flags.id, f.id)).run();
		}
		return row;
	});
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Stores an agreed action and its audit row inside the caller's transaction. */
export function insertAction(tx: Tx, user: Doer, patientId: number, action: NewAction, now: Date): RiskAction {
	const row = tx
		.insert(riskActions)
		.values({ ...action, createdById: user.id, createdAt: now })
		.returning()
		.get();
	const on = `${action.flagId === null ? '' : ` on flag ${action.flagId}`}${action.flagKind == null ? '' : ` on ${action.flagKind}`}${action.meetingId == null ? '' : ` in meeting ${action.meetingId}`}`;
	recordAudit(
		tx,
		{ userId: user.id, action: 'action_agreed', patientId, detail: `action ${row.id} ${action.actionKey} owner ${action.ownerId} due ${action.dueDate}${on}`, address: user.address ?? null },
		now
	);
	return row;
}

/** The action, when it belongs to the episode; null otherwise. */
export function actionOfEpisode(db: Db, episodeId: number, actionId: number): RiskAction | null {
	return (
		db
			.select()
			.from(riskActions)
			.where(and(eq(riskActions.id, actionId), eq(riskActions.episodeId, episodeId)))
			.get() ?? null
	);
}

/** What came of an action. Recorded once; a second outcome is refused (false). Audited. */
export function recordOutcome(db: Db, user: Doer, patientId: number, action: RiskAction, outcome: string, now: Date): boolean {
	return db.transaction((tx) => {
		const done =
			tx
				.update(riskActions)
				.set({ outcome, outcomeById: user.id, outcomeAt: now })
				.where(and(eq(riskActions.id, action.id), isNull(riskActions.outcomeAt)))
				.run().changes > 0;
		if (done) recordAudit(tx, { userId: user.id, action: 'action_outcome', patientId, detail: `action ${action.id}`, address: user.address ?? null }, now);
		return done;
	});
}

/** Whether an open action is past its due date (due today is not overdue). */
export function isOverdue(action: Pick<RiskAction, 'dueDate' | 'outcomeAt'>, today: string): boolean {
	return action.outcomeAt === null && action.dueDate < today;
}
