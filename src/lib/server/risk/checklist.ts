import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { absencePlans, checklistAnswers, users, type ChecklistAnswer } from '../db/schema';
import { recordAudit } from '../audit';
import { idsIn, perDatabase } from '../db/prepared';
import type { Checklist } from '$lib/domain/checklist';
import type { FactorAnswer } from '$lib/domain/risk';
import type { Doer } from '../context';

export type AnswerInForce = Pick<ChecklistAnswer, 'factorKey' | 'answer' | 'note' | 'factorDate' | 'assessedAt' | 'checklistId' | 'checklistVersion'> & {
	assessedBy: string;
};

/**
 * The answers in force on episodes: the newest row per factor (rows are never changed; a review
 * adds rows). Keyed by episode id, then factor key.
 */
// Prepared once: every flag evaluation asks it, for one episode or a slice of a sweep.
const answersStatement = perDatabase((db: Db) => {
	const newest = db
		.select({ id: sql<number>`max(${checklistAnswers.id})`.as('newest_id') })
		.from(checklistAnswers)
		.where(idsIn(checklistAnswers.episodeId))
		.groupBy(checklistAnswers.episodeId, checklistAnswers.factorKey)
		.as('newest');
	return db
		.select({ row: checklistAnswers, assessedBy: users.displayName })
		.from(checklistAnswers)
		.innerJoin(newest, eq(newest.id, checklistAnswers.id))
		.innerJoin(users, eq(users.id, checklistAnswers.assessedById))
		.prepare();
});

export function answersInForce(db: Db, episodeIds: readonly number[]): Map<number, Map<string, AnswerInForce>> {
	const out = new Map<number, Map<string, AnswerInForce>>();
	if (episodeIds.length === 0) return out;
	const rows = answersStatement(db).all({ ids: JSON.stringify(episodeIds) });
	for (const { row, assessedBy } of rows) {
		const map = out.get(row.episodeId) ?? new Map<string, AnswerInForce>();
		map.set(row.factorKey, {
			factorKey: row.factorKey,
			answer: row.answer,
			note: row.note,
			factorDate: row.factorDate,
			assessedAt: row.assessedAt,
			checklistId: row.checklistId,
			checklistVersion: row.checklistVersion,
			assessedBy
		});
		out.set(row.episodeId, map);
	}
	return out;
}

/** The answers as the risk rules read them: factor key → yes / no / unknown. */
export function answerValues(answers: ReadonlyMap<string, AnswerInForce> | undefined): Record<string, FactorAnswer> {
	const out: Record<string, FactorAnswer> = {};
	for (const [key, a] of answers ?? []) out[key] = a.answer;
	return out;
}

/** The date of the newest answer to a factor that asks for one (the transition), or null. */
export function transitionDate(checklist: Checklist, answers: ReadonlyMap<string, AnswerInForce> | undefined): string | null {
	for (const factor of checklist.factors) {
		if (factor.hasDate !== true) continue;
		const date = answers?.get(factor.key)?.factorDate;
		if (date !== null && date !== undefined) return date;
	}
	return null;
}

/** When the checklist of an episode was last reviewed (the newest answer), or null when never. */
export function lastReviewed(answers: ReadonlyMap<string, AnswerInForce> | undefined): Date | null {
	let newest: Date | null = null;
	for (const a of answers?.values() ?? []) if (newest === null || a.assessedAt > newest) newest = a.assessedAt;
	return newest;
}

export interface SubmittedFactor {
	answer: FactorAnswer;
	note: string;
	date: string | null;
}

/**
 * A review of the whole checklist by `user`: one new row per factor (the answer may be the same
 * as before; the row records that it was looked at again), in one transaction, audited with what
 * changed. Factors the checklist does not have are not accepted (the caller validated the form).
 */
export function reviewChecklist(
	db: Db,
	user: Doer,
	target: { episodeId: number; patientId: number },
	checklist: Checklist,
	submitted: Readonly<Record<string, SubmittedFactor>>,
	now: Date
): { changed: string[] } {
	return db.transaction((tx) => {
		const before = answersInForce(tx as unknown as Db, [target.episodeId]).get(target.episodeId);
		const changed: string[] = [];
		for (const factor of checklist.factors) {
			const s = submitted[factor.key] ?? { answer: 'unknown', note: '', date: null };
			const old = before?.get(factor.key);
			if (old === undefined ? s.answer !== 'unknown' || s.note !== '' || s.date !== null : old.answer !== s.answer || old.note !== s.note || old.factorDate !== s.date) {
				changed.push(`${factor.key}=${s.answer}`);
			}
			tx.insert(checklistAnswers)
				.values({
					episodeId: target.episodeId,
					checklistId: checklist.id,
					checklistVersion: checklist.version,
					factorKey: factor.key,
					answer: s.answer,
					note: s.note,
					factorDate: s.date,
					assessedById: user.id,
					assessedAt: now
				})
				.run();
		}
		recordAudit(
			tx,
			{ userId: user.id, action: 'checklist_assessed', patientId: target.patientId, detail: `episode ${target.episodeId}; changed: ${changed.join(', ') || 'none'}`, address: user.address ?? null },
			now
		);
		return { changed };
	});
}

export interface AbsencePlan {
	agreement: string;
	recordedBy: string;
	recordedAt: Date;
}

/** The agreement in force on what the service does if the patient stops coming, or null. */
export function currentAbsencePlan(db: Db, episodeId: number): AbsencePlan | null {
	const row = db
		.select({ agreement: absencePlans.agreement, recordedBy: users.displayName, recordedAt: absencePlans.recordedAt })
		.from(absencePlans)
		.innerJoin(users, eq(users.id, absencePlans.recordedById))
		.where(eq(absencePlans.episodeId, episodeId))
		.orderBy(desc(absencePlans.id))
		.limit(1)
		.get();
	return row ?? null;
}

/** Records the agreement (a new version; earlier ones are kept), audited. */
export function recordAbsencePlan(db: Db, user: Doer, target: { episodeId: number; patientId: number }, agreement: string, now: Date): void {
	db.transaction((tx) => {
		tx.insert(absencePlans).values({ episodeId: target.episodeId, agreement, recordedById: user.id, recordedAt: now }).run();
		recordAudit(tx, { userId: user.id, action: 'absence_plan_recorded', patientId: target.patientId, detail: `episode ${target.episodeId}`, address: user.address ?? null }, now);
	});
}

/** Every answer ever given on the episode, newest first (the checklist's history). */
export function checklistHistory(db: Db, episodeId: number): (ChecklistAnswer & { assessedBy: string })[] {
	return db
		.select({ row: checklistAnswers, assessedBy: users.displayName })
		.from(checklistAnswers)
		.innerJoin(users, eq(users.id, checklistAnswers.assessedById))
		.where(and(eq(checklistAnswers.episodeId, episodeId)))
		.orderBy(desc(checklistAnswers.id))
		.all()
		.map((r) => ({ ...r.row, assessedBy: r.assessedBy }));
}

/** The answers as they stood at the end of a day ('YYYY-MM-DD', UTC): newest row per factor up to then. */
export function answersAsOf(db: Db, episodeId: number, date: string): Record<string, FactorAnswer> {
	const until = Date.parse(`${date}T23:59:59.999Z`);
	const out: Record<string, FactorAnswer> = {};
	for (const row of [...checklistHistory(db, episodeId)].reverse()) {
		if (row.assessedAt.getTime() <= until) out[row.factorKey] = row.answer;
	}
	return out;
}
