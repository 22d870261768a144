import { and, eq, gte, inArray, isNull, lt, ne } from 'drizzle-orm';
import type { Db } from './db';
import { appointments, episodes, teamMemberships, users, type Appointment, type Episode, type Patient } from './db/schema';
import type { SessionUser } from './auth/session';
import { recordAudit } from './audit';
import type { RequestContext } from './context';
import { openEpisode } from './appointments';
import { refreshEpisodeFlags } from './risk/flags';
import type { RiskConfig } from './risk/config';
import type { Registry } from '$lib/domain/registry';
import {
	addDays,
	clinicInstant,
	clinicWallClock,
	DEFAULT_DURATION_MINUTES,
	MAX_SERIES_SESSIONS,
	seriesDates,
	type AttendanceChange,
	type Repeat,
	type SeriesEnd,
	type SessionMode
} from '$lib/domain/booking';
import { forgetStatistics } from './statistics/summaries';

export { attendanceChanges, type AttendanceChange } from '$lib/domain/booking';

const DAY_MS = 86_400_000;

/** What a booking asks for, already parsed (booking-forms.ts). */
export interface BookingInput {
	date: string;
	time: string;
	durationMinutes: number;
	clinicianId: number;
	/** In the room, by video or by phone (domain/booking.ts); decides what is sent after the session. */
	sessionMode: SessionMode;
	repeat: Repeat;
	end: SeriesEnd | null;
	/** The user saw that the patient already has an appointment on one of the days, and books anyway. */
	confirmSameDay: boolean;
}

export type BookingResult =
	| { ok: true; appointmentIds: number[] }
	| { ok: false; reason: 'same_day'; days: string[] }
	| { ok: false; reason: 'too_many'; max: number }
	| { ok: false; reason: 'end_before_start' }
	| { ok: false; reason: 'beyond_horizon'; last: string }
	| { ok: false; reason: 'in_past' };

/** The active clinicians of a team, by name: whom an appointment can be booked with. */
export function bookableClinicians(db: Db, teamId: number): { id: number; name: string }[] {
	return db
		.select({ id: users.id, name: users.displayName })
		.from(teamMemberships)
		.innerJoin(users, eq(users.id, teamMemberships.userId))
		.where(and(eq(teamMemberships.teamId, teamId), isNull(users.disabledAt), ne(users.role, 'admin')))
		.orderBy(users.displayName)
		.all();
}

/**
 * The Oslo days among `days` on which the patient already has an appointment that is going
 * ahead (scheduled or attended) in any episode, apart from `except`.
 */
export function sameDayConflicts(db: Db, patientId: number, days: readonly string[], except: number | null): string[] {
	if (days.length === 0) return [];
	const sorted = [...days].sort();
	const from = clinicInstant(sorted[0]!, '00:00');
	const to = clinicInstant(addDays(sorted[sorted.length - 1]!, 1), '00:00');
	const wanted = new Set(days);
	const rows = db
		.select({ id: appointments.id, at: appointments.scheduledAt })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.where(and(eq(episodes.patientId, patientId), gte(appointments.scheduledAt, from), lt(appointments.scheduledAt, to), inArray(appointments.status, ['scheduled', 'attended'])))
		.all();
	const found = new Set<string>();
	for (const r of rows) {
		if (r.id === except) continue;
		const day = clinicWallClock(r.at).date;
		if (wanted.has(day)) found.add(day);
	}
	return [...found].sort();
}

/**
 * Books one appointment or a series in the patient's open episode, in one transaction with one
 * audit line. A second appointment on a day the patient already has one is refused until the
 * user confirms it; a series past the limits is refused whole.
 */
export function bookAppointments(db: Db, user: SessionUser, target: { patient: Patient; episode: Episode }, input: BookingInput, now: Date, address: string | null = null): BookingResult {
	const today = clinicWallClock(now).date;
	if (input.date < today) return { ok: false, reason: 'in_past' };
	const series = seriesDates(input.date, input.repeat, input.end, today);
	if (!series.ok) return series;
	if (!input.confirmSameDay) {
		const days = sameDayConflicts(db, target.patient.id, series.dates, null);
		if (days.length > 0) return { ok: false, reason: 'same_day', days };
	}
	const rows = series.dates.map((d) => ({
		episodeId: target.episode.id,
		clinicianId: input.clinicianId,
		scheduledAt: clinicInstant(d, input.time),
		durationMinutes: input.durationMinutes,
		sessionMode: input.sessionMode,
		status: 'scheduled' as const,
		isGroup: false
	}));
	return db.transaction((tx) => {
		const ids = tx
			.insert(appointments)
			.values(rows)
			.returning({ id: appointments.id })
			.all()
			.map((r) => r.id);
		const what = rows.length === 1 ? `appointment ${ids[0]}` : `${rows.length} appointments ${ids[0]}–${ids[ids.length - 1]} (${input.repeat})`;
		recordAudit(
			tx,
			{
				userId: user.id,
				action: 'changed_record',
				patientId: target.patient.id,
				detail: `booked ${what} from ${input.date} ${input.time}, ${input.durationMinutes} min, ${input.sessionMode}, clinician ${input.clinicianId}${input.confirmSameDay ? ', same day confirmed' : ''}`,
				address
			},
			now
		);
		return { ok: true, appointmentIds: ids };
	});
}

export interface MoveInput {
	date: string;
	time: string;
	durationMinutes: number;
	clinicianId: number;
	confirmSameDay: boolean;
}

export type MoveResult = { ok: true } | { ok: false; reason: 'not_scheduled' | 'in_past' } | { ok: false; reason: 'same_day'; days: string[] } | { ok: false; reason: 'beyond_horizon'; last: string };

/** Moves a scheduled appointment to another time (and clinician, length); audited with before and after. */
export function moveAppointment(db: Db, user: SessionUser, context: { appointment: Appointment; patient: Patient }, input: MoveInput, now: Date, address: string | null = null): MoveResult {
	const a = context.appointment;
	if (a.status !== 'scheduled') return { ok: false, reason: 'not_scheduled' };
	const today = clinicWallClock(now).date;
	if (input.date < today) return { ok: false, reason: 'in_past' };
	const horizon = seriesDates(input.date, 'none', null, today);
	if (!horizon.ok) return horizon.reason === 'beyond_horizon' ? horizon : { ok: false, reason: 'in_past' };
	if (!input.confirmSameDay) {
		const days = sameDayConflicts(db, context.patient.id, [input.date], a.id);
		if (days.length > 0) return { ok: false, reason: 'same_day', days };
	}
	const at = clinicInstant(input.date, input.time);
	const before = clinicWallClock(a.scheduledAt);
	db.transaction((tx) => {
		tx.update(appointments).set({ scheduledAt: at, durationMinutes: input.durationMinutes, clinicianId: input.clinicianId }).where(eq(appointments.id, a.id)).run();
		forgetStatistics(tx, { appointmentId: a.id });
		recordAudit(
			tx,
			{
				userId: user.id,
				action: 'changed_record',
				patientId: context.patient.id,
				detail: `appointment ${a.id} moved from ${before.date} ${before.time} (${a.durationMinutes} min, clinician ${a.clinicianId}) to ${input.date} ${input.time} (${input.durationMinutes} min, clinician ${input.clinicianId})`,
				address
			},
			now
		);
	});
	return { ok: true };
}

/** How each change is stored: the status the signals read, and who cancelled. */
const STORED: Record<AttendanceChange, Pick<Appointment, 'status' | 'cancelledBy'>> = {
	attended: { status: 'attended', cancelledBy: null },
	no_show: { status: 'no_show', cancelledBy: null },
	scheduled: { status: 'scheduled', cancelledBy: null },
	// A clinic's cancellation is no absence of the patient's: the attendance signals do not count it.
	cancelled_by_clinic: { status: 'cancelled', cancelledBy: 'clinic' },
	cancelled_in_time: { status: 'cancelled', cancelledBy: 'patient' },
	cancelled_late: { status: 'late_cancellation', cancelledBy: 'patient' }
};

/** The change that gives an appointment's stored status and canceller (for the form's current choice). */
export function attendanceOf(a: Pick<Appointment, 'status' | 'cancelledBy'>): AttendanceChange {
	if (a.status === 'cancelled') return a.cancelledBy === 'clinic' ? 'cancelled_by_clinic' : 'cancelled_in_time';
	if (a.status === 'late_cancellation') return 'cancelled_late';
	return a.status;
}

/**
 * Records whether an appointment took place, then re-evaluates the episode's flags (a no-show or
 * a late cancellation may raise the attendance signal; attending may clear it). The one path for
 * every attendance change: the appointment page, the day's list, a cancellation.
 */
export function changeAttendance(
	db: Db,
	risk: { registry: Registry; config: RiskConfig },
	user: SessionUser,
	context: { appointment: Appointment; episode: Episode; patient: Patient },
	change: AttendanceChange,
	now: Date,
	address: string | null = null
): void {
	const stored = STORED[change];
	db.transaction((tx) => {
		tx.update(appointments).set(stored).where(eq(appointments.id, context.appointment.id)).run();
		forgetStatistics(tx, { episodeId: context.episode.id });
		recordAudit(
			tx,
			{
				userId: user.id,
				action: 'changed_record',
				patientId: context.patient.id,
				detail: `appointment ${context.appointment.id} status ${stored.status}${stored.cancelledBy === null ? '' : ` by ${stored.cancelledBy}`}`,
				address
			},
			now
		);
		// In the same transaction: no page load ever has to bring the flags up to date.
		refreshEpisodeFlags(db, risk.registry, risk.config, context.episode.id, now);
	});
}

/** What the appointment page needs to move it or change its attendance: its wall clock, today, who can take it. */
export function appointmentBooking(db: Db, context: { appointment: Appointment; episode: Episode; patient: Patient }, now: Date) {
	return {
		attendance: attendanceOf(context.appointment),
		when: clinicWallClock(context.appointment.scheduledAt),
		today: clinicWallClock(now).date,
		clinicians: bookableClinicians(db, context.episode.teamId ?? context.patient.teamId)
	};
}

/** The patient's appointments from the start of today on, in time order, with the clinician's name. */
export function upcomingAppointments(db: Db, patientId: number, now: Date): (Appointment & { clinician: string })[] {
	const today = clinicWallClock(now).date;
	const from = clinicInstant(today, '00:00');
	return db
		.select({ a: appointments, clinician: users.displayName })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(users, eq(users.id, appointments.clinicianId))
		.where(and(eq(episodes.patientId, patientId), gte(appointments.scheduledAt, from), lt(appointments.scheduledAt, new Date(from.getTime() + 800 * DAY_MS))))
		.orderBy(appointments.scheduledAt, appointments.id)
		.all()
		.map((r) => ({ ...r.a, clinician: r.clinician }));
}

/** The booking page of a patient: the open episode, who can take the appointments, what is booked; audited as a read. */
export function loadBookingPage(ctx: RequestContext, user: SessionUser, patient: Patient) {
	const { db, now } = ctx;
	const episode = openEpisode(db, patient.id);
	const page = {
		patient: { id: patient.id, code: patient.code, displayName: patient.displayName },
		episode: episode === null ? null : { id: episode.id, plannedEnd: episode.plannedEnd, setting: episode.setting },
		clinicians: episode === null ? [] : bookableClinicians(db, episode.teamId ?? patient.teamId),
		me: user.id,
		today: clinicWallClock(now).date,
		upcoming: upcomingAppointments(db, patient.id, now),
		defaults: { duration: DEFAULT_DURATION_MINUTES, maxSessions: MAX_SERIES_SESSIONS }
	};
	recordAudit(db, { userId: user.id, action: 'viewed_patient', patientId: patient.id, detail: 'appointments', address: ctx.address }, now);
	return page;
}

/** Sets how an appointment takes place (in the room, video, phone), with its audit line; the same type again writes nothing. */
export function changeSessionMode(ctx: RequestContext, access: { user: SessionUser; context: { appointment: Appointment; patient: Patient } }, mode: SessionMode): { ok: true; changed: boolean } {
	const { db, now } = ctx;
	const a = access.context.appointment;
	if (a.sessionMode === mode) return { ok: true, changed: false };
	return db.transaction((tx) => {
		tx.update(appointments).set({ sessionMode: mode }).where(eq(appointments.id, a.id)).run();
		recordAudit(
			tx,
			{ userId: access.user.id, action: 'changed_record', patientId: access.context.patient.id, detail: `appointment ${a.id} session type ${a.sessionMode} → ${mode}`, address: ctx.address },
			now
		);
		return { ok: true, changed: true };
	});
}
