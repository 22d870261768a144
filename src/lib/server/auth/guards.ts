import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Db } from '../db';
import type { Patient, Role, TabletHandoff } from '../db/schema';
import type { SessionUser } from './session';
import { findPatientForUser, patientExists } from '../patients';
import { findAppointmentForUser, type AppointmentContext } from '../appointments';
import { recordAudit } from '../audit';

/**
 * Every protected `load` and action starts with one of these (a test walks the route files
 * and fails where one is missing). Signed-out visitors go to the sign-in page and come back.
 */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	if (event.locals.databaseError !== undefined) throw event.locals.databaseError;
	const user = event.locals.user;
	if (user === null) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/login?next=${encodeURIComponent(next)}`);
	}
	return user;
}

export function requireRole(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	allowed: readonly Role[]
): SessionUser {
	const user = requireUser(event);
	if (!allowed.includes(user.role)) error(403, 'Forbidden');
	return user;
}

/**
 * The patient, when the signed-in user's team treats them. Another team's patient, or an id
 * that does not exist, is answered as 404 alike, and the attempt is audited. A successful read
 * is audited as `viewed_patient`.
 */
export function requirePatient(
	event: Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress'>,
	db: Db,
	rawPatientId: string,
	now: Date
): { user: SessionUser; patient: Patient } {
	const user = requireUser(event);
	const patientId = /^[1-9][0-9]{0,9}$/.test(rawPatientId) ? Number(rawPatientId) : null;
	const patient = patientId === null ? null : findPatientForUser(db, user, patientId);
	const address = clientAddress(event);
	if (patient === null) {
		// Linked to the patient when it exists, so the patient's access log shows the attempt.
		const target = patientId !== null && patientExists(db, patientId) ? patientId : null;
		recordAudit(
			db,
			{
				userId: user.id,
				action: 'denied_patient',
				patientId: target,
				detail: `patient ${rawPatientId.slice(0, 40)}`,
				address
			},
			now
		);
		error(404, 'Not found');
	}
	recordAudit(db, { userId: user.id, action: 'viewed_patient', patientId: patient.id, address }, now);
	return { user, patient };
}

/**
 * An appointment of a patient the user's team treats, with its episode and patient; 404 for
 * anything else. Opening it is a read of the patient's record and is audited as such.
 */
export function requireAppointment(
	event: Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress'>,
	db: Db,
	rawAppointmentId: string,
	now: Date
): { user: SessionUser; context: AppointmentContext } {
	const user = requireUser(event);
	const id = /^[1-9][0-9]{0,9}$/.test(rawAppointmentId) ? Number(rawAppointmentId) : null;
	const context = id === null ? null : findAppointmentForUser(db, user, id);
	const address = clientAddress(event);
	if (context === null) {
		recordAudit(db, { userId: user.id, action: 'denied_patient', detail: `appointment ${rawAppointmentId.slice(0, 40)}`, address }, now);
		error(404, 'Not found');
	}
	recordAudit(db, { userId: user.id, action: 'viewed_patient', patientId: context.patient.id, detail: `appointment ${context.appointment.id}`, address }, now);
	return { user, context };
}

/**
 * Patient mode: the open handoff of this tablet. Without one (never handed over, or already
 * taken back) the visitor goes to the staff pages, which ask for sign-in if needed.
 */
export function requireHandoff(event: Pick<RequestEvent, 'locals' | 'url'>): { user: SessionUser; handoff: TabletHandoff } {
	const user = requireUser(event);
	const handoff = event.locals.handoff;
	if (handoff === null) redirect(303, '/patients');
	return { user, handoff };
}

export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}
