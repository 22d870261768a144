import { currentGoals } from '../milestones/plan';
import type { RequestContext } from '../context';
import type { Patient } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { loadPatientRecord } from '../patients';
import { openEpisode, todaysAppointments } from '../appointments';
import { trajectoryView } from '../trajectory';
import { patientRiskView } from '../risk/patient-risk';
import { recordAudit } from '../audit';
import { patientOutreachTasks } from '../outreach';
import { maskNationalId } from '$lib/domain/national-id';
import { consentView } from '../links/outbox';

/**
 * The patient page: the record, the course of each episode, the drop-out section and today's
 * appointments — and the one audit row of the page a person opened. It reads; the flags it shows
 * were brought up to date when the data last changed and by the sweep.
 */
export function loadPatientPage(ctx: RequestContext, access: { user: SessionUser; patient: Patient }, language: string) {
	const { db, registry, now } = ctx;
	const { user, patient } = access;
	const record = loadPatientRecord(db, registry, patient);
	const [current, ...earlier] = record.episodes;
	const page = {
		// The national identity number leaves the server only masked.
		record: { ...record, patient: { ...record.patient, nationalId: record.patient.nationalId === null ? null : maskNationalId(record.patient.nationalId) } },
		openOutreach: patientOutreachTasks(db, patient.id).find((t) => t.closedAt === null)?.id ?? null,
		user: { displayName: user.displayName },
		trajectory: current === undefined ? null : trajectoryView(db, registry, current, patient.birthYear, now, language),
		earlier: earlier.map((e) => trajectoryView(db, registry, e, patient.birthYear, now, language)),
		goals: current === undefined ? [] : currentGoals(db, current.id),
		risk: current === undefined ? null : patientRiskView(db, registry, ctx.config.risk, patient, current, now, language),
		today: todaysAppointments(db, patient.id, now),
		hasOpenEpisode: openEpisode(db, patient.id) !== null,
		messageConsent: consentView(db, patient.id),
		now: now.toISOString()
	};
	recordAudit(db, { userId: user.id, action: 'viewed_patient', patientId: patient.id, address: ctx.address }, now);
	return page;
}

export type PatientPage = ReturnType<typeof loadPatientPage>;
