import type { Db } from '../db';
import type { SessionUser } from '../auth/session';
import type { Registry } from '$lib/domain/registry';
import type { InstrumentKind } from '$lib/domain/instrument-schema';
import { chooseInstrument, type Rater } from '$lib/domain/choose-instrument';
import { ageFromBirthYear } from '$lib/domain/age';
import { findGroupSessionForUser, type AppointmentContext } from '../appointments';
import { hasPin, startHandoff } from './handoff';
import type { TabletHandoff } from '../db/schema';
import { isFilledIn } from './patient-mode';

export type HandOverResult = { ok: true; handoff: TabletHandoff } | { ok: false; reason: 'no_pin' | 'episode_closed' | 'no_instrument' | 'not_group' | 'group_empty' | 'already_filled_in' };

/** Installation preference for instruments (for example a licensed pack's ids), comma-separated. */
export function preferredInstruments(env: string | undefined): string[] {
	return (env ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

/**
 * Hands the tablet over: to the patient (or a collateral rater) of one appointment, or around
 * every member of the appointment's group session in turn (group alliance at the end). The
 * instrument is chosen by kind, rater and the patient's age; nothing is guessed when none fits.
 */
export function handOver(
	db: Db,
	registry: Registry,
	input: {
		user: SessionUser;
		sessionId: string;
		context: AppointmentContext;
		kind: InstrumentKind;
		rater: 'patient' | 'collateral';
		wholeGroup: boolean;
		preferred: readonly string[];
		address: string | null;
	},
	now: Date
): HandOverResult {
	const { user, context } = input;
	if (!hasPin(db, user.id)) return { ok: false, reason: 'no_pin' };
	if (context.episode.actualEnd !== null) return { ok: false, reason: 'episode_closed' };
	let appointmentIds = [context.appointment.id];
	let patientIds = [context.patient.id];
	let rater: Rater = input.rater;
	if (input.wholeGroup) {
		if (context.appointment.groupSessionId === null) return { ok: false, reason: 'not_group' };
		const group = findGroupSessionForUser(db, user, context.appointment.groupSessionId);
		const members = (group?.members ?? []).filter((m) => m.episodeOpen && m.appointment.status !== 'cancelled');
		if (members.length === 0) return { ok: false, reason: 'group_empty' };
		appointmentIds = members.map((m) => m.appointment.id);
		patientIds = members.map((m) => m.patient.id);
		if (input.kind === 'alliance') rater = 'group-member';
	}
	const age = ageFromBirthYear(context.patient.birthYear, now);
	const instrument = chooseInstrument(registry, { kind: input.kind, rater, age, preferred: input.preferred });
	if (instrument === null) return { ok: false, reason: 'no_instrument' };
	// A form already filled in is the clinician's to know about, not a "thank you" for the patient.
	// A group round is refused only when every member has answered; a member who has is passed on.
	if (appointmentIds.every((id) => isFilledIn(db, id, instrument.definition.id, rater))) return { ok: false, reason: 'already_filled_in' };
	const handoff = startHandoff(db, { sessionId: input.sessionId, userId: user.id, appointmentIds, instrument, rater, patientIds, address: input.address }, now);
	return { ok: true, handoff };
}
