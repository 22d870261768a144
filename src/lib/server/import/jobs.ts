import { Parser } from 'csv-parse';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { patients, users } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { activeMembers } from '../episode-course';
import { isMemberOf } from '../registration';
import { ImportRefused, writeImport } from './write';
import { IMPORT_COLUMNS, readRow, sameAs, type ImportPatient, type ImportRecord, type Refusal } from './rows';
import { clinicWallClock } from '$lib/domain/booking';

/** Rows checked per slice: the event loop is free between slices, so staff pages are served meanwhile. */
const CHECK_SLICE = 250;
/** An upload holds at most this many rows (2,000 patients with 20 appointments each is 40,000). */
export const MAX_IMPORT_ROWS = 100_000;
/** A job nobody looked at for this long is forgotten (it holds patient data in memory). */
const JOB_TTL_MS = 60 * 60_000;

export type Phase = 'uploading' | 'checking' | 'checked' | 'running' | 'done' | 'failed';

export interface ImportJob {
	id: string;
	userId: number;
	teamId: number;
	phase: Phase;
	/** Rows read so far, and rows checked / patients imported so far, for the progress bar. */
	rowsRead: number;
	done: number;
	total: number;
	patients: ImportPatient[];
	refusals: Refusal[];
	result: { patients: number; appointments: number; ms: number } | null;
	/** The run stopped at this patient's row (nothing stored); or `error`, for anything else. */
	stoppedAt: Refusal | null;
	error: string | null;
	touched: number;
	parser: Parser;
	records: { row: number; record: ImportRecord }[];
}

const jobs = new Map<string, ImportJob>();

function sweep(now: number): void {
	for (const [id, job] of jobs) if (now - job.touched > JOB_TTL_MS) jobs.delete(id);
}

/** A new upload for the team; the CSV arrives in pieces (`appendChunk`). */
export function createJob(user: SessionUser, teamId: number, now: Date): ImportJob {
	sweep(now.getTime());
	const parser = new Parser({ columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, bom: true, relax_column_count: false, max_record_size: 64 * 1024 });
	const job: ImportJob = {
		id: crypto.randomUUID(),
		userId: user.id,
		teamId,
		phase: 'uploading',
		rowsRead: 0,
		done: 0,
		total: 0,
		patients: [],
		refusals: [],
		result: null,
		stoppedAt: null,
		error: null,
		touched: now.getTime(),
		parser,
		records: []
	};
	parser.on('readable', () => {
		let record: ImportRecord | null;
		while ((record = parser.read() as ImportRecord | null) !== null) {
			// csv-parse counts lines; the header is row 1, as a spreadsheet shows it.
			job.rowsRead++;
			if (job.records.length < MAX_IMPORT_ROWS) job.records.push({ row: job.rowsRead + 1, record });
		}
	});
	parser.on('error', (e) => {
		job.phase = 'failed';
		job.error = e.message.slice(0, 300);
	});
	jobs.set(job.id, job);
	return job;
}

/** The user's own job, or null (another user's job is not found). */
export function jobOf(user: SessionUser, id: string, now: Date): ImportJob | null {
	const job = jobs.get(id);
	if (job === undefined || job.userId !== user.id) return null;
	job.touched = now.getTime();
	return job;
}

/** One piece of the file, in order; csv-parse reads it as it comes. */
export function appendChunk(job: ImportJob, text: string): Promise<void> {
	return new Promise((resolve) => job.parser.write(text, () => resolve()));
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * The dry run: every row checked, in slices, against the file itself and the database. A patient
 * is refused whole when any of their rows is (each refusal names its row and column).
 */
export async function checkJob(db: Db, user: SessionUser, job: ImportJob, now: Date): Promise<void> {
	await new Promise<void>((resolve) => job.parser.end(() => resolve()));
	if (job.phase === 'failed') return;
	job.phase = 'checking';
	job.total = job.records.length;
	if (job.rowsRead > MAX_IMPORT_ROWS) job.refusals.push({ row: MAX_IMPORT_ROWS + 2, field: 'row', reason: 'too-long' });
	const missing = IMPORT_COLUMNS.filter((c) => job.records.length > 0 && !(c in job.records[0]!.record));
	if (missing.length > 0) {
		job.refusals.push({ row: 1, field: missing[0]!, reason: 'columns' });
		job.phase = 'checked';
		return;
	}
	const today = clinicWallClock(now).date;
	const team = new Map(
		db
			.select({ id: users.id, username: users.username })
			.from(users)
			.where(
				inArray(
					users.id,
					activeMembers(db, job.teamId)
						.map((m) => m.id)
						.concat(0)
				)
			)
			.all()
			.map((u) => [u.username, u.id])
	);
	const byCode = new Map<string, ImportPatient>();
	const refusedCodes = new Set<string>();
	const ids = new Map<string, string>();
	for (let i = 0; i < job.records.length; i += CHECK_SLICE) {
		for (const { row, record } of job.records.slice(i, i + CHECK_SLICE)) {
			const read = readRow(record, row, team, today);
			const code = (record.patient_code ?? '').trim();
			if (!read.ok) {
				job.refusals.push(read.refusal);
				refusedCodes.add(code);
				continue;
			}
			const p = read.value;
			const seen = byCode.get(p.code);
			if (seen === undefined) {
				if (p.nationalId !== null && ids.has(p.nationalId)) {
					job.refusals.push({ row, field: 'national_id', reason: 'duplicate-in-file' });
					refusedCodes.add(code);
					continue;
				}
				if (p.nationalId !== null) ids.set(p.nationalId, p.code);
				byCode.set(p.code, p);
				continue;
			}
			const differs = sameAs(seen, p);
			if (differs !== null) {
				job.refusals.push({ row, field: differs, reason: 'differs' });
				refusedCodes.add(code);
				continue;
			}
			seen.rows.push(row);
			seen.appointments.push(...p.appointments);
		}
		job.done = Math.min(job.records.length, i + CHECK_SLICE);
		await tick();
	}
	// Already in the organisation: by code or by national identity number.
	const codes = [...byCode.keys()];
	for (let i = 0; i < codes.length; i += 500) {
		const chunk = codes.slice(i, i + 500);
		for (const r of db
			.select({ code: patients.code })
			.from(patients)
			.where(and(eq(patients.organisationId, user.organisationId), inArray(patients.code, chunk)))
			.all()) {
			job.refusals.push({ row: byCode.get(r.code)!.rows[0]!, field: 'patient_code', reason: 'already-registered' });
			refusedCodes.add(r.code);
		}
		// A patient already refused by code is not refused again by number: one line per patient.
		const nids = chunk
			.filter((c) => !refusedCodes.has(c))
			.map((c) => byCode.get(c)!.nationalId)
			.filter((x) => x !== null);
		if (nids.length > 0) {
			for (const r of db
				.select({ nid: patients.nationalId })
				.from(patients)
				.where(and(eq(patients.organisationId, user.organisationId), inArray(patients.nationalId, nids), isNull(patients.erasedAt)))
				.all()) {
				const code = ids.get(r.nid!)!;
				job.refusals.push({ row: byCode.get(code)!.rows[0]!, field: 'national_id', reason: 'already-registered' });
				refusedCodes.add(code);
			}
		}
	}
	job.patients = [...byCode.values()].filter((p) => !refusedCodes.has(p.code));
	job.refusals.sort((a, b) => a.row - b.row);
	job.records = [];
	job.phase = 'checked';
}

/**
 * The import itself, after the dry run: every patient it accepted registered (the refused ones,
 * listed in the dry run, are not), their episode opened and their appointments booked, in ONE
 * transaction — a failure anywhere leaves nothing stored. Audited per patient (the registration's
 * and the episode's own lines) and once for the whole import. The transaction holds the event
 * loop while it writes: on prepared statements that is about 0.5 s for 2,000 patients with 20
 * appointments each (`npm run bench`), where the dry run before it, in slices, takes longer.
 */
export function runJob(db: Db, user: SessionUser, job: ImportJob, now: Date, address: string | null): void {
	if (job.phase !== 'checked' || job.patients.length === 0) return;
	job.phase = 'running';
	job.total = job.patients.length;
	job.done = 0;
	const started = performance.now();
	try {
		// One transaction: a failure anywhere leaves nothing stored.
		const booked = db.transaction(() => {
			const n = writeImport(
				db,
				{ organisationId: user.organisationId, userId: user.id, apiClientId: null, mayWrite: (teamId) => isMemberOf(db, user, teamId) },
				job.teamId,
				job.patients,
				now,
				address,
				(done) => (job.done = done)
			);
			recordAudit(db, { userId: user.id, action: 'changed_record', detail: `import into team ${job.teamId}: ${job.patients.length} patients with open episodes, ${n} appointments`, address }, now);
			return n;
		});
		job.result = { patients: job.patients.length, appointments: booked, ms: Math.round(performance.now() - started) };
		job.phase = 'done';
	} catch (e) {
		job.phase = 'failed';
		if (e instanceof ImportRefused) job.stoppedAt = e.refusal;
		else job.error = (e as Error).message.slice(0, 300);
	}
	job.patients = [];
}

/** What the page polls: phase, progress and the dry run's report (no patient data beyond the refusals). */
export function jobStatus(job: ImportJob) {
	return {
		id: job.id,
		phase: job.phase,
		rowsRead: job.rowsRead,
		done: job.done,
		total: job.total,
		patients: job.patients.length,
		appointments: job.patients.reduce((n, p) => n + p.appointments.length, 0),
		created: job.patients.slice(0, 200).map((p) => ({ row: p.rows[0]!, code: p.code, appointments: p.appointments.length })),
		refusals: job.refusals.slice(0, 500),
		refusalCount: job.refusals.length,
		result: job.result,
		stoppedAt: job.stoppedAt,
		error: job.error
	};
}
