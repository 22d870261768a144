import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './db';
import { appointments, episodes, ratings, type Rating } from './db/schema';
import { scoreRating, type ScoreProblem } from '$lib/domain/scoring';
import type { RegisteredInstrument } from '$lib/domain/registry';
import { recordAudit } from './audit';
import { perDatabase } from './db/prepared';
import { forgetStatistics } from './statistics/summaries';

export type StoreRatingInput = {
	clientId: string;
	appointmentId: number;
	instrument: RegisteredInstrument;
	rater: Rating['rater'];
	values: Readonly<Record<string, unknown>>;
	source: Rating['source'];
	/** The staff member who typed it in (paper, correction); null for the patient's own tablet rating. */
	enteredById: number | null;
	/** The user on whose behalf the tablet was handed over, for the audit trail; null for the patient's own phone (a rating link). */
	auditUserId: number | null;
	correction?: { ratingId: number; reason: string };
	/** Said in the audit line after the usual detail, e.g. who sent answers the tablet had kept. */
	auditNote?: string;
	/** The client's address, for the audit line. */
	address: string | null;
};

export type StoreRatingResult =
	| { ok: true; status: 'stored' | 'already_stored'; rating: Rating }
	| { ok: false; reason: 'invalid_values'; problems: ScoreProblem[] }
	| { ok: false; reason: 'episode_closed' | 'already_rated' | 'client_id_reused' | 'not_correctable' | 'wrong_rater' };

/** Client ids: what a browser's crypto.randomUUID() gives, or any 8–64 safe characters. */
export const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Stores one rating, exactly once. Values are scored by the same domain code the tablet uses.
 * Repeating a submission with the same client id (double tap, retry after a timeout) stores
 * nothing new and answers success; a second, different rating of the same appointment,
 * instrument and rater is refused (a correction is the way to change one). All in one
 * transaction: nothing is stored half-way.
 */
export function storeRating(db: Db, input: StoreRatingInput, now: Date): StoreRatingResult {
	const def = input.instrument.definition;
	if (!def.raters.includes(input.rater)) return { ok: false, reason: 'wrong_rater' };
	const scored = scoreRating(def, input.values);
	if (!scored.ok) return { ok: false, reason: 'invalid_values', problems: scored.errors };
	return storeTransaction(db)(input, scored, now);
}

type Scored = Extract<ReturnType<typeof scoreRating>, { ok: true }>;

// The tablet's hot path: every statement is prepared once, and the transaction function too.
const statements = perDatabase((db: Db) => ({
	byClientId: db
		.select()
		.from(ratings)
		.where(eq(ratings.clientId, sql.placeholder('clientId')))
		.prepare(),
	context: db
		.select({ actualEnd: episodes.actualEnd, patientId: episodes.patientId, status: appointments.status })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.where(eq(appointments.id, sql.placeholder('appointmentId')))
		.prepare(),
	original: db
		.select({ id: ratings.id })
		.from(ratings)
		.where(
			and(
				eq(ratings.appointmentId, sql.placeholder('appointmentId')),
				eq(ratings.instrumentId, sql.placeholder('instrumentId')),
				eq(ratings.rater, sql.placeholder('rater')),
				isNull(ratings.correctsRatingId)
			)
		)
		.prepare(),
	insert: db
		.insert(ratings)
		.values({
			clientId: sql.placeholder('clientId'),
			appointmentId: sql.placeholder('appointmentId'),
			instrumentId: sql.placeholder('instrumentId'),
			instrumentVersion: sql.placeholder('instrumentVersion'),
			rater: sql.placeholder('rater'),
			itemValues: sql.placeholder('itemValues'),
			total: sql.placeholder('total'),
			source: sql.placeholder('source'),
			submittedAt: sql.placeholder('submittedAt'),
			enteredById: sql.placeholder('enteredById'),
			correctsRatingId: sql.placeholder('correctsRatingId'),
			correctionReason: sql.placeholder('correctionReason')
		})
		.prepare(),
	attended: db
		.update(appointments)
		.set({ status: 'attended' })
		.where(eq(appointments.id, sql.placeholder('appointmentId')))
		.prepare()
}));

const storeTransaction = perDatabase((db: Db) =>
	db.$client.transaction((input: StoreRatingInput, scored: Scored, now: Date): StoreRatingResult => {
		const q = statements(db);
		const def = input.instrument.definition;
		const existing = q.byClientId.get({ clientId: input.clientId });
		if (existing !== undefined) {
			const same = existing.appointmentId === input.appointmentId && existing.instrumentId === def.id && existing.rater === input.rater;
			return same ? { ok: true, status: 'already_stored', rating: existing } : { ok: false, reason: 'client_id_reused' };
		}
		const context = q.context.get({ appointmentId: input.appointmentId });
		if (context === undefined || context.actualEnd !== null) return { ok: false, reason: 'episode_closed' };
		if (input.correction !== undefined) {
			const original = db.select().from(ratings).where(eq(ratings.id, input.correction.ratingId)).get();
			const alreadyCorrected = db.select({ id: ratings.id }).from(ratings).where(eq(ratings.correctsRatingId, input.correction.ratingId)).get();
			if (original === undefined || original.appointmentId !== input.appointmentId || alreadyCorrected !== undefined) {
				return { ok: false, reason: 'not_correctable' };
			}
		} else {
			const original = q.original.get({ appointmentId: input.appointmentId, instrumentId: def.id, rater: input.rater });
			if (original !== undefined) return { ok: false, reason: 'already_rated' };
		}
		const row = {
			clientId: input.clientId,
			appointmentId: input.appointmentId,
			instrumentId: def.id,
			instrumentVersion: def.version,
			rater: input.rater,
			itemValues: scored.items,
			total: scored.total,
			source: input.source,
			submittedAt: now,
			enteredById: input.enteredById,
			correctsRatingId: input.correction?.ratingId ?? null,
			correctionReason: input.correction?.reason ?? null
		};
		// The row as stored is what was given, plus its id: nothing to read back.
		const rating: Rating = { id: Number(q.insert.run(row).lastInsertRowid), ...row };
		// Someone rated in this session, so the patient came.
		if (context.status === 'scheduled') q.attended.run({ appointmentId: input.appointmentId });
		forgetStatistics(db, { appointmentId: input.appointmentId });
		const action = input.correction === undefined ? 'rated' : 'changed_record';
		const detail =
			input.correction === undefined
				? `${def.id} by ${input.rater} (${input.source})${input.auditNote === undefined ? '' : `; ${input.auditNote}`}`
				: `corrected rating ${input.correction.ratingId}: ${input.correction.reason.slice(0, 200)}`;
		recordAudit(db, { userId: input.auditUserId, action, patientId: context.patientId, detail, address: input.address }, now);
		return { ok: true, status: 'stored', rating };
	})
);

/**
 * The ratings of an appointment with the one in force for each instrument and rater: a
 * corrected rating is kept, marked as replaced by its correction.
 */
export function appointmentRatings(db: Db, appointmentId: number): (Rating & { correctedBy: number | null })[] {
	const all = db.select().from(ratings).where(eq(ratings.appointmentId, appointmentId)).orderBy(ratings.submittedAt).all();
	const correctedBy = new Map<number, number>();
	for (const r of all) if (r.correctsRatingId !== null) correctedBy.set(r.correctsRatingId, r.id);
	return all.map((r) => ({ ...r, correctedBy: correctedBy.get(r.id) ?? null }));
}
