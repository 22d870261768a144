import { asc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEventPatients, auditEvents, teamMemberships, teams, users, type AuditAction, type Locale, type Patient, type Role } from '../db/schema';
import type { SessionUser } from '../auth/session';
import type { RequestContext } from '../context';
import { recordAudit } from '../audit';
import { findPatientByCode } from '../data-rights/erase';

/** A patient who has stated no language gets the log in the installation's base language (bokmål). */
const BASE_LOCALE: Locale = 'nb';

export interface AccessLogRow {
	id: number;
	at: Date;
	/** Null for what no person did (the sweep raising a flag, an API client's request). */
	name: string | null;
	role: Role | null;
	teams: string[];
	action: AuditAction;
}

export interface AccessLog {
	/** The patient by code only: the log is not the record. */
	patient: { code: string; locale: Locale };
	givenAt: Date;
	rows: AccessLogRow[];
}

/**
 * Every audit event about the patient, oldest first: the events that name them, and the list
 * pages that showed them (audit_event_patients). Who did it, with their role and teams; what, as
 * the action (the page translates it; the detail stays in the trail, it carries rule ids).
 */
export function accessLogRows(db: Db, patientId: number): AccessLogRow[] {
	const shown = db.select({ id: auditEventPatients.eventId }).from(auditEventPatients).where(eq(auditEventPatients.patientId, patientId));
	const events = db
		.select({ id: auditEvents.id, at: auditEvents.at, action: auditEvents.action, userId: auditEvents.userId, name: users.displayName, role: users.role })
		.from(auditEvents)
		.leftJoin(users, eq(users.id, auditEvents.userId))
		.where(or(eq(auditEvents.patientId, patientId), inArray(auditEvents.id, shown)))
		.orderBy(asc(auditEvents.id))
		.all();
	const userIds = [...new Set(events.flatMap((e) => (e.userId === null ? [] : [e.userId])))];
	const memberships =
		userIds.length === 0
			? []
			: db
					.select({ userId: teamMemberships.userId, name: teams.name })
					.from(teamMemberships)
					.innerJoin(teams, eq(teams.id, teamMemberships.teamId))
					.where(inArray(teamMemberships.userId, userIds))
					.orderBy(asc(teams.name))
					.all();
	const teamsOf = new Map<number, string[]>();
	for (const m of memberships) teamsOf.set(m.userId, [...(teamsOf.get(m.userId) ?? []), m.name]);
	return events.map((e) => ({ id: e.id, at: e.at, name: e.name, role: e.role, teams: e.userId === null ? [] : (teamsOf.get(e.userId) ?? []), action: e.action }));
}

/** Gives the log out: audited first, in the same transaction, so the giving is in the log it gives. */
function give(db: Db, user: SessionUser, patient: Patient, detail: string, address: string | null, now: Date): AccessLog {
	return db.transaction((tx) => {
		recordAudit(tx, { userId: user.id, action: 'gave_access_log', patientId: patient.id, detail, address }, now);
		return { patient: { code: patient.code, locale: patient.preferredLocale ?? BASE_LOCALE }, givenAt: now, rows: accessLogRows(db, patient.id) };
	});
}

/** The treating team's access log of its patient (the guard has found the patient). */
export function giveAccessLog(ctx: RequestContext, access: { user: SessionUser; patient: Patient }): AccessLog {
	return give(ctx.db, access.user, access.patient, 'to the treating team', ctx.address, ctx.now);
}

/**
 * The admin's access log by patient code: the admin treats no one, so the record is not opened
 * (no viewed_patient event), only the log is read. Null for a code not in the organisation.
 */
export function giveAccessLogByCode(ctx: RequestContext, admin: SessionUser, code: string): AccessLog | null {
	const patient = findPatientByCode(ctx.db, admin.organisationId, code);
	return patient === null ? null : give(ctx.db, admin, patient, 'by code, to the administrator', ctx.address, ctx.now);
}
