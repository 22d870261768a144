import { eq, sql } from 'drizzle-orm';
import type { RequestContext } from '../context';
import type { Patient, Session } from '../db/schema';
import { sessions } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { hasPin, PIN_ATTEMPTS, tryPin, type UnlockResult } from './handoff';

/**
 * "Look at it together" with the screen turned to the patient. Like a tablet hand-over, the staff
 * session itself is locked (sessions.together_patient_id): it reaches this patient's together view
 * and nothing else — no other patient, no staff page — until the clinician's PIN lifts the lock
 * (tryPin, the tablet's own rule: the third wrong PIN ends the session). A clinician without a
 * PIN cannot lock: the view is then not turned to the patient.
 */
export function lockTogether(ctx: RequestContext, access: { user: SessionUser; session: Session; patient: Patient }): 'locked' | 'no_pin' {
	const { db, now, address } = ctx;
	if (!hasPin(db, access.user.id)) return 'no_pin';
	db.transaction((tx) => {
		tx.update(sessions).set({ togetherPatientId: access.patient.id, togetherPinFailures: 0 }).where(eq(sessions.id, access.session.id)).run();
		recordAudit(tx, { userId: access.user.id, action: 'handed_to_patient', patientId: access.patient.id, detail: 'together view', address }, now);
	});
	return 'locked';
}

/** The way back to the record from a locked together view: the clinician's PIN, counted as on the tablet. */
export function unlockTogether(ctx: RequestContext, access: { user: SessionUser; session: Session; patient: Patient }, pin: string): Promise<UnlockResult> {
	const { db, now, address } = ctx;
	const sessionId = access.session.id;
	return tryPin(
		db,
		{
			userId: access.user.id,
			sessionId,
			patientId: access.patient.id,
			what: 'together view',
			count: () =>
				db
					.update(sessions)
					.set({ togetherPinFailures: sql`${sessions.togetherPinFailures} + 1` })
					.where(eq(sessions.id, sessionId))
					.returning({ n: sessions.togetherPinFailures })
					.get()?.n ?? PIN_ATTEMPTS + 1,
			end: () => db.update(sessions).set({ togetherPatientId: null, togetherPinFailures: 0 }).where(eq(sessions.id, sessionId)).run()
		},
		pin,
		now,
		address
	);
}
