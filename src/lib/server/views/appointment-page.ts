import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { findGroupSessionForUser, type AppointmentContext } from '../appointments';
import { appointmentRatings } from '../ratings';
import { hasPin } from '../tablet/handoff';
import { recordAuditShown } from '../audit-shown';
import { appointmentBooking } from '../booking';
import { chooseInstrument } from '$lib/domain/choose-instrument';
import { getInstrument } from '$lib/domain/registry';
import { ageFromBirthYear } from '$lib/domain/age';
import { textFor } from '$lib/domain/localized';
import { linksOfAppointment } from '../links/rating-links';
import { messagesOfAppointment } from '../links/outbox';

/**
 * The appointment page: its ratings, the paper forms that fit the patient, and — for a group
 * session — each member's code and ratings in force. One audit row for the page view, naming
 * every patient it shows.
 */
export function loadAppointmentPage(ctx: RequestContext, access: { user: SessionUser; context: AppointmentContext }, language: string) {
	const { db, registry, now } = ctx;
	const { user, context } = access;
	const age = ageFromBirthYear(context.patient.birthYear, now);
	const group = context.appointment.groupSessionId === null ? null : findGroupSessionForUser(db, user, context.appointment.groupSessionId);
	const formFor = (kind: 'outcome' | 'alliance', rater: 'patient' | 'collateral') => {
		const found = chooseInstrument(registry, { kind, rater, age, preferred: ctx.config.preferredInstruments });
		if (found === null) return null;
		const def = found.definition;
		return { id: def.id, kind, rater, name: textFor(def.name, language), items: def.items.map((i) => ({ key: i.key, label: textFor(i.label, language) })) };
	};
	const nameOf = (r: { instrumentId: string; instrumentVersion: number }) => {
		const def = getInstrument(registry, r.instrumentId, r.instrumentVersion)?.definition ?? null;
		return { def, name: def === null ? r.instrumentId : textFor(def.name, language) };
	};
	// After a round of the group: each member's ratings in force, beside a link to their appointment.
	const member = (x: NonNullable<typeof group>['members'][number]) => ({
		appointmentId: x.appointment.id,
		code: x.patient.code,
		status: x.appointment.status,
		ratings: appointmentRatings(db, x.appointment.id)
			.filter((r) => r.correctedBy === null)
			.map((r) => ({ id: r.id, name: nameOf(r).name, total: r.total }))
	});
	const page = {
		appointment: context.appointment,
		...appointmentBooking(db, context, now),
		patient: { id: context.patient.id, code: context.patient.code, displayName: context.patient.displayName },
		episodeOpen: context.episode.actualEnd === null,
		hasPin: hasPin(db, user.id),
		group: group === null ? null : { title: group.group.title, members: group.members.map(member) },
		ratings: appointmentRatings(db, context.appointment.id).map((r) => {
			const { def, name } = nameOf(r);
			return { ...r, name, items: def === null ? [] : def.items.map((i) => ({ key: i.key, label: textFor(i.label, language) })) };
		}),
		paperForms: [formFor('outcome', 'patient'), formFor('alliance', 'patient'), formFor('outcome', 'collateral')].filter((f) => f !== null),
		phoneLinks: linksOfAppointment(db, context.appointment.id, now).map((l) => ({ ...l, name: nameOf(l).name })),
		messages: messagesOfAppointment(db, context.appointment.id, now)
	};
	// A group's page shows every member's code and scores: each is linked to the one row.
	const members = group === null ? [] : group.members.map((x) => x.patient.id);
	recordAuditShown(
		db,
		{
			userId: user.id,
			action: 'viewed_patient',
			patientId: context.patient.id,
			detail: `appointment ${context.appointment.id}${group === null ? '' : ` with group ${group.group.id}`}`,
			address: ctx.address
		},
		members,
		now
	);
	return page;
}
