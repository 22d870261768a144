import { error } from '@sveltejs/kit';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from './db';
import { episodes, outreachAttempts, outreachTasks, patients, teams, users, type OutreachAttempt, type OutreachTask } from './db/schema';
import type { SessionUser } from './auth/session';
import { recordAudit } from './audit';
import { episodeTeam, visibleTeamIds } from './access';

type Writer = Pick<Db, 'insert' | 'update' | 'select'>;

/**
 * Opens the outreach task of an episode (after a drop-out, or a long gap the absence agreement
 * says to act on), unless one is open already: returns its id either way. Audited.
 */
export function openOutreachTask(
	db: Db,
	task: { episodeId: number; patientId: number; reason: OutreachTask['reason']; ownerId: number; openedById: number | null },
	now: Date,
	address: string | null
): number {
	const open = db
		.select({ id: outreachTasks.id })
		.from(outreachTasks)
		.where(and(eq(outreachTasks.episodeId, task.episodeId), isNull(outreachTasks.closedAt)))
		.get();
	if (open !== undefined) return open.id;
	const row = db
		.insert(outreachTasks)
		.values({ episodeId: task.episodeId, reason: task.reason, ownerId: task.ownerId, openedById: task.openedById, openedAt: now })
		.returning({ id: outreachTasks.id })
		.get();
	recordAudit(
		db,
		{ userId: task.openedById, action: 'outreach_opened', patientId: task.patientId, detail: `outreach ${row.id} on episode ${task.episodeId}: ${task.reason}, owner ${task.ownerId}`, address },
		now
	);
	return row.id;
}

/** Ends the patient's open outreach tasks (re-engaged: the episode reopened or a new one began). */
export function closeOpenOutreach(
	db: Db,
	user: SessionUser,
	patientId: number,
	outcome: NonNullable<OutreachTask['outcome']>,
	resultEpisodeId: number | null,
	now: Date,
	address: string | null
): number {
	const open = db
		.select({ id: outreachTasks.id })
		.from(outreachTasks)
		.innerJoin(episodes, eq(episodes.id, outreachTasks.episodeId))
		.where(and(eq(episodes.patientId, patientId), isNull(outreachTasks.closedAt)))
		.all();
	for (const t of open) {
		db.update(outreachTasks).set({ outcome, resultEpisodeId, closedById: user.id, closedAt: now }).where(eq(outreachTasks.id, t.id)).run();
		recordAudit(db, { userId: user.id, action: 'outreach_closed', patientId, detail: `outreach ${t.id}: ${outcome}${resultEpisodeId === null ? '' : ` (episode ${resultEpisodeId})`}`, address }, now);
	}
	return open.length;
}

export interface NewAttempt {
	date: string;
	channel: OutreachAttempt['channel'];
	result: OutreachAttempt['result'];
	note: string;
}

export type AttemptResult = { ok: true; attempt: OutreachAttempt } | { ok: false; field: 'task'; reason: 'closed' } | { ok: false; field: 'date'; reason: 'before-opened' | 'in-future' };

/** Records one attempt to reach the patient, with its result. */
export function recordAttempt(db: Db, user: SessionUser, patientId: number, task: OutreachTask, input: NewAttempt, today: string, now: Date, address: string | null = null): AttemptResult {
	if (task.closedAt !== null) return { ok: false, field: 'task', reason: 'closed' };
	if (input.date > today) return { ok: false, field: 'date', reason: 'in-future' };
	const episode = db.select({ start: episodes.startDate }).from(episodes).where(eq(episodes.id, task.episodeId)).get();
	if (episode !== undefined && input.date < episode.start) return { ok: false, field: 'date', reason: 'before-opened' };
	return db.transaction((tx) => {
		const attempt = tx
			.insert(outreachAttempts)
			.values({ taskId: task.id, ...input, recordedById: user.id, recordedAt: now })
			.returning()
			.get();
		recordAudit(tx, { userId: user.id, action: 'outreach_attempt', patientId, detail: `outreach ${task.id}: ${input.channel} on ${input.date}, ${input.result}`, address }, now);
		return { ok: true as const, attempt };
	});
}

export type CloseResult = { ok: true } | { ok: false; field: 'task'; reason: 'closed' };

/** Ends the task as declined or unreachable (re-engaged comes from reopening or a new episode). */
export function closeOutreachTask(db: Db, user: SessionUser, patientId: number, task: OutreachTask, outcome: 'declined' | 'unreachable', now: Date, address: string | null = null): CloseResult {
	if (task.closedAt !== null) return { ok: false, field: 'task', reason: 'closed' };
	db.transaction((tx) => {
		tx.update(outreachTasks).set({ outcome, closedById: user.id, closedAt: now }).where(eq(outreachTasks.id, task.id)).run();
		recordAudit(tx, { userId: user.id, action: 'outreach_closed', patientId, detail: `outreach ${task.id}: ${outcome}`, address }, now);
	});
	return { ok: true };
}

/** Gives the task to another member of the team. */
export function setOutreachOwner(db: Writer, task: OutreachTask, ownerId: number): void {
	db.update(outreachTasks).set({ ownerId }).where(eq(outreachTasks.id, task.id)).run();
}

/** The outreach task of a patient's episode by id, or null when it is not theirs. */
export function outreachTaskOfPatient(db: Db, patientId: number, taskId: number): OutreachTask | null {
	const row = db
		.select({ task: outreachTasks })
		.from(outreachTasks)
		.innerJoin(episodes, eq(episodes.id, outreachTasks.episodeId))
		.where(and(eq(outreachTasks.id, taskId), eq(episodes.patientId, patientId)))
		.get();
	return row?.task ?? null;
}

const closer = alias(users, 'closer');

/** A task with its attempts (oldest first) and names. */
export function outreachTaskView(db: Db, task: OutreachTask) {
	const owner = db.select({ name: users.displayName }).from(users).where(eq(users.id, task.ownerId)).get()?.name ?? '';
	const closedBy = task.closedById === null ? null : (db.select({ name: closer.displayName }).from(closer).where(eq(closer.id, task.closedById)).get()?.name ?? null);
	const attempts = db
		.select({ attempt: outreachAttempts, by: users.displayName })
		.from(outreachAttempts)
		.innerJoin(users, eq(users.id, outreachAttempts.recordedById))
		.where(eq(outreachAttempts.taskId, task.id))
		.orderBy(asc(outreachAttempts.date), asc(outreachAttempts.id))
		.all()
		.map((r) => ({ ...r.attempt, by: r.by }));
	return { task, owner, closedBy, attempts };
}

/** The patient's outreach tasks, newest first. */
export function patientOutreachTasks(db: Db, patientId: number): OutreachTask[] {
	return db
		.select({ task: outreachTasks })
		.from(outreachTasks)
		.innerJoin(episodes, eq(episodes.id, outreachTasks.episodeId))
		.where(eq(episodes.patientId, patientId))
		.orderBy(desc(outreachTasks.id))
		.all()
		.map((r) => r.task);
}

export interface OpenOutreachRow {
	taskId: number;
	patientId: number;
	code: string;
	displayName: string;
	teamName: string;
	reason: OutreachTask['reason'];
	owner: string;
	ownerId: number;
	openedAt: Date;
	attempts: number;
}

/**
 * The open outreach tasks of the user's teams (the episode's team now), the oldest first; with
 * `mine`, only the user's own. For the caseload and the meeting list.
 */
export function openOutreachTasks(db: Db, user: SessionUser, mine: boolean): OpenOutreachRow[] {
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return [];
	const rows = db
		.select({
			taskId: outreachTasks.id,
			patientId: patients.id,
			code: patients.code,
			displayName: patients.displayName,
			teamName: teams.name,
			reason: outreachTasks.reason,
			owner: users.displayName,
			ownerId: outreachTasks.ownerId,
			openedAt: outreachTasks.openedAt
		})
		.from(outreachTasks)
		.innerJoin(episodes, eq(episodes.id, outreachTasks.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.innerJoin(teams, eq(teams.id, episodeTeam))
		.innerJoin(users, eq(users.id, outreachTasks.ownerId))
		.where(and(isNull(outreachTasks.closedAt), isNull(patients.erasedAt), inArray(episodeTeam, teamIds), mine ? eq(outreachTasks.ownerId, user.id) : undefined))
		.orderBy(asc(outreachTasks.openedAt))
		.all();
	if (rows.length === 0) return [];
	const counts = new Map<number, number>();
	for (const a of db
		.select({ taskId: outreachAttempts.taskId })
		.from(outreachAttempts)
		.where(
			inArray(
				outreachAttempts.taskId,
				rows.map((r) => r.taskId)
			)
		)
		.all())
		counts.set(a.taskId, (counts.get(a.taskId) ?? 0) + 1);
	return rows.map((r) => ({ ...r, attempts: counts.get(r.taskId) ?? 0 }));
}

/**
 * The outreach task an address names, after the patient's guard: it must be on one of that
 * patient's episodes, or the answer is 404.
 */
export function outreachFromParam(db: Db, patientId: number, raw: string): OutreachTask {
	const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : null;
	const task = id === null ? null : outreachTaskOfPatient(db, patientId, id);
	if (task === null) error(404, 'Not found');
	return task;
}

/** The open outreach tasks as the caseload and the meeting list show them (dates as ISO text). */
export function outreachRows(db: Db, user: SessionUser, mine: boolean) {
	return openOutreachTasks(db, user, mine).map((r) => ({ ...r, openedAt: r.openedAt.toISOString() }));
}
