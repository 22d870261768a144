import type { RequestContext } from './context';
import type { SessionUser } from './auth/session';
import type { Patient } from './db/schema';
import { createAppointmentNow, type AppointmentContext, type CreateAppointmentResult } from './appointments';
import { storeRating, type StoreRatingInput, type StoreRatingResult } from './ratings';
import { refreshEpisodeFlags } from './risk/flags';
import { recordAudit } from './audit';

/**
 * The appointment page's writes, one use case each: the change, its audit line and the episode's
 * flags brought up to date, in one transaction (better-sqlite3 nests the inner ones as savepoints),
 * so that nothing is stored half-way and no page load ever has to evaluate flags.
 */

/** A rating typed in by staff (a paper form, a correction): always recorded as entered by them. */
export function enterRating(
	ctx: RequestContext,
	access: { user: SessionUser; context: AppointmentContext },
	input: Omit<StoreRatingInput, 'appointmentId' | 'enteredById' | 'auditUserId' | 'address'>
): StoreRatingResult {
	const { db, now } = ctx;
	const { user, context } = access;
	return db.transaction(() => {
		const result = storeRating(db, { ...input, appointmentId: context.appointment.id, enteredById: user.id, auditUserId: user.id, address: ctx.address }, now);
		if (result.ok && result.status === 'stored') refreshEpisodeFlags(db, ctx.registry, ctx.config.risk, context.episode.id, now);
		return result;
	});
}

/** "Appointment now" on the patient page: the appointment and its audit line together. */
export function openAppointmentNow(ctx: RequestContext, access: { user: SessionUser; patient: Patient }): CreateAppointmentResult {
	const { db, now } = ctx;
	const { user, patient } = access;
	return db.transaction(() => {
		const result = createAppointmentNow(db, user, patient, now);
		if (result.ok) recordAudit(db, { userId: user.id, action: 'changed_record', patientId: patient.id, detail: `created appointment ${result.appointment.id}`, address: ctx.address }, now);
		return result;
	});
}
