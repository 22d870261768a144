// After a load run or a fault: is every rating the server acknowledged in the database, exactly
// once, under the appointment it was sent for? Read straight from the SQLite file.
import Database from 'better-sqlite3';
import type { LoadPlan } from './plan';

export interface StoredCheck {
	/** Ratings sent (each (tablet, index) once, however often it was sent). */
	sent: number;
	/** Sent and answered 2xx. */
	acknowledged: number;
	/** Acknowledged and found exactly once. */
	acknowledgedStoredOnce: number;
	/** Acknowledged but not in the database: must be none. */
	missing: string[];
	/** In the database more than once: must be none. */
	duplicated: string[];
	/** Stored although no 2xx answer arrived (in flight when the run stopped or the server died). */
	storedUnacknowledged: number;
	/** Rows of this run for client ids never sent, or under another appointment than sent: must be none. */
	strays: string[];
	/** All rows of this run. */
	rows: number;
}

const is2xx = (status: number): boolean => status >= 200 && status < 300;

/** `statuses[tablet][index]`: the answer to each rating sent (0: none), as the driver reports them. */
export function checkStored(databasePath: string, plan: Pick<LoadPlan, 'runTag' | 'tablets'>, statuses: readonly (readonly number[])[]): StoredCheck {
	const db = new Database(databasePath, { readonly: true, fileMustExist: true });
	// Client ids of this run are `${runTag}-…`; '.' is the character after '-', so this is a range scan of the unique index.
	const rows = db.prepare('SELECT client_id AS clientId, appointment_id AS appointmentId FROM ratings WHERE client_id >= ? AND client_id < ?').all(`${plan.runTag}-`, `${plan.runTag}.`) as {
		clientId: string;
		appointmentId: number;
	}[];
	db.close();
	const seen = new Map<string, number>();
	const strays: string[] = [];
	for (const row of rows) {
		seen.set(row.clientId, (seen.get(row.clientId) ?? 0) + 1);
		const [tablet, index] = row.clientId
			.slice(plan.runTag.length + 1)
			.split('-')
			.map(Number) as [number, number];
		const sent = statuses[tablet]?.[index];
		if (sent === undefined || plan.tablets[tablet]!.firstAppointmentId + index !== row.appointmentId) strays.push(row.clientId);
	}
	const check: StoredCheck = { sent: 0, acknowledged: 0, acknowledgedStoredOnce: 0, missing: [], duplicated: [], storedUnacknowledged: 0, strays, rows: rows.length };
	statuses.forEach((list, tablet) =>
		list.forEach((status, index) => {
			const id = `${plan.runTag}-${tablet}-${index}`;
			const n = seen.get(id) ?? 0;
			check.sent++;
			if (n > 1) check.duplicated.push(id);
			if (!is2xx(status)) {
				if (n > 0) check.storedUnacknowledged++;
				return;
			}
			check.acknowledged++;
			if (n === 1) check.acknowledgedStoredOnce++;
			if (n === 0) check.missing.push(id);
		})
	);
	return check;
}

/** SQLite's own check of the whole file: 'ok' or the first problems it finds. */
export function integrityCheck(databasePath: string): string {
	const db = new Database(databasePath, { readonly: true, fileMustExist: true });
	try {
		return (db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
	} finally {
		db.close();
	}
}
