import { and, eq, isNull, notExists, sql } from 'drizzle-orm';
import { idsIn, perDatabase } from './db/prepared';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from './db';
import { appointments, episodes, patients, teams, ratings, type Appointment, type Episode, type Patient, type Rating } from './db/schema';
import type { SessionUser } from './auth/session';
import { patientVisibleTo, visibleTeamIds } from './access';
import { getInstrument, type Registry } from '$lib/domain/registry';

const corrections = alias(ratings, 'corrections');

export interface PatientListRow {
	id: number;
	code: string;
	displayName: string;
	birthYear: number;
	teamName: string;
	episodeStart: string | null;
	sessionsSoFar: number;
	lastSession: Date | null;
}

/**
 * The caseload a user may see: one row per patient with the current (or latest) episode's start,
 * attended sessions so far in it and the last attended session. Patients with the most recent
 * session come first.
 */
export function listPatients(db: Db, user: SessionUser): PatientListRow[] {
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return [];
	const latestEpisode = db
		.select({ patientId: episodes.patientId, id: sql<number>`max(${episodes.id})`.as('latest_episode_id') })
		.from(episodes)
		.groupBy(episodes.patientId)
		.as('latest_episode');
	const rows = db
		.select({
			id: patients.id,
			code: patients.code,
			displayName: patients.displayName,
			birthYear: patients.birthYear,
			teamName: teams.name,
			episodeStart: episodes.startDate,
			sessionsSoFar: sql<number>`count(${appointments.id})`,
			lastSession: sql<number | null>`max(${appointments.scheduledAt})`
		})
		.from(patients)
		.innerJoin(teams, eq(teams.id, patients.teamId))
		.leftJoin(latestEpisode, eq(latestEpisode.patientId, patients.id))
		.leftJoin(episodes, eq(episodes.id, latestEpisode.id))
		.leftJoin(appointments, and(eq(appointments.episodeId, episodes.id), eq(appointments.status, 'attended')))
		.where(and(patientVisibleTo(teamIds), isNull(patients.erasedAt)))
		.groupBy(patients.id)
		.orderBy(sql`max(${appointments.scheduledAt}) desc nulls last`, patients.code)
		.all();
	return rows.map((r) => ({
		...r,
		sessionsSoFar: Number(r.sessionsSoFar),
		lastSession: r.lastSession === null ? null : new Date(Number(r.lastSession))
	}));
}

/** The patient if the user's teams treat them; `null` otherwise (the caller answers "not found"). */
export function findPatientForUser(db: Db, user: SessionUser, patientId: number): Patient | null {
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return null;
	const row = db
		.select()
		.from(patients)
		// An erased patient is a tombstone for the audit trail, not a patient: not found.
		.where(and(eq(patients.id, patientId), patientVisibleTo(teamIds), isNull(patients.erasedAt)))
		.get();
	return row ?? null;
}

export function patientExists(db: Db, patientId: number): boolean {
	return db.select({ id: patients.id }).from(patients).where(eq(patients.id, patientId)).get() !== undefined;
}

type RecordRating = Pick<Rating, 'instrumentId' | 'instrumentVersion' | 'rater' | 'source' | 'total' | 'itemValues'> & {
	/** From the instrument registry; null for an instrument no longer installed. */
	kind: 'outcome' | 'alliance' | null;
};
export type RecordAppointment = Pick<Appointment, 'id' | 'scheduledAt' | 'status' | 'isGroup'> & {
	/** 1 for the first attended appointment of the episode (the intake), null when not attended. */
	session: number | null;
	ratings: RecordRating[];
};
export type RecordEpisode = Pick<Episode, 'id' | 'startDate' | 'setting' | 'plannedEnd' | 'actualEnd' | 'endReason' | 'responsibleId' | 'sessionIntervalDays' | 'milestoneIntervalDays'> & {
	appointments: RecordAppointment[];
};

export interface PatientRecord {
	patient: Patient;
	teamName: string;
	episodes: RecordEpisode[];
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
	const map = new Map<K, T[]>();
	for (const item of items) {
		const list = map.get(key(item));
		if (list === undefined) map.set(key(item), [item]);
		else list.push(item);
	}
	return map;
}

/** Everything the first patient page shows: episodes, newest first, with appointments and ratings. */
export function loadPatientRecord(db: Db, registry: Registry, patient: Patient): PatientRecord {
	const team = db.select({ name: teams.name }).from(teams).where(eq(teams.id, patient.teamId)).get();
	const eps = db
		.select()
		.from(episodes)
		.where(eq(episodes.patientId, patient.id))
		.orderBy(sql`${episodes.startDate} desc`, sql`${episodes.id} desc`)
		.all();
	return { patient, teamName: team?.name ?? '', episodes: episodeRecords(db, registry, eps) };
}

// Prepared once per database: a patient page and every flag evaluation read episodes this way.
const recordStatements = perDatabase((db: Db) => ({
	appointments: db.select().from(appointments).where(idsIn(appointments.episodeId)).orderBy(appointments.episodeId, appointments.scheduledAt, appointments.id).prepare(),
	ratings: db
		.select({ rating: ratings })
		.from(ratings)
		.innerJoin(appointments, eq(appointments.id, ratings.appointmentId))
		.where(
			and(
				idsIn(appointments.episodeId),
				notExists(
					db
						.select({ x: sql`1` })
						.from(corrections)
						.where(eq(corrections.correctsRatingId, ratings.id))
				)
			)
		)
		.prepare()
}));

/**
 * The episodes with their appointments (in time order, attended ones numbered from the intake)
 * and the ratings in force — a rating a correction replaced is kept in the database, not here.
 * Reads every episode's rows in two prepared queries, so a thousand episodes cost little more than one.
 */
export function episodeRecords(db: Db, registry: Registry, eps: readonly Episode[]): RecordEpisode[] {
	const q = recordStatements(db);
	const ids = JSON.stringify(eps.map((e) => e.id));
	const appts = q.appointments.all({ ids });
	const rts = q.ratings.all({ ids }).map((r) => r.rating);
	const apptsByEpisode = groupBy(appts, (a) => a.episodeId);
	const ratingsByAppt = groupBy(rts, (r) => r.appointmentId);
	const kinds = new Map<string, 'outcome' | 'alliance' | null>();
	const kindOf = (id: string, version: number) => {
		const key = `${id}@${version}`;
		let kind = kinds.get(key);
		if (kind === undefined) {
			kind = getInstrument(registry, id, version)?.definition.kind ?? null;
			kinds.set(key, kind);
		}
		return kind;
	};
	return eps.map((e) => {
		let session = 0;
		return {
			id: e.id,
			startDate: e.startDate,
			setting: e.setting,
			plannedEnd: e.plannedEnd,
			actualEnd: e.actualEnd,
			endReason: e.endReason,
			responsibleId: e.responsibleId,
			sessionIntervalDays: e.sessionIntervalDays,
			milestoneIntervalDays: e.milestoneIntervalDays,
			appointments: (apptsByEpisode.get(e.id) ?? []).map((a) => ({
				id: a.id,
				scheduledAt: a.scheduledAt,
				status: a.status,
				isGroup: a.isGroup,
				session: a.status === 'attended' ? ++session : null,
				ratings: (ratingsByAppt.get(a.id) ?? []).map((r) => ({
					instrumentId: r.instrumentId,
					instrumentVersion: r.instrumentVersion,
					kind: kindOf(r.instrumentId, r.instrumentVersion),
					rater: r.rater,
					source: r.source,
					total: r.total,
					itemValues: r.itemValues
				}))
			}))
		};
	});
}
