import { and, eq, gte, inArray, isNotNull, lt, ne } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEvents, episodes, logControlReviews, patients, teamMemberships, users, type Role } from '../db/schema';
import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { osloDay } from '../appointments';
import { unusualAccess, unusualKinds, type RecordAccess, type UnusualAccess, type UnusualKind } from '$lib/domain/log-control';

/** Oslo calendar days, 'YYYY-MM-DD', both included. */
export interface LogControlPeriod {
	from: string;
	to: string;
}

export interface ReviewMark {
	note: string;
	by: string;
	at: Date;
}

export interface LogControlFinding extends Omit<UnusualAccess, 'eventIds'> {
	/** The first audit row of the finding: with kind and reader, what a review names. */
	firstEventId: number;
	reader: { id: number; name: string; username: string; role: Role };
	/** The newest review covering every row of the finding; null while any row is unreviewed. */
	reviewed: ReviewMark | null;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The rows log control reads: every event a person did that names a patient of the organisation —
 * opening, changing, printing the record, and a refused attempt. Giving the access log is left
 * out: it follows from the record (the team) or is the admin's own duty (by code).
 */
function recordAccesses(db: Db | Tx, organisationId: number, period: LogControlPeriod): RecordAccess[] {
	const start = osloDay(new Date(`${period.from}T12:00:00Z`)).start;
	const end = osloDay(new Date(`${period.to}T12:00:00Z`)).end;
	return db
		.select({ eventId: auditEvents.id, userId: auditEvents.userId, patientId: auditEvents.patientId, at: auditEvents.at })
		.from(auditEvents)
		.innerJoin(users, eq(users.id, auditEvents.userId))
		.innerJoin(patients, eq(patients.id, auditEvents.patientId))
		.where(and(eq(users.organisationId, organisationId), gte(auditEvents.at, start), lt(auditEvents.at, end), isNotNull(auditEvents.patientId), ne(auditEvents.action, 'gave_access_log')))
		.all()
		.map((r) => ({ eventId: r.eventId, userId: r.userId!, patientId: r.patientId!, at: r.at }));
}

/**
 * Whether a patient is in the reader's caseload: one of the reader's teams now holds the patient
 * or one of their episodes (access.ts). Teams as they are today: a read before a move between
 * teams may show as outside — the note says why when it is reviewed.
 */
function caseloads(db: Db | Tx, reads: readonly RecordAccess[]): (userId: number, patientId: number) => boolean {
	const userIds = [...new Set(reads.map((r) => r.userId))];
	const patientIds = [...new Set(reads.map((r) => r.patientId))];
	if (userIds.length === 0) return () => false;
	const teamsOf = new Map<number, Set<number>>();
	const add = (map: Map<number, Set<number>>, key: number, team: number | null) => {
		if (team !== null) map.set(key, (map.get(key) ?? new Set()).add(team));
	};
	for (const m of db.select().from(teamMemberships).where(inArray(teamMemberships.userId, userIds)).all()) add(teamsOf, m.userId, m.teamId);
	const holders = new Map<number, Set<number>>();
	for (const p of db.select({ id: patients.id, teamId: patients.teamId }).from(patients).where(inArray(patients.id, patientIds)).all()) add(holders, p.id, p.teamId);
	for (const e of db.select({ patientId: episodes.patientId, teamId: episodes.teamId }).from(episodes).where(inArray(episodes.patientId, patientIds)).all()) add(holders, e.patientId, e.teamId);
	return (userId, patientId) => [...(holders.get(patientId) ?? [])].some((t) => teamsOf.get(userId)?.has(t) ?? false);
}

/** The period's findings, as the domain's rules with the installation's thresholds find them. */
function findingsOf(db: Db | Tx, ctx: Pick<RequestContext, 'config'>, organisationId: number, period: LogControlPeriod): UnusualAccess[] {
	const reads = recordAccesses(db, organisationId, period);
	return unusualAccess(reads, caseloads(db, reads), ctx.config.logControl);
}

function reviewsOf(db: Db | Tx, organisationId: number, readerIds: number[]) {
	if (readerIds.length === 0) return [];
	return db
		.select({
			kind: logControlReviews.kind,
			readerId: logControlReviews.readerId,
			eventIds: logControlReviews.eventIds,
			note: logControlReviews.note,
			at: logControlReviews.reviewedAt,
			by: users.displayName
		})
		.from(logControlReviews)
		.innerJoin(users, eq(users.id, logControlReviews.reviewedById))
		.where(and(eq(logControlReviews.organisationId, organisationId), inArray(logControlReviews.readerId, readerIds)))
		.orderBy(logControlReviews.id)
		.all();
}

/**
 * The admin's log-control report of a period: the findings by kind (outside the reader's teams,
 * many records in a short time, at night), each with who, how many reads of how many patients,
 * when, and whether it has been reviewed. Reading the report is audited with the period.
 */
export function loadLogControl(
	ctx: RequestContext,
	admin: SessionUser,
	period: LogControlPeriod
): { period: LogControlPeriod; rules: RequestContext['config']['logControl']; findings: LogControlFinding[] } {
	const { db } = ctx;
	return db.transaction((tx) => {
		recordAudit(tx, { userId: admin.id, action: 'viewed_log_control', detail: `period ${period.from} to ${period.to}`, address: ctx.address }, ctx.now);
		const found = findingsOf(tx, ctx, admin.organisationId, period);
		const readerIds = [...new Set(found.map((f) => f.userId))];
		const readers = new Map(
			(readerIds.length === 0 ? [] : tx.select({ id: users.id, name: users.displayName, username: users.username, role: users.role }).from(users).where(inArray(users.id, readerIds)).all()).map(
				(u) => [u.id, u]
			)
		);
		const reviews = reviewsOf(tx, admin.organisationId, readerIds);
		const order = (k: UnusualKind) => unusualKinds.indexOf(k);
		const findings = found.map((f): LogControlFinding => {
			const mine = reviews.filter((r) => r.kind === f.kind && r.readerId === f.userId);
			const covered = new Set(mine.flatMap((r) => r.eventIds));
			const last = mine.at(-1);
			const { eventIds, ...rest } = f;
			return {
				...rest,
				firstEventId: eventIds[0]!,
				reader: readers.get(f.userId)!,
				reviewed: last !== undefined && eventIds.every((id) => covered.has(id)) ? { note: last.note, by: last.by, at: last.at } : null
			};
		});
		findings.sort((a, b) => order(a.kind) - order(b.kind) || a.firstAt.getTime() - b.firstAt.getTime());
		return { period, rules: ctx.config.logControl, findings };
	});
}

export interface ReviewInput {
	period: LogControlPeriod;
	kind: UnusualKind;
	readerId: number;
	firstEventId: number;
	note: string;
}

export type ReviewResult = { ok: true; reader: string } | { ok: false; reason: 'not_found' };

/**
 * Marks one finding reviewed with the admin's note. The finding is found again from the trail
 * (kind, reader and first row in the period), so the rows stored are the trail's, not the form's;
 * the review and its audit row are one transaction.
 */
export function reviewFinding(ctx: RequestContext, admin: SessionUser, input: ReviewInput): ReviewResult {
	return ctx.db.transaction((tx): ReviewResult => {
		const finding = findingsOf(tx, ctx, admin.organisationId, input.period).find((f) => f.kind === input.kind && f.userId === input.readerId && f.eventIds[0] === input.firstEventId);
		if (finding === undefined) return { ok: false, reason: 'not_found' };
		tx.insert(logControlReviews)
			.values({ organisationId: admin.organisationId, kind: finding.kind, readerId: finding.userId, eventIds: finding.eventIds, note: input.note, reviewedById: admin.id, reviewedAt: ctx.now })
			.run();
		const reader = tx.select({ username: users.username }).from(users).where(eq(users.id, finding.userId)).get()!;
		recordAudit(
			tx,
			{
				userId: admin.id,
				action: 'log_control_reviewed',
				detail: `${finding.kind} by user ${finding.userId}, events ${finding.eventIds[0]}–${finding.eventIds.at(-1)} (${finding.reads}): ${input.note}`.slice(0, 500),
				address: ctx.address
			},
			ctx.now
		);
		return { ok: true, reader: reader.username };
	});
}
