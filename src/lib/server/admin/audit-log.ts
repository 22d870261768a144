import { and, count, desc, eq, gte, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { auditActions, auditEvents, patients, users, type AuditAction } from '../db/schema';
import { osloDay } from '../appointments';

/** Events per page: one screen of a long table, and a cheap query with the indexes on `at`. */
export const AUDIT_PAGE_SIZE = 100;

export interface AuditFilters {
	userId: number | null;
	patientCode: string | null;
	action: AuditAction | null;
	/** Calendar days in Oslo, 'YYYY-MM-DD', both included. */
	from: string | null;
	to: string | null;
}

export interface AuditRow {
	id: number;
	at: Date;
	username: string | null;
	action: AuditAction;
	patientCode: string | null;
	detail: string | null;
	address: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Events whose detail is about accounts, teams and the installation, never about treatment: the
 * admin reads it whole. Every other event is clinical (a checklist review, a flag, a meeting, a
 * rating): the admin sees which event it was and which record it touched, and its content stays
 * with the treating team.
 */
const ADMINISTRATIVE: ReadonlySet<AuditAction> = new Set<AuditAction>([
	'signed_in',
	'signed_out',
	'failed_sign_in',
	'user_created',
	'user_disabled',
	'user_enabled',
	'user_changed',
	'password_changed',
	'password_reset',
	'pin_reset',
	'pin_failed',
	'signed_out_everywhere',
	'viewed_audit_log',
	'setup_completed',
	'team_created',
	'team_changed',
	'team_archived',
	'team_restored',
	'team_member_added',
	'team_member_removed',
	'erased_patient',
	'second_factor_enrolled',
	'second_factor_passed',
	'second_factor_failed',
	'second_factor_removed',
	'recovery_codes_renewed',
	// To whom a patient's access log was given: no treatment in it.
	'gave_access_log',
	// Log control and single sign-on: about accounts and access, the admin's own notes.
	'viewed_log_control',
	'log_control_reviewed',
	'sso_waiting',
	'sso_approved',
	'sso_turned_away'
]);

/** The records a clinical event's detail names ("episode 12", "flag 3"), without what was said about them. */
const RECORD_REFERENCE = /\b(episode|flag|action|meeting|goal|appointment|rating|handoff|team page) \d+/g;

/** What the admin's audit trail shows of an event's detail. */
export function adminDetail(action: AuditAction, detail: string | null): string | null {
	if (detail === null || ADMINISTRATIVE.has(action)) return detail;
	const records = [...new Set(detail.match(RECORD_REFERENCE) ?? [])];
	return records.length === 0 ? null : records.join(', ');
}

/** Filters from the address bar; anything malformed is ignored rather than refused. */
export function auditFiltersFrom(params: URLSearchParams): { filters: AuditFilters; page: number } {
	const get = (name: string): string | null => {
		const v = params.get(name)?.trim() ?? '';
		return v === '' ? null : v;
	};
	const user = get('user');
	const action = get('action');
	const day = (name: string) => {
		const v = get(name);
		return v !== null && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) ? v : null;
	};
	const page = Number(get('page'));
	return {
		filters: {
			userId: user !== null && /^[1-9][0-9]{0,9}$/.test(user) ? Number(user) : null,
			patientCode: get('patient')?.slice(0, 60) ?? null,
			action: auditActions.includes(action as AuditAction) ? (action as AuditAction) : null,
			from: day('from'),
			to: day('to')
		},
		page: Number.isInteger(page) && page >= 1 ? page : 1
	};
}

/**
 * One page of the organisation's audit trail, newest first. Events of the organisation's users
 * or patients are shown, and events with neither (a failed sign-in for an unknown name), which
 * belong to the installation. Read-only: this module, like the rest of the app, never changes
 * an event.
 */
export function readAuditLog(db: Db, organisationId: number, filters: AuditFilters, page: number): { rows: AuditRow[]; total: number; page: number; pages: number } {
	const where: (SQL | undefined)[] = [or(eq(users.organisationId, organisationId), eq(patients.organisationId, organisationId), and(isNull(auditEvents.userId), isNull(auditEvents.patientId)))];
	if (filters.userId !== null) where.push(eq(auditEvents.userId, filters.userId));
	if (filters.patientCode !== null) where.push(eq(patients.code, filters.patientCode));
	if (filters.action !== null) where.push(eq(auditEvents.action, filters.action));
	if (filters.from !== null) where.push(gte(auditEvents.at, osloDay(new Date(`${filters.from}T12:00:00Z`)).start));
	if (filters.to !== null) where.push(lt(auditEvents.at, osloDay(new Date(`${filters.to}T12:00:00Z`)).end));
	const condition = and(...where);
	const total = db.select({ n: count() }).from(auditEvents).leftJoin(users, eq(users.id, auditEvents.userId)).leftJoin(patients, eq(patients.id, auditEvents.patientId)).where(condition).get()?.n ?? 0;
	const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
	const current = Math.min(page, pages);
	const rows = db
		.select({
			id: auditEvents.id,
			at: auditEvents.at,
			username: users.username,
			action: auditEvents.action,
			patientCode: patients.code,
			detail: auditEvents.detail,
			address: auditEvents.address
		})
		.from(auditEvents)
		.leftJoin(users, eq(users.id, auditEvents.userId))
		.leftJoin(patients, eq(patients.id, auditEvents.patientId))
		.where(condition)
		.orderBy(desc(auditEvents.id))
		.limit(AUDIT_PAGE_SIZE)
		.offset((current - 1) * AUDIT_PAGE_SIZE)
		.all()
		.map((r) => ({ ...r, detail: adminDetail(r.action, r.detail) }));
	return { rows, total, page: current, pages };
}
