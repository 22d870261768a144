import { sql } from 'drizzle-orm';
import type { Db } from './db';
import { auditEvents, type AuditAction } from './db/schema';
import { perDatabase } from './db/prepared';

export interface AuditEntry {
	userId: number | null;
	action: AuditAction;
	patientId?: number | null;
	detail?: string | null;
	address?: string | null;
}

type Inserter = Pick<Db, 'insert'>;

// Prepared once per database (a transaction object gets its own, as before): every rating and
// every patient page writes an audit line.
const insertAudit = perDatabase((db: Inserter) =>
	db
		.insert(auditEvents)
		.values({
			at: sql.placeholder('at'),
			userId: sql.placeholder('userId'),
			action: sql.placeholder('action'),
			patientId: sql.placeholder('patientId'),
			detail: sql.placeholder('detail'),
			address: sql.placeholder('address')
		})
		.prepare()
);

/** Appends one event to the audit trail. Reads of patient records are audited too, not only writes. */
export function recordAudit(db: Inserter, entry: AuditEntry, now: Date): void {
	insertAudit(db).run({
		at: now,
		userId: entry.userId,
		action: entry.action,
		patientId: entry.patientId ?? null,
		detail: entry.detail ?? null,
		address: entry.address ?? null
	});
}
