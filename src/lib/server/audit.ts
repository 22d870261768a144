import type { Db } from './db';
import { auditEvents, type AuditAction } from './db/schema';

export interface AuditEntry {
	userId: number | null;
	action: AuditAction;
	patientId?: number | null;
	detail?: string | null;
	address?: string | null;
}

/** Appends one event to the audit trail. Reads of patient records are audited too, not only writes. */
export function recordAudit(db: Pick<Db, 'insert'>, entry: AuditEntry, now: Date): void {
	db.insert(auditEvents)
		.values({
			at: now,
			userId: entry.userId,
			action: entry.action,
			patientId: entry.patientId ?? null,
			detail: entry.detail ?? null,
			address: entry.address ?? null
		})
		.run();
}
