import { sql } from 'drizzle-orm';
import type { Db } from './db';
import { auditEvents, type AuditAction } from './db/schema';
import { perDatabase } from './db/prepared';
import { CHAIN_FUNCTION, detailHash } from './audit-chain';

export interface AuditEntry {
	userId: number | null;
	action: AuditAction;
	patientId?: number | null;
	detail?: string | null;
	/** The client's address (ctx.address); null only for what no request asked for (the sweep, the start). */
	address: string | null;
	/** The API client that asked, when the actor is one (userId is then null). */
	apiClientId?: number | null;
}

type Inserter = Pick<Db, 'insert'>;

// Prepared once per database (a transaction object gets its own, as before): every rating and
// every patient page writes an audit line. The row's place in the chain (audit-chain.ts) is
// worked out by the same statement, from the last row's hash: one statement, so atomic.
const insertAudit = perDatabase((db: Inserter) =>
	db
		.insert(auditEvents)
		.values({
			at: sql.placeholder('at'),
			userId: sql.placeholder('userId'),
			action: sql.placeholder('action'),
			patientId: sql.placeholder('patientId'),
			detail: sql.placeholder('detail'),
			address: sql.placeholder('address'),
			apiClientId: sql.placeholder('apiClientId'),
			detailHash: sql.placeholder('detailHash'),
			hash: sql`${sql.raw(CHAIN_FUNCTION)}(coalesce((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), ''), ${sql.placeholder('atMs')}, ${sql.placeholder('userId')}, ${sql.placeholder('action')}, ${sql.placeholder('patientId')}, ${sql.placeholder('detailHash')}, ${sql.placeholder('address')}, ${sql.placeholder('apiClientId')})`
		})
		.prepare()
);

/** Appends one event to the audit trail. Reads of patient records are audited too, not only writes. */
export function recordAudit(db: Inserter, entry: AuditEntry, now: Date): void {
	const detail = entry.detail ?? null;
	insertAudit(db).run({
		at: now,
		atMs: now.getTime(),
		userId: entry.userId,
		action: entry.action,
		patientId: entry.patientId ?? null,
		detail,
		address: entry.address ?? null,
		apiClientId: entry.apiClientId ?? null,
		detailHash: detailHash(detail)
	});
}
