import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db } from '../db';
import { appointments, episodes, locales, patients, sessions, tabletHandoffs, users, type TabletHandoff } from '../db/schema';
import type { RegisteredInstrument } from '$lib/domain/registry';
import { hashPassword, verifyPassword } from '../auth/password';
import { recordAudit } from '../audit';
import { perDatabase } from '../db/prepared';

/** Wrong PINs allowed before the staff session behind the tablet is ended. */
export const PIN_ATTEMPTS = 3;
const PIN_PATTERN = /^[0-9]{4,8}$/;

export type Rater = TabletHandoff['rater'];

export function hasPin(db: Db, userId: number): boolean {
	const row = db.select({ pinHash: users.pinHash }).from(users).where(eq(users.id, userId)).get();
	return row !== undefined && row.pinHash !== null;
}

export function isValidPin(pin: string): boolean {
	return PIN_PATTERN.test(pin);
}

/** Sets (or replaces) the clinician's PIN; 4–8 digits, stored as an argon2id hash. */
export async function setPin(db: Db, userId: number, pin: string, now: Date, address: string | null = null): Promise<void> {
	if (!isValidPin(pin)) throw new Error('PIN must be 4–8 digits');
	db.update(users)
		.set({ pinHash: await hashPassword(pin) })
		.where(eq(users.id, userId))
		.run();
	recordAudit(db, { userId, action: 'changed_record', detail: 'set own PIN', address }, now);
}

/**
 * Puts the tablet in patient mode for one appointment (or each member of a group, in turn) and
 * one instrument: the staff session itself is marked as handed over, so patient mode holds
 * whatever the browser keeps or loses. Access to the appointments has been checked by the caller.
 */
export function startHandoff(
	db: Db,
	input: { sessionId: string; userId: number; appointmentIds: number[]; instrument: RegisteredInstrument; rater: Rater; patientIds: number[]; address?: string | null },
	now: Date
): TabletHandoff {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	// The handoff and its audit lines together, or neither.
	return db.transaction((tx) => {
		// The patient's language holds for the appointment: the alliance form at the end opens in
		// the language chosen for the outcome form at the start. Only for the patient's own form.
		const only = input.appointmentIds.length === 1 && input.rater === 'patient' ? input.appointmentIds[0]! : null;
		// Before any choice this appointment, the language the patient asked to keep.
		const chosen = only === null ? undefined : (languageOfAppointment(db).get({ appointmentIds: JSON.stringify([only]) }) ?? keptLanguage(db, only));
		const handoff = tx
			.insert(tabletHandoffs)
			.values({
				id: encodeBase32LowerCaseNoPadding(bytes),
				sessionId: input.sessionId,
				userId: input.userId,
				appointmentIds: input.appointmentIds,
				instrumentId: input.instrument.definition.id,
				instrumentVersion: input.instrument.definition.version,
				rater: input.rater,
				language: chosen?.language ?? null,
				createdAt: now
			})
			.returning()
			.get();
		tx.update(sessions).set({ handoffId: handoff.id }).where(eq(sessions.id, input.sessionId)).run();
		for (const patientId of input.patientIds) {
			recordAudit(tx, { userId: input.userId, action: 'handed_to_patient', patientId, detail: `${handoff.instrumentId} (${handoff.rater})`, address: input.address ?? null }, now);
		}
		return handoff;
	});
}

function keptLanguage(db: Db, appointmentId: number): { language: string | null } | undefined {
	const row = patientOf(db, appointmentId);
	return row === undefined ? undefined : { language: row.preferredLocale };
}

function patientOf(db: Db, appointmentId: number): { id: number; preferredLocale: string | null } | undefined {
	return db
		.select({ id: patients.id, preferredLocale: patients.preferredLocale })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(eq(appointments.id, appointmentId))
		.get();
}

/** The language the patient of a one-appointment hand-over asked to keep; null in a group round or for a relative. */
export function keptLanguageOf(db: Db, handoff: TabletHandoff): string | null {
	const appointmentId = currentAppointmentId(handoff);
	if (appointmentId === null || handoff.appointmentIds.length !== 1 || handoff.rater !== 'patient') return null;
	return patientOf(db, appointmentId)?.preferredLocale ?? null;
}

/**
 * The patient says so on the tablet: the language of this form becomes their preferred one, the
 * language their forms open in from now on. Only the patient's own form of one appointment, and
 * only a language Stemme itself speaks (a pack's language holds for the appointment only).
 */
export function keepPatientLanguage(db: Db, handoff: TabletHandoff, language: string, now: Date, address: string | null): boolean {
	const appointmentId = currentAppointmentId(handoff);
	const locale = locales.find((l) => l === language);
	if (appointmentId === null || handoff.appointmentIds.length !== 1 || handoff.rater !== 'patient' || locale === undefined) return false;
	const patient = patientOf(db, appointmentId);
	if (patient === undefined) return false;
	db.transaction((tx) => {
		tx.update(patients).set({ preferredLocale: locale }).where(eq(patients.id, patient.id)).run();
		tx.update(tabletHandoffs).set({ language: locale }).where(eq(tabletHandoffs.id, handoff.id)).run();
		const detail = `preferred language ${patient.preferredLocale ?? '–'} → ${locale}, chosen by the patient on the tablet`;
		recordAudit(tx, { userId: handoff.userId, action: 'patient_edited', patientId: patient.id, detail, address }, now);
	});
	return true;
}

// The language last chosen by the patient on a hand-over of this one appointment.
const languageOfAppointment = perDatabase((db: Db) =>
	db
		.select({ language: tabletHandoffs.language })
		.from(tabletHandoffs)
		.where(and(sql`${tabletHandoffs.appointmentIds} = ${sql.placeholder('appointmentIds')}`, eq(tabletHandoffs.rater, 'patient'), isNotNull(tabletHandoffs.language)))
		.orderBy(desc(tabletHandoffs.createdAt))
		.limit(1)
		.prepare()
);

/** The open handoff the session row names, only for the staff session that opened it. */
export function activeHandoff(db: Db, token: string, sessionId: string): TabletHandoff | null {
	return openHandoff(db).get({ id: token, sessionId }) ?? null;
}

// Asked on every request of a tablet in patient mode.
const openHandoff = perDatabase((db: Db) =>
	db
		.select()
		.from(tabletHandoffs)
		.where(and(eq(tabletHandoffs.id, sql.placeholder('id')), eq(tabletHandoffs.sessionId, sql.placeholder('sessionId')), isNull(tabletHandoffs.endedAt)))
		.prepare()
);

export function currentAppointmentId(handoff: TabletHandoff): number | null {
	return handoff.appointmentIds[handoff.position] ?? null;
}

/** Group sessions: passes the tablet on to the next member. False when everyone has had a turn. */
export function advanceHandoff(db: Db, handoff: TabletHandoff): boolean {
	if (handoff.position + 1 >= handoff.appointmentIds.length) return false;
	// The next member chooses their own language.
	db.update(tabletHandoffs)
		.set({ position: handoff.position + 1, language: null })
		.where(eq(tabletHandoffs.id, handoff.id))
		.run();
	return true;
}

/**
 * Group sessions: the member whose turn it is is not here. Recorded for that patient (no rating is
 * filed), and the tablet passes on; after the last member the round is over (see roundIsOver).
 */
export function skipTurn(db: Db, handoff: TabletHandoff, now: Date, address: string | null): boolean {
	const appointmentId = currentAppointmentId(handoff);
	if (appointmentId === null || handoff.appointmentIds.length < 2) return false;
	const patient = patientOf(db, appointmentId);
	db.transaction((tx) => {
		tx.update(tabletHandoffs)
			.set({ position: handoff.position + 1, language: null })
			.where(eq(tabletHandoffs.id, handoff.id))
			.run();
		const detail = `${handoff.instrumentId}: not present in the group round, skipped without a rating`;
		recordAudit(tx, { userId: handoff.userId, action: 'changed_record', patientId: patient?.id ?? null, detail, address }, now);
	});
	return true;
}

/** Every member of the round has had their turn (the last one was skipped). */
export function roundIsOver(handoff: TabletHandoff): boolean {
	return handoff.position >= handoff.appointmentIds.length;
}

/** Ends the handoff, and patient mode of the session that opened it. */
export function endHandoff(db: Db, handoffId: string, now: Date): void {
	db.transaction((tx) => {
		tx.update(tabletHandoffs)
			.set({ endedAt: now })
			.where(and(eq(tabletHandoffs.id, handoffId), isNull(tabletHandoffs.endedAt)))
			.run();
		tx.update(sessions).set({ handoffId: null }).where(eq(sessions.handoffId, handoffId)).run();
	});
}

/** The patient's choice of language on the tablet, for this turn only. */
export function setHandoffLanguage(db: Db, handoffId: string, language: string): void {
	db.update(tabletHandoffs).set({ language }).where(eq(tabletHandoffs.id, handoffId)).run();
}

export type UnlockResult = { ok: true } | { ok: false; reason: 'wrong_pin'; attemptsLeft: number } | { ok: false; reason: 'locked_out' };

/**
 * A patient-mode lock the clinician's PIN opens: the tablet's handoff, or the together view
 * (tablet/together-lock.ts). `count` adds one attempt in the database and returns the count;
 * `end` lifts the lock.
 */
export interface PinLock {
	userId: number;
	sessionId: string | null;
	patientId: number | null;
	/** Said in the audit trail after each attempt ("together view"); none for the tablet. */
	what: string | null;
	count(): number;
	end(): void;
}

/**
 * One try of the clinician's PIN on a lock. The PIN_ATTEMPTS-th wrong PIN lifts the lock and ends
 * the staff session itself: whoever holds the screen must then sign in again.
 */
export async function tryPin(db: Db, lock: PinLock, pin: string, now: Date, address: string | null): Promise<UnlockResult> {
	// Each attempt is counted in the database before the PIN is checked, so attempts sent in
	// parallel cannot try more than PIN_ATTEMPTS PINs between them.
	const attempt = lock.count();
	const lockOut = (): UnlockResult => {
		lock.end();
		if (lock.sessionId !== null) db.delete(sessions).where(eq(sessions.id, lock.sessionId)).run();
		return { ok: false, reason: 'locked_out' };
	};
	if (attempt > PIN_ATTEMPTS) return lockOut();
	const row = db.select({ pinHash: users.pinHash }).from(users).where(eq(users.id, lock.userId)).get();
	const ok = row?.pinHash != null && isValidPin(pin) && (await verifyPassword(row.pinHash, pin));
	const about = { userId: lock.userId, patientId: lock.patientId, address };
	if (ok) {
		lock.end();
		recordAudit(db, { ...about, action: 'took_tablet_back', detail: lock.what }, now);
		return { ok: true };
	}
	const detail = `${lock.what === null ? '' : `${lock.what}: `}attempt ${attempt} of ${PIN_ATTEMPTS}`;
	recordAudit(db, { ...about, action: 'pin_failed', detail }, now);
	return attempt >= PIN_ATTEMPTS ? lockOut() : { ok: false, reason: 'wrong_pin', attemptsLeft: PIN_ATTEMPTS - attempt };
}

/**
 * Takes the tablet back with the clinician's PIN (tryPin). The handoff row is kept (ended) after
 * a lock-out, so answers still waiting on the tablet can be sent after the next sign-in.
 */
export function unlockWithPin(db: Db, handoff: TabletHandoff, pin: string, now: Date, address: string | null = null): Promise<UnlockResult> {
	return tryPin(
		db,
		{
			userId: handoff.userId,
			sessionId: handoff.sessionId,
			patientId: null,
			what: null,
			count: () =>
				db
					.update(tabletHandoffs)
					.set({ pinFailures: sql`${tabletHandoffs.pinFailures} + 1` })
					.where(eq(tabletHandoffs.id, handoff.id))
					.returning({ n: tabletHandoffs.pinFailures })
					.get()?.n ?? PIN_ATTEMPTS + 1,
			end: () => endHandoff(db, handoff.id, now)
		},
		pin,
		now,
		address
	);
}
