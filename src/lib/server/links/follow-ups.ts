import { and, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { episodes, followUpPoints, outboxMessages, patients, ratingLinks, type FollowUpPoint } from '../db/schema';
import type { MessagingConfig } from '../config';
import type { SessionUser } from '../auth/session';
import { episodeTeam, visibleTeamIds } from '../access';
import { recordAudit } from '../audit';
import { currentDischargePlan } from '../milestones/plan';
import { forgetStatistics } from '../statistics/summaries';
import { activeConsent, compose, lastMessageAt } from './outbox';
import { newToken, tokenHash } from './rating-links';
import { chooseInstrument } from '$lib/domain/choose-instrument';
import { ageFromBirthYear } from '$lib/domain/age';
import { addMonths, FOLLOW_UP_SEND_HOUR, followUpPoints as plannedPoints, followUpState, inSendWindow, MAX_FOLLOW_UP_MONTHS, type FollowUpState } from '$lib/domain/follow-up';
import { linkExpiry, FOLLOW_UP_DAYS } from '$lib/domain/rating-links';
import { mayMessageToday, osloTime } from '$lib/domain/remote-schedule';
import { addDays } from '$lib/domain/booking';
import { osloDate } from '$lib/domain/oslo-day';
import { scoreRating, type ScoreProblem } from '$lib/domain/scoring';
import type { Registry, RegisteredInstrument } from '$lib/domain/registry';

/**
 * The follow-up points of ended episodes (domain/follow-up.ts), kept for each episode that ended
 * recently enough for one still to be sent: the configured months of its service and the discharge
 * plan's date. A point whose day is already past its send window is not kept (an episode that
 * ended before follow-ups were switched on gets only what is still ahead). Repeating adds nothing.
 */
export function planFollowUps(db: Db, months: MessagingConfig['followUpMonths'], now: Date): number {
	const today = osloDate(now);
	// The latest point an installation may set, plus the days it may still be sent in.
	const since = addMonths(addDays(today, -FOLLOW_UP_DAYS), -MAX_FOLLOW_UP_MONTHS);
	const ended = db
		.select({ id: episodes.id, actualEnd: episodes.actualEnd, setting: episodes.setting })
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(and(isNotNull(episodes.actualEnd), gte(episodes.actualEnd, since), isNull(patients.erasedAt)))
		.all();
	let added = 0;
	for (const e of ended) {
		const planDate = currentDischargePlan(db, e.id)?.plan.followUpRatingDate ?? null;
		const ahead = plannedPoints(e.actualEnd!, months[e.setting], planDate).filter((p) => p.dueOn > today || inSendWindow(p.dueOn, today));
		if (ahead.length === 0) continue;
		added += db
			.insert(followUpPoints)
			.values(ahead.map((p) => ({ episodeId: e.id, months: p.months, dueOn: p.dueOn, createdAt: now })))
			.onConflictDoNothing()
			.run().changes;
	}
	return added;
}

/**
 * Sends each follow-up point whose day has come, once: a link of kind `follow_up` for the outcome
 * form alone and its message, in one transaction. Not sent (and expired once its window has
 * passed): the patient has no consent in force or stopped, had a message today, or is back in
 * treatment (a new episode, or this one reopened) where the tablet asks.
 */
export function queueFollowUps(db: Db, registry: Registry, config: MessagingConfig, preferred: readonly string[], now: Date): number {
	if (config.origin === null) return 0;
	const today = osloDate(now);
	const due = db
		.select({ point: followUpPoints, patient: patients, makerId: sql<number | null>`coalesce(${episodes.responsibleId}, ${episodes.endedById})` })
		.from(followUpPoints)
		.innerJoin(episodes, eq(episodes.id, followUpPoints.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(
			and(
				isNull(followUpPoints.answeredAt),
				gte(followUpPoints.dueOn, addDays(today, -(FOLLOW_UP_DAYS - 1))),
				sql`${followUpPoints.dueOn} <= ${today}`,
				isNotNull(episodes.actualEnd),
				isNull(patients.erasedAt),
				sql`NOT EXISTS (SELECT 1 FROM ${ratingLinks} l WHERE l.follow_up_point_id = ${followUpPoints.id})`,
				sql`NOT EXISTS (SELECT 1 FROM ${episodes} o WHERE o.patient_id = ${patients.id} AND o.actual_end IS NULL)`
			)
		)
		.all();
	let queued = 0;
	for (const { point, patient, makerId } of due) {
		if (now.getTime() < osloTime(point.dueOn, FOLLOW_UP_SEND_HOUR).getTime()) continue;
		const consent = activeConsent(db, patient.id);
		if (consent === null || makerId === null || !mayMessageToday(lastMessageAt(db, patient.id), now)) continue;
		const instrument = chooseInstrument(registry, { kind: 'outcome', rater: 'patient', age: ageFromBirthYear(patient.birthYear, now), preferred });
		if (instrument === null) continue;
		const def = instrument.definition;
		const token = newToken();
		db.transaction((tx) => {
			const link = tx
				.insert(ratingLinks)
				.values({
					tokenHash: tokenHash(token),
					kind: 'follow_up',
					appointmentId: null,
					followUpPointId: point.id,
					instrumentId: def.id,
					instrumentVersion: def.version,
					createdById: makerId,
					createdAt: now,
					expiresAt: linkExpiry('follow_up', now, now)
				})
				.returning()
				.get();
			const text = compose('invitation', 'follow_up', config.origin!, token, link.expiresAt, patient.preferredLocale ?? 'nb');
			tx.insert(outboxMessages)
				.values({ linkId: link.id, patientId: patient.id, kind: 'invitation', channel: consent.channel, recipient: consent.address, ...text, nextAttemptAt: now, createdAt: now })
				.run();
			recordAudit(tx, { userId: makerId, action: 'rating_link_made', patientId: patient.id, detail: `link ${link.id} follow_up ${def.id} follow-up point ${point.id}`, address: null }, now);
		});
		queued++;
	}
	return queued;
}

export type FollowUpAnswerResult =
	| { ok: true; status: 'stored' | 'already_stored'; followUpPointId: number }
	| { ok: false; reason: 'invalid_values'; problems: ScoreProblem[] }
	| { ok: false; reason: 'already_answered' | 'client_id_reused' | 'episode_closed' };

/**
 * A follow-up answered on the patient's phone: scored by the same domain code as every rating,
 * kept on its point, the link marked answered and the audit row written, in one transaction. The
 * same client id again is "already stored"; another answer to an answered point is refused.
 */
export function storeFollowUpAnswer(
	db: Db,
	input: { linkId: number; pointId: number; patientId: number; clientId: string; instrument: RegisteredInstrument; values: Readonly<Record<string, unknown>>; address: string | null },
	now: Date
): FollowUpAnswerResult {
	const def = input.instrument.definition;
	const scored = scoreRating(def, input.values);
	if (!scored.ok) return { ok: false, reason: 'invalid_values', problems: scored.errors };
	return db.transaction((tx): FollowUpAnswerResult => {
		const byClient = tx.select().from(followUpPoints).where(eq(followUpPoints.clientId, input.clientId)).get();
		if (byClient !== undefined) return byClient.id === input.pointId ? { ok: true, status: 'already_stored', followUpPointId: byClient.id } : { ok: false, reason: 'client_id_reused' };
		const point = tx
			.select({ answeredAt: followUpPoints.answeredAt, episodeId: followUpPoints.episodeId, actualEnd: episodes.actualEnd })
			.from(followUpPoints)
			.innerJoin(episodes, eq(episodes.id, followUpPoints.episodeId))
			.where(eq(followUpPoints.id, input.pointId))
			.get();
		if (point === undefined || point.actualEnd === null) return { ok: false, reason: 'episode_closed' };
		if (point.answeredAt !== null) return { ok: false, reason: 'already_answered' };
		tx.update(followUpPoints)
			.set({ clientId: input.clientId, instrumentId: def.id, instrumentVersion: def.version, itemValues: scored.items, total: scored.total, answeredAt: now })
			.where(eq(followUpPoints.id, input.pointId))
			.run();
		tx.update(ratingLinks).set({ answeredAt: now }).where(eq(ratingLinks.id, input.linkId)).run();
		forgetStatistics(tx, { episodeId: point.episodeId });
		recordAudit(
			tx,
			{
				userId: null,
				action: 'follow_up_answered',
				patientId: input.patientId,
				detail: `follow-up point ${input.pointId} ${def.id}; the patient's own phone, link ${input.linkId}`,
				address: input.address
			},
			now
		);
		return { ok: true, status: 'stored', followUpPointId: input.pointId };
	});
}

export interface FollowUpRow {
	id: number;
	months: number | null;
	dueOn: string;
	state: FollowUpState;
	total: number | null;
	instrumentId: string | null;
	answeredAt: Date | null;
}

/** The points with their newest link, and each point's state. */
function rowsOf(db: Db, condition: ReturnType<typeof and>, now: Date): (FollowUpRow & { episodeId: number })[] {
	const today = osloDate(now);
	const points = db.select().from(followUpPoints).where(condition).orderBy(followUpPoints.dueOn).all();
	if (points.length === 0) return [];
	const links = db
		.select({ pointId: ratingLinks.followUpPointId, expiresAt: ratingLinks.expiresAt, withdrawnAt: ratingLinks.withdrawnAt })
		.from(ratingLinks)
		.where(
			inArray(
				ratingLinks.followUpPointId,
				points.map((p) => p.id)
			)
		)
		.orderBy(desc(ratingLinks.id))
		.all();
	return points.map((p: FollowUpPoint) => {
		const link = links.find((l) => l.pointId === p.id) ?? null;
		return { id: p.id, episodeId: p.episodeId, months: p.months, dueOn: p.dueOn, state: followUpState(p, link, today, now), total: p.total, instrumentId: p.instrumentId, answeredAt: p.answeredAt };
	});
}

/** An episode's follow-up points, earliest first, for its chart and record. */
export function followUpsOfEpisode(db: Db, episodeId: number, now: Date): FollowUpRow[] {
	return rowsOf(db, and(eq(followUpPoints.episodeId, episodeId)), now).map(({ episodeId: _, ...row }) => row);
}

/** An episode's answered follow-ups, in the order they were answered, for its chart. */
export function answeredFollowUps(db: Db, episodeId: number): { date: string; total: number }[] {
	return db
		.select({ answeredAt: followUpPoints.answeredAt, total: followUpPoints.total })
		.from(followUpPoints)
		.where(and(eq(followUpPoints.episodeId, episodeId), isNotNull(followUpPoints.answeredAt)))
		.orderBy(followUpPoints.answeredAt)
		.all()
		.map((p) => ({ date: p.answeredAt!.toISOString(), total: p.total! }));
}

/** What the team's follow-up card lists: points due or sent, and those answered or expired in the last weeks. */
export const TEAM_FOLLOW_UP_DAYS = 28;

export interface TeamFollowUp extends FollowUpRow {
	patientId: number;
	code: string;
	displayName: string;
}

/**
 * The follow-ups of the user's teams' ended episodes whose day was in the last TEAM_FOLLOW_UP_DAYS
 * or is today: due, sent, answered or expired (planned ones are not work yet). Earliest first.
 */
export function teamFollowUps(db: Db, user: SessionUser, now: Date): TeamFollowUp[] {
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return [];
	const today = osloDate(now);
	const who = db
		.select({ episodeId: episodes.id, patientId: patients.id, code: patients.code, displayName: patients.displayName })
		.from(followUpPoints)
		.innerJoin(episodes, eq(episodes.id, followUpPoints.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(and(inArray(episodeTeam, teamIds), isNull(patients.erasedAt), gte(followUpPoints.dueOn, addDays(today, -TEAM_FOLLOW_UP_DAYS)), sql`${followUpPoints.dueOn} <= ${today}`))
		.all();
	if (who.length === 0) return [];
	const byEpisode = new Map(who.map((w) => [w.episodeId, w]));
	return rowsOf(db, and(inArray(followUpPoints.episodeId, [...byEpisode.keys()]), gte(followUpPoints.dueOn, addDays(today, -TEAM_FOLLOW_UP_DAYS)), sql`${followUpPoints.dueOn} <= ${today}`), now).map(
		({ episodeId, ...row }) => {
			const w = byEpisode.get(episodeId)!;
			return { ...row, patientId: w.patientId, code: w.code, displayName: w.displayName };
		}
	);
}
