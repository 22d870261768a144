import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { dischargePlans, goalVersions, treatmentGoals, users, type DischargePlanFields } from '../db/schema';
import { recordAudit } from '../audit';
import type { Doer } from '../context';

export type GoalStatus = (typeof goalVersions.$inferSelect)['status'];

export interface Goal {
	id: number;
	text: string;
	status: GoalStatus;
	recordedBy: string;
	recordedAt: Date;
	versions: number;
}

/** The treatment plan's goals of an episode, oldest first, each as its newest version. */
export function episodeGoals(db: Db, episodeId: number): Goal[] {
	const goals = db.select({ id: treatmentGoals.id }).from(treatmentGoals).where(eq(treatmentGoals.episodeId, episodeId)).orderBy(asc(treatmentGoals.id)).all();
	if (goals.length === 0) return [];
	const versions = db
		.select({ v: goalVersions, by: users.displayName })
		.from(goalVersions)
		.innerJoin(users, eq(users.id, goalVersions.recordedById))
		.where(
			inArray(
				goalVersions.goalId,
				goals.map((g) => g.id)
			)
		)
		.orderBy(desc(goalVersions.id))
		.all();
	return goals.flatMap((g) => {
		const mine = versions.filter((x) => x.v.goalId === g.id);
		const newest = mine[0];
		return newest === undefined ? [] : [{ id: g.id, text: newest.v.text, status: newest.v.status, recordedBy: newest.by, recordedAt: newest.v.recordedAt, versions: mine.length }];
	});
}

/** The goals in force for the patient page and the together view: not dropped, newest words. */
export function currentGoals(db: Db, episodeId: number): { id: number; text: string; status: GoalStatus }[] {
	return episodeGoals(db, episodeId)
		.filter((g) => g.status !== 'dropped')
		.map((g) => ({ id: g.id, text: g.text, status: g.status }));
}

/** A new goal in the patient's own words. Audited. */
export function addGoal(db: Db, user: Doer, target: { episodeId: number; patientId: number }, text: string, status: GoalStatus, now: Date): number {
	return db.transaction((tx) => {
		const goal = tx.insert(treatmentGoals).values({ episodeId: target.episodeId, createdById: user.id, createdAt: now }).returning({ id: treatmentGoals.id }).get();
		tx.insert(goalVersions).values({ goalId: goal.id, text, status, recordedById: user.id, recordedAt: now }).run();
		recordAudit(tx, { userId: user.id, action: 'goal_recorded', patientId: target.patientId, detail: `goal ${goal.id} added (${status})`, address: user.address ?? null }, now);
		return goal.id;
	});
}

/** A goal of this episode, or null. */
export function goalOfEpisode(db: Db, episodeId: number, goalId: number): number | null {
	return (
		db
			.select({ id: treatmentGoals.id })
			.from(treatmentGoals)
			.where(and(eq(treatmentGoals.id, goalId), eq(treatmentGoals.episodeId, episodeId)))
			.get()?.id ?? null
	);
}

/** A new version of a goal's words or status; the earlier one is kept. Audited. */
export function updateGoal(db: Db, user: Doer, patientId: number, goalId: number, text: string, status: GoalStatus, now: Date): void {
	db.transaction((tx) => {
		tx.insert(goalVersions).values({ goalId, text, status, recordedById: user.id, recordedAt: now }).run();
		recordAudit(tx, { userId: user.id, action: 'goal_recorded', patientId, detail: `goal ${goalId} now ${status}`, address: user.address ?? null }, now);
	});
}

/** The discharge plan in force (newest version), or null. */
export function currentDischargePlan(db: Db, episodeId: number): { plan: DischargePlanFields; recordedBy: string; recordedAt: Date } | null {
	const row = db
		.select({ plan: dischargePlans.plan, recordedBy: users.displayName, recordedAt: dischargePlans.recordedAt })
		.from(dischargePlans)
		.innerJoin(users, eq(users.id, dischargePlans.recordedById))
		.where(eq(dischargePlans.episodeId, episodeId))
		.orderBy(desc(dischargePlans.id))
		.limit(1)
		.get();
	return row ?? null;
}

/** Saves the discharge plan as a new version. Audited. */
export function recordDischargePlan(db: Db, user: Doer, target: { episodeId: number; patientId: number }, plan: DischargePlanFields, now: Date): void {
	db.transaction((tx) => {
		tx.insert(dischargePlans).values({ episodeId: target.episodeId, plan, recordedById: user.id, recordedAt: now }).run();
		recordAudit(tx, { userId: user.id, action: 'discharge_plan_recorded', patientId: target.patientId, detail: `episode ${target.episodeId}`, address: user.address ?? null }, now);
	});
}
