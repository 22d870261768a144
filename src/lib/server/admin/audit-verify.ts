import type { Db } from '../db';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { verifyAuditTrail, type BrokenReason } from '../audit-chain';

export type TrailVerdict = { ok: true; rows: number; redacted: number; lastHash: string } | { ok: false; rows: number; id: number; reason: BrokenReason; at: Date | null; action: string | null };

/**
 * The administrator's "verify the trail": walks the whole chain and names the first broken row,
 * with its time and event where the row is still there. The check is audited (after it, so the
 * next check covers that row too).
 */
export function checkAuditTrail(db: Db, admin: SessionUser, address: string | null, now: Date): TrailVerdict {
	const check = verifyAuditTrail(db.$client);
	let verdict: TrailVerdict;
	if (check.ok) verdict = check;
	else {
		const row = db.$client.prepare('SELECT at, action FROM audit_events WHERE id = ?').get(check.firstBroken.id) as { at: number; action: string } | undefined;
		verdict = { ok: false, rows: check.rows, ...check.firstBroken, at: row === undefined ? null : new Date(row.at), action: row?.action ?? null };
	}
	const detail = verdict.ok ? `verified the trail: ${verdict.rows} events intact` : `verified the trail: broken at event ${verdict.id} (${verdict.reason})`;
	recordAudit(db, { userId: admin.id, action: 'viewed_audit_log', detail, address }, now);
	return verdict;
}
