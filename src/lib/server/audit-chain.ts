import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * The audit trail as a hash chain, so that changing, removing or slipping in a row shows. Each
 * row stores `hash` = SHA-256 of the previous row's hash and its own content, serialised one
 * way only (a JSON array in a fixed order, every value as SQLite stores it). The detail enters
 * through its own SHA-256 (`detail_hash`), so that erasing a patient can remove the detail and
 * leave a chain that still verifies, with the row shown as redacted.
 *
 * The hash is computed inside the INSERT (a function registered on each connection, see
 * registerAuditChain), from the last row's hash read by the same statement: one statement is
 * atomic under SQLite's write lock, so two writers can never chain onto the same row.
 *
 * Every column of audit_events must be in `chainInput`; a new column joins it (with a new
 * CHAIN_VERSION) or the chain does not protect it.
 */
const CHAIN_VERSION = 'stemme-audit-v1';

/** The previous hash of the first row. */
export const GENESIS = '';

/** The name of the SQL function the insert calls. */
export const CHAIN_FUNCTION = 'stemme_audit_hash';

/** A row as SQLite returns it (timestamps are integer milliseconds). */
export interface ChainedRow {
	id: number;
	at: number;
	user_id: number | null;
	action: string;
	patient_id: number | null;
	detail: string | null;
	address: string | null;
	detail_hash: string | null;
	hash: string | null;
	/** The API client that asked (migration 0010); null on every staff row and every row from before it. */
	api_client_id: number | null;
}

type Content = Pick<ChainedRow, 'at' | 'user_id' | 'action' | 'patient_id' | 'detail_hash' | 'address'> & { api_client_id?: number | null };

function sha256(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function detailHash(detail: string | null): string | null {
	return detail === null ? null : sha256(detail);
}

/**
 * The API client enters the hash only when there is one, after the other fields: a row without one
 * (every row written before the column existed, every staff row) hashes exactly as it always did,
 * so trails chained before it still verify.
 * @example chainHash(GENESIS, { at: 0, user_id: 1, action: 'printed', patient_id: 2, detail_hash: null, address: null }) // 64 hex digits
 */
export function chainHash(previous: string, row: Content): string {
	const fields = [CHAIN_VERSION, previous, row.at, row.user_id, row.action, row.patient_id, row.detail_hash, row.address];
	if (row.api_client_id !== null && row.api_client_id !== undefined) fields.push(row.api_client_id);
	return sha256(JSON.stringify(fields));
}

/** Registers the insert's hash function on a connection (each connection that writes the trail). */
export function registerAuditChain(client: Database.Database): void {
	client.function(
		CHAIN_FUNCTION,
		{ deterministic: true, varargs: false },
		(previous: unknown, at: unknown, userId: unknown, action: unknown, patientId: unknown, dHash: unknown, address: unknown, apiClientId: unknown) =>
			chainHash(String(previous ?? GENESIS), {
				at: Number(at),
				user_id: userId === null ? null : Number(userId),
				action: String(action),
				patient_id: patientId === null ? null : Number(patientId),
				detail_hash: dHash === null ? null : String(dHash),
				address: address === null ? null : String(address),
				api_client_id: apiClientId === null ? null : Number(apiClientId)
			})
	);
}

const ROWS = 'SELECT id, at, user_id, action, patient_id, detail, address, detail_hash, hash, api_client_id FROM audit_events ORDER BY id';

/**
 * Fills in the chain of rows written before it existed (hash null), in id order, once, at the
 * start: SQLite has no SHA-256 of its own, so a migration cannot. Returns how many rows it filled.
 */
export function backfillAuditChain(client: Database.Database): number {
	const pending = client.prepare('SELECT count(*) AS n FROM audit_events WHERE hash IS NULL').get() as { n: number };
	if (pending.n === 0) return 0;
	const update = client.prepare('UPDATE audit_events SET detail_hash = ?, hash = ? WHERE id = ?');
	return client.transaction(() => {
		let previous = GENESIS;
		let filled = 0;
		for (const row of client.prepare(ROWS).all() as ChainedRow[]) {
			if (row.hash !== null) {
				previous = row.hash;
				continue;
			}
			const dHash = detailHash(row.detail);
			previous = chainHash(previous, { ...row, detail_hash: dHash });
			update.run(dHash, previous, row.id);
			filled++;
		}
		return filled;
	})();
}

export type BrokenReason = 'content_changed' | 'detail_changed' | 'rows_missing' | 'not_chained' | 'rows_missing_at_end';

export type TrailCheck = { ok: true; rows: number; redacted: number; lastHash: string } | { ok: false; rows: number; firstBroken: { id: number; reason: BrokenReason } };

/**
 * Walks the whole trail in id order and names the first row that does not follow from the
 * one before: its content or detail changed, a row before it was removed (a gap in the ids, or
 * its hash no longer follows), a row slipped in, or rows cut off the end (the id counter is
 * past the last row). Removing the newest rows *and* resetting SQLite's id counter cannot be
 * seen from inside the file; the README says how to keep the last hash elsewhere.
 */
export function verifyAuditTrail(client: Database.Database): TrailCheck {
	let previous = GENESIS;
	let previousId = 0;
	let rows = 0;
	let redacted = 0;
	for (const row of client.prepare(ROWS).iterate() as IterableIterator<ChainedRow>) {
		rows++;
		const broken = (reason: BrokenReason): TrailCheck => ({ ok: false, rows, firstBroken: { id: row.id, reason } });
		if (row.hash === null) return broken('not_chained');
		if (row.id !== previousId + 1) return broken('rows_missing');
		if (row.detail === null) {
			if (row.detail_hash !== null) redacted++;
		} else if (detailHash(row.detail) !== row.detail_hash) return broken('detail_changed');
		if (chainHash(previous, row) !== row.hash) return broken('content_changed');
		previous = row.hash;
		previousId = row.id;
	}
	const issued = client.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'").get() as { seq: number } | undefined;
	if (issued !== undefined && issued.seq > previousId) return { ok: false, rows, firstBroken: { id: previousId + 1, reason: 'rows_missing_at_end' } };
	return { ok: true, rows, redacted, lastHash: previous };
}

/**
 * Erasure (GDPR art. 17): the details of the patient's events go — which flags fired, which
 * factors changed — and so does the detail of any event that names their code (an audit-log
 * search for it). The events themselves stay, with `detail_hash`, so the chain still verifies
 * and shows them as redacted. The one UPDATE the trigger allows besides the backfill.
 */
export function redactPatientDetails(client: Database.Database, patientId: number, code: string): number {
	const quoted = JSON.stringify(code);
	return client.prepare('UPDATE audit_events SET detail = NULL WHERE detail IS NOT NULL AND (patient_id = ? OR instr(detail, ?) > 0)').run(patientId, quoted).changes;
}
