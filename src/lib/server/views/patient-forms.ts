import type { RequestContext } from '../context';
import type { Patient } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { teamsOf } from '../registration';
import { activeMembers } from '../episode-course';
import { osloDate } from '../appointments';
import { maskNationalId } from '$lib/domain/national-id';
import { DEFAULT_SESSION_INTERVAL_DAYS } from '$lib/domain/clinical-constants';

/** The audit row of a page about a patient that a person opened. */
export function auditOpened(ctx: RequestContext, user: SessionUser, patient: Patient, detail: string): void {
	recordAudit(ctx.db, { userId: user.id, action: 'viewed_patient', patientId: patient.id, detail, address: ctx.address }, ctx.now);
}

/** The registration form: the teams the user registers for. */
export function registrationFormView(ctx: RequestContext, user: SessionUser) {
	return { teams: teamsOf(ctx.db, user) };
}

/** The edit form, filled in with what is on record (the number only masked). Audited as opened. */
export function editPatientView(ctx: RequestContext, user: SessionUser, patient: Patient) {
	auditOpened(ctx, user, patient, 'edit details');
	return {
		patient: { id: patient.id, code: patient.code, displayName: patient.displayName },
		values: {
			code: patient.code,
			displayName: patient.displayName,
			birthDate: patient.birthDate ?? '',
			birthYear: patient.birthDate === null ? String(patient.birthYear) : '',
			preferredLocale: patient.preferredLocale ?? ''
		},
		maskedNationalId: patient.nationalId === null ? null : maskNationalId(patient.nationalId)
	};
}

/** The form that opens an episode: the user's teams with their active members. Audited as opened. */
export function newEpisodeView(ctx: RequestContext, user: SessionUser, patient: Patient) {
	auditOpened(ctx, user, patient, 'new episode');
	const teams = teamsOf(ctx.db, user).map((t) => ({ ...t, members: activeMembers(ctx.db, t.id) }));
	return {
		patient: { id: patient.id, code: patient.code, displayName: patient.displayName, teamId: patient.teamId },
		teams,
		today: osloDate(ctx.now),
		defaults: DEFAULT_SESSION_INTERVAL_DAYS,
		userId: user.id
	};
}
