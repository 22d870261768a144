import { and, asc, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from './db';
import { appointments, episodes, groupSessions, patients, type Appointment, type Episode, type GroupSession, type Patient } from './db/schema';
import type { SessionUser } from './auth/session';
import { patientVisibleTo, visibleTeamIds } from './access';

export interface AppointmentContext {
	appointment: Appointment;
	episode: Episode;
	patient: Patient;
}

/** The appointment with its episode and patient, if the user's teams treat the patient; else null. */
export function findAppointmentForUser(db: Db, user: SessionUser, appointmentId: number): AppointmentContext | null {
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return null;
	const row = db
		.select({ appointment: appointments, episode: episodes, patient: patients })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(and(eq(appointments.id, appointmentId), patientVisibleTo(teamIds)))
		.get();
	return row ?? null;
}

const osloYmd = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar date in Oslo that `now` falls in, 'YYYY-MM-DD'.
 * @example osloDate(new Date('2026-11-23T23:30:00Z')) // '2026-11-24'
 */
export function osloDate(now: Date): string {
	return osloYmd.format(now);
}

/** Start and end (exclusive) of the calendar day in Oslo that `now` falls in, as instants. */
export function osloDay(now: Date): { start: Date; end: Date } {
	const ymd = osloDate(now);
	const guess = new Date(`${ymd}T00:00:00Z`);
	// Oslo is UTC+1 or UTC+2: find the offset at that midnight by formatting it back.
	const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', hourCycle: 'h23' }).format(guess));
	const start = new Date(guess.getTime() - hour * 3_600_000);
	return { start, end: new Date(start.getTime() + 24 * 3_600_000) };
}

/** The patient's appointments today (Oslo time), in any of their episodes. */
export function todaysAppointments(db: Db, patientId: number, now: Date): Appointment[] {
	const { start, end } = osloDay(now);
	return db
		.select({ appointment: appointments })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.where(and(eq(episodes.patientId, patientId), gte(appointments.scheduledAt, start), lt(appointments.scheduledAt, end)))
		.orderBy(asc(appointments.scheduledAt))
		.all()
		.map((r) => r.appointment);
}

export function openEpisode(db: Db, patientId: number): Episode | null {
	return (
		db
			.select()
			.from(episodes)
			.where(and(eq(episodes.patientId, patientId), isNull(episodes.actualEnd)))
			.orderBy(asc(episodes.startDate))
			.get() ?? null
	);
}

export type CreateAppointmentResult = { ok: true; appointment: Appointment } | { ok: false; reason: 'no_open_episode' };

/** An appointment now, on the spot, in the patient's open episode, with the signed-in clinician. */
export function createAppointmentNow(db: Db, user: SessionUser, patient: Patient, now: Date): CreateAppointmentResult {
	const episode = openEpisode(db, patient.id);
	if (episode === null) return { ok: false, reason: 'no_open_episode' };
	const appointment = db
		.insert(appointments)
		.values({ episodeId: episode.id, clinicianId: user.id, scheduledAt: now, status: 'scheduled', isGroup: episode.setting === 'group' })
		.returning()
		.get();
	return { ok: true, appointment };
}

export interface GroupSessionContext {
	group: GroupSession;
	members: { appointment: Appointment; patient: Pick<Patient, 'id' | 'code' | 'displayName'>; episodeOpen: boolean }[];
}

/** A group session of one of the user's teams, with its members' appointments in a stable order. */
export function findGroupSessionForUser(db: Db, user: SessionUser, groupSessionId: number): GroupSessionContext | null {
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return null;
	const group = db
		.select()
		.from(groupSessions)
		.where(and(eq(groupSessions.id, groupSessionId), inArray(groupSessions.teamId, teamIds)))
		.get();
	if (group === undefined) return null;
	const members = db
		.select({ appointment: appointments, patient: { id: patients.id, code: patients.code, displayName: patients.displayName }, actualEnd: episodes.actualEnd })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(eq(appointments.groupSessionId, group.id))
		.orderBy(asc(appointments.id))
		.all()
		.map((r) => ({ appointment: r.appointment, patient: r.patient, episodeOpen: r.actualEnd === null }));
	return { group, members };
}
