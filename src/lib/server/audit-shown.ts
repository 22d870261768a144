import { sql } from 'drizzle-orm';
import type { Db } from './db';
import { auditEventPatients } from './db/schema';
import { recordAudit, type AuditEntry } from './audit';

/**
 * One audit event for a page that shows several patients (the caseload, the meeting list, a
 * group's appointment), linked to each patient it showed, so that every patient's access log
 * finds the page view. One event per page view, however many patients.
 */
export function recordAuditShown(db: Db, entry: AuditEntry, patientIds: readonly number[], now: Date): void {
	const shown = [...new Set(patientIds)];
	db.transaction((tx) => {
		recordAudit(tx, entry, now);
		// The row just appended: the newest, in this transaction of the one writing connection.
		const eventId = tx.get<{ id: number }>(sql`SELECT max(id) AS id FROM audit_events`).id;
		for (let i = 0; i < shown.length; i += 400) {
			const slice = shown.slice(i, i + 400);
			if (slice.length > 0)
				tx.insert(auditEventPatients)
					.values(slice.map((patientId) => ({ eventId, patientId })))
					.run();
		}
	});
}
