import { and, asc, desc, eq, inArray, isNotNull, isNull, max, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { episodes, meetingRecords, milestoneMeetings, patients, users, type MeetingParticipants, type MeetingRecord, type MilestoneMeeting } from '../db/schema';
import { recordAudit } from '../audit';
import type { Doer } from '../context';
import { insertAction } from '../risk/flags';

export interface PlanInput {
	episodeId: number;
	patientId: number;
	date: string;
	presenterId: number | null;
	calledEarly: boolean;
	flagId: number | null;
}

/**
 * Plans a meeting. An episode has at most one planned (not yet held) meeting: planning again
 * moves it (earlier, when called early from a flag) instead of adding a second. Audited.
 */
export function planMeeting(db: Db, user: Doer, input: PlanInput, now: Date): MilestoneMeeting {
	return db.transaction((tx) => planIn(tx, user, input, now));
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

function planIn(tx: Tx, user: Doer, input: PlanInput, now: Date): MilestoneMeeting {
	const planned = tx
		.select()
		.from(milestoneMeetings)
		.where(and(eq(milestoneMeetings.episodeId, input.episodeId), isNull(milestoneMeetings.heldAt)))
		.orderBy(asc(milestoneMeetings.scheduledDate))
		.get();
	let row: MilestoneMeeting;
	if (planned === undefined) {
		row = tx
			.insert(milestoneMeetings)
			.values({ episodeId: input.episodeId, scheduledDate: input.date, presenterId: input.presenterId, calledEarly: input.calledEarly, flagId: input.flagId, createdById: user.id, createdAt: now })
			.returning()
			.get();
	} else {
		const date = input.calledEarly && planned.scheduledDate < input.date ? planned.scheduledDate : input.date;
		row = tx
			.update(milestoneMeetings)
			.set({ scheduledDate: date, presenterId: input.presenterId ?? planned.presenterId, calledEarly: planned.calledEarly || input.calledEarly, flagId: input.flagId ?? planned.flagId })
			.where(eq(milestoneMeetings.id, planned.id))
			.returning()
			.get();
	}
	recordAudit(
		tx,
		{
			userId: user.id,
			action: 'meeting_planned',
			patientId: input.patientId,
			detail: `meeting ${row.id} on ${row.scheduledDate}${input.calledEarly ? ' (called early)' : ''}${input.flagId === null ? '' : ` from flag ${input.flagId}`}`,
			address: user.address ?? null
		},
		now
	);
	return row;
}

/** The meeting when it belongs to one of the patient's episodes; null otherwise (answer "not found"). */
export function meetingOfPatient(db: Db | Tx, meetingId: number, patientId: number): (MilestoneMeeting & { episodeOpen: boolean }) | null {
	const row = db
		.select({ meeting: milestoneMeetings, actualEnd: episodes.actualEnd })
		.from(milestoneMeetings)
		.innerJoin(episodes, eq(episodes.id, milestoneMeetings.episodeId))
		.where(and(eq(milestoneMeetings.id, meetingId), eq(episodes.patientId, patientId)))
		.get();
	return row === undefined ? null : { ...row.meeting, episodeOpen: row.actualEnd === null };
}

export interface RecordInput {
	participants: MeetingParticipants;
	answers: Record<string, string>;
	decisions: string;
	patientWords: string;
	nextDate: string | null;
}

/** An action agreed in the meeting: what, who (a team member), by when. */
export interface AgreedAction {
	what: string;
	ownerId: number;
	dueDate: string;
}

/**
 * The record form's use case, in one transaction: with no meeting named (none was planned) the
 * meeting is planned on the day it was held; then its record is saved (recordMeeting) and the
 * actions it agreed are stored with it, each with its audit row. Null when the named meeting is
 * not one of this episode's (answer "not found"); then nothing is stored.
 */
export function saveMeeting(
	db: Db,
	user: Doer,
	target: { episodeId: number; patientId: number },
	meetingId: number | null,
	input: RecordInput & { heldOn: string },
	actions: readonly AgreedAction[],
	now: Date
): MeetingRecord | null {
	return db.transaction((tx) => {
		const meeting =
			meetingId === null
				? { ...planIn(tx, user, { ...target, date: input.heldOn, presenterId: null, calledEarly: false, flagId: null }, now), episodeOpen: true }
				: meetingOfPatient(tx, meetingId, target.patientId);
		if (meeting === null || meeting.episodeId !== target.episodeId) return null;
		const record = recordIn(tx, user, meeting, target.patientId, input, now);
		for (const a of actions) {
			insertAction(tx, user, target.patientId, { episodeId: target.episodeId, flagId: null, meetingId: meeting.id, actionKey: 'other', note: a.what, ownerId: a.ownerId, dueDate: a.dueDate }, now);
		}
		return record;
	});
}

/**
 * Records a meeting (a new version of its record; earlier versions are kept). The first record
 * marks it held, dated the day it was held (`heldOn`, today unless an earlier day is confirmed): a
 * meeting held before its planned date is no longer dated in the future, so it and the next planned
 * one stay apart. Plans the next one on the agreed date (moving a planned one). Audited.
 */
export function recordMeeting(db: Db, user: Doer, meeting: MilestoneMeeting & { episodeOpen: boolean }, patientId: number, input: RecordInput & { heldOn: string }, now: Date): MeetingRecord {
	return db.transaction((tx) => recordIn(tx, user, meeting, patientId, input, now));
}

function recordIn(tx: Tx, user: Doer, meeting: MilestoneMeeting & { episodeOpen: boolean }, patientId: number, { heldOn, ...input }: RecordInput & { heldOn: string }, now: Date): MeetingRecord {
	const last = tx
		.select({ v: max(meetingRecords.version) })
		.from(meetingRecords)
		.where(eq(meetingRecords.meetingId, meeting.id))
		.get();
	const version = (last?.v ?? 0) + 1;
	const record = tx
		.insert(meetingRecords)
		.values({ meetingId: meeting.id, version, ...input, recordedById: user.id, recordedAt: now })
		.returning()
		.get();
	if (meeting.heldAt === null) tx.update(milestoneMeetings).set({ heldAt: now, scheduledDate: heldOn }).where(eq(milestoneMeetings.id, meeting.id)).run();
	if (input.nextDate !== null && meeting.episodeOpen) {
		const planned = tx
			.select()
			.from(milestoneMeetings)
			.where(and(eq(milestoneMeetings.episodeId, meeting.episodeId), isNull(milestoneMeetings.heldAt), sql`${milestoneMeetings.id} != ${meeting.id}`))
			.get();
		if (planned === undefined) {
			tx.insert(milestoneMeetings).values({ episodeId: meeting.episodeId, scheduledDate: input.nextDate, createdById: user.id, createdAt: now }).run();
		} else if (!planned.calledEarly) {
			tx.update(milestoneMeetings).set({ scheduledDate: input.nextDate }).where(eq(milestoneMeetings.id, planned.id)).run();
		}
	}
	recordAudit(tx, { userId: user.id, action: 'meeting_recorded', patientId, detail: `meeting ${meeting.id} version ${version}`, address: user.address ?? null }, now);
	return record;
}

/** Sets who presents (someone on the team who is not the responsible clinician; checked by the caller). Audited. */
export function setPresenter(db: Db, user: Doer, meetingId: number, patientId: number, presenterId: number, now: Date): void {
	db.transaction((tx) => {
		tx.update(milestoneMeetings).set({ presenterId }).where(eq(milestoneMeetings.id, meetingId)).run();
		recordAudit(tx, { userId: user.id, action: 'meeting_planned', patientId, detail: `meeting ${meetingId} presenter ${presenterId}`, address: user.address ?? null }, now);
	});
}

export type MeetingSummary = MilestoneMeeting & { presenter: string | null; record: (MeetingRecord & { recordedBy: string }) | null; versions: number };

/** The episode's meetings, oldest first, each with its record in force and how many versions it has. */
export function episodeMeetings(db: Db, episodeId: number): MeetingSummary[] {
	const meetings = db
		.select({ meeting: milestoneMeetings, presenter: users.displayName })
		.from(milestoneMeetings)
		.leftJoin(users, eq(users.id, milestoneMeetings.presenterId))
		.where(eq(milestoneMeetings.episodeId, episodeId))
		.orderBy(asc(milestoneMeetings.scheduledDate), asc(milestoneMeetings.id))
		.all();
	if (meetings.length === 0) return [];
	const records = db
		.select({ record: meetingRecords, recordedBy: users.displayName })
		.from(meetingRecords)
		.innerJoin(users, eq(users.id, meetingRecords.recordedById))
		.where(
			inArray(
				meetingRecords.meetingId,
				meetings.map((m) => m.meeting.id)
			)
		)
		.orderBy(desc(meetingRecords.version))
		.all();
	return meetings.map(({ meeting, presenter }) => {
		const mine = records.filter((r) => r.record.meetingId === meeting.id);
		const newest = mine[0];
		return { ...meeting, presenter, record: newest === undefined ? null : { ...newest.record, recordedBy: newest.recordedBy }, versions: mine.length };
	});
}

/** Every version of a meeting's record, newest first (the history of later edits). */
export function meetingVersions(db: Db, meetingId: number): (MeetingRecord & { recordedBy: string })[] {
	return db
		.select({ record: meetingRecords, recordedBy: users.displayName })
		.from(meetingRecords)
		.innerJoin(users, eq(users.id, meetingRecords.recordedById))
		.where(eq(meetingRecords.meetingId, meetingId))
		.orderBy(desc(meetingRecords.version))
		.all()
		.map((r) => ({ ...r.record, recordedBy: r.recordedBy }));
}

export interface EpisodeMeetingDates {
	/** The newest held meeting's scheduled date. */
	lastHeld: string | null;
	/** The earliest planned meeting not yet held. */
	planned: { id: number; date: string; presenter: string | null; calledEarly: boolean } | null;
}

/** For many episodes at once: the last held meeting and the planned one, by episode id. */
export function meetingDates(db: Db, episodeIds: readonly number[]): Map<number, EpisodeMeetingDates> {
	const out = new Map<number, EpisodeMeetingDates>();
	if (episodeIds.length === 0) return out;
	const ids = [...episodeIds];
	const held = db
		.select({ episodeId: milestoneMeetings.episodeId, last: max(milestoneMeetings.scheduledDate) })
		.from(milestoneMeetings)
		.where(and(inArray(milestoneMeetings.episodeId, ids), isNotNull(milestoneMeetings.heldAt)))
		.groupBy(milestoneMeetings.episodeId)
		.all();
	const planned = db
		.select({ id: milestoneMeetings.id, episodeId: milestoneMeetings.episodeId, date: milestoneMeetings.scheduledDate, presenter: users.displayName, calledEarly: milestoneMeetings.calledEarly })
		.from(milestoneMeetings)
		.leftJoin(users, eq(users.id, milestoneMeetings.presenterId))
		.where(and(inArray(milestoneMeetings.episodeId, ids), isNull(milestoneMeetings.heldAt)))
		.orderBy(desc(milestoneMeetings.scheduledDate))
		.all();
	for (const id of ids) out.set(id, { lastHeld: null, planned: null });
	for (const h of held) out.get(h.episodeId)!.lastHeld = h.last;
	// Ordered latest first, so the earliest planned meeting is written last and wins.
	for (const p of planned) out.get(p.episodeId)!.planned = { id: p.id, date: p.date, presenter: p.presenter, calledEarly: p.calledEarly };
	return out;
}

/** The patient of an episode (for audit entries). */
export function patientOfEpisode(db: Db, episodeId: number): number | null {
	return db.select({ id: patients.id }).from(episodes).innerJoin(patients, eq(patients.id, episodes.patientId)).where(eq(episodes.id, episodeId)).get()?.id ?? null;
}
