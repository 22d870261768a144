import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open';
import { verifyAuditTrail } from '../audit-chain';
import { smallClinic } from '../test/fixtures';
import {
	contactConsents,
	followUpPoints,
	outboxMessages,
	absencePlans,
	appointments,
	auditEvents,
	checklistAnswers,
	dischargePlans,
	episodes,
	flags,
	goalVersions,
	meetingRecords,
	milestoneMeetings,
	patients,
	ratings,
	riskActions,
	tabletHandoffs,
	ratingLinks,
	treatmentGoals
} from '../db/schema';
import { createSession, type SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { findPatientForUser, listPatients } from '../patients';
import { EXPORT_FORMAT_VERSION, exportPatient } from './export';
import { erasePatient, findPatientByCode, tombstoneCode } from './erase';
import { parseEraseForm } from './erase-form';
import type { Db } from '../db';
import { eq } from 'drizzle-orm';

const now = new Date('2026-11-23T08:00:00Z');
/** The patient export's shape at its current version: a section and the number of fields of its rows. */
const SHAPE = {
	version: 4,
	patient: 12,
	shape: [
		'episodes: 18',
		'appointments: 13',
		'ratings: 13',
		'ratingLinks: 16',
		'followUpPoints: 11',
		'contactConsents: 9',
		'messages: 13',
		'checklistAnswers: 10',
		'absencePlans: 5',
		'flags: 17',
		'actions: 14',
		'meetings: 9',
		'meetingRecords: 10',
		'goals: 4',
		'goalVersions: 6',
		'dischargePlans: 5',
		'auditEvents: 10'
	]
};

/** A row in every clinical table for the patient: episode to discharge plan, a corrected rating, an open tablet handoff. */
function fillRecord(db: Db, patientId: number, user: SessionUser, tag: string): void {
	const by = user.id;
	const episode = db.insert(episodes).values({ patientId, startDate: '2026-09-01', setting: 'outpatient' }).returning().get();
	const appointment = db.insert(appointments).values({ episodeId: episode.id, clinicianId: by, scheduledAt: now, status: 'attended' }).returning().get();
	const rating = db
		.insert(ratings)
		.values({ clientId: `${tag}-1`, appointmentId: appointment.id, instrumentId: 'stemme-outcome-adult', instrumentVersion: 1, itemValues: { a: 5 }, total: 20, submittedAt: now })
		.returning()
		.get();
	db.insert(ratings)
		.values({
			clientId: `${tag}-2`,
			appointmentId: appointment.id,
			instrumentId: 'stemme-outcome-adult',
			instrumentVersion: 1,
			itemValues: { a: 6 },
			total: 24,
			submittedAt: now,
			correctsRatingId: rating.id,
			correctionReason: 'feil',
			enteredById: by
		})
		.run();
	db.insert(checklistAnswers).values({ episodeId: episode.id, checklistId: 'c', checklistVersion: 1, factorKey: 'f', answer: 'yes', assessedById: by, assessedAt: now }).run();
	db.insert(absencePlans).values({ episodeId: episode.id, agreement: 'ringe', recordedById: by, recordedAt: now }).run();
	const flag = db.insert(flags).values({ episodeId: episode.id, key: 'k', source: 'factor', rule: 'r', rulesVersion: 1, params: {}, text: 't', raisedAt: now }).returning().get();
	const meeting = db.insert(milestoneMeetings).values({ episodeId: episode.id, scheduledDate: '2026-11-30', flagId: flag.id, createdById: by, createdAt: now }).returning().get();
	db.insert(riskActions).values({ episodeId: episode.id, flagId: flag.id, meetingId: meeting.id, actionKey: 'call', ownerId: by, dueDate: '2026-11-30', createdById: by, createdAt: now }).run();
	db.insert(meetingRecords)
		.values({ meetingId: meeting.id, version: 1, participants: { patientPresent: true, people: [] }, answers: {}, recordedById: by, recordedAt: now })
		.run();
	const goal = db.insert(treatmentGoals).values({ episodeId: episode.id, createdById: by, createdAt: now }).returning().get();
	db.insert(goalVersions).values({ goalId: goal.id, text: 'jobb', status: 'in-progress', recordedById: by, recordedAt: now }).run();
	const plan = { housing: '', activity: '', economy: '', followUpTeam: '', contactPerson: '', contactPhone: '', followUpRatingDate: null };
	db.insert(dischargePlans).values({ episodeId: episode.id, plan, recordedById: by, recordedAt: now }).run();
	const { session } = createSession(db, by, now);
	db.insert(tabletHandoffs)
		.values({ id: `${tag}-h`, sessionId: session.id, userId: by, appointmentIds: [appointment.id], instrumentId: 'stemme-outcome-adult', instrumentVersion: 1, rater: 'patient', createdAt: now })
		.run();
	const link = db
		.insert(ratingLinks)
		.values({ tokenHash: `${tag}-hash`, kind: 'in_room', appointmentId: appointment.id, instrumentId: 'stemme-outcome-adult', instrumentVersion: 1, createdById: by, createdAt: now, expiresAt: now })
		.returning()
		.get();
	// A follow-up after discharge, answered, with its own link and the message that sent it.
	const point = db
		.insert(followUpPoints)
		.values({
			episodeId: episode.id,
			months: 1,
			dueOn: '2026-11-20',
			createdAt: now,
			clientId: `${tag}-fu`,
			instrumentId: 'stemme-outcome-adult',
			instrumentVersion: 1,
			itemValues: { a: 7 },
			total: 28,
			answeredAt: now
		})
		.returning()
		.get();
	db.insert(ratingLinks)
		.values({
			tokenHash: `${tag}-fu-hash`,
			kind: 'follow_up',
			followUpPointId: point.id,
			instrumentId: 'stemme-outcome-adult',
			instrumentVersion: 1,
			createdById: by,
			createdAt: now,
			expiresAt: now,
			answeredAt: now
		})
		.run();
	db.insert(contactConsents).values({ patientId, channel: 'sms', address: '+4791234567', recordedById: by, recordedAt: now }).run();
	db.insert(outboxMessages)
		.values({ linkId: link.id, patientId, kind: 'invitation', channel: 'sms', recipient: '+4791234567', subject: 's', body: `queued /r/${tag}token`, nextAttemptAt: now, createdAt: now })
		.run();
	recordAudit(db, { userId: by, action: 'viewed_patient', patientId, address: null }, now);
}

/** Rows of each clinical table that hang off the patient, by walking up to the episode. */
function rowsOf(db: Db, patientId: number): Record<string, number> {
	// Every ? is the patient.
	const q = (sql: string) =>
		(
			db.$client.prepare(sql).get(
				...sql
					.split('?')
					.slice(1)
					.map(() => patientId)
			) as { n: number }
		).n;
	const ep = 'select id from episodes where patient_id = ?';
	return {
		episodes: q(`select count(*) n from episodes where patient_id = ?`),
		appointments: q(`select count(*) n from appointments where episode_id in (${ep})`),
		ratings: q(`select count(*) n from ratings where appointment_id in (select id from appointments where episode_id in (${ep}))`),
		checklist: q(`select count(*) n from checklist_answers where episode_id in (${ep})`),
		absence: q(`select count(*) n from absence_plans where episode_id in (${ep})`),
		flags: q(`select count(*) n from flags where episode_id in (${ep})`),
		actions: q(`select count(*) n from risk_actions where episode_id in (${ep})`),
		meetings: q(`select count(*) n from milestone_meetings where episode_id in (${ep})`),
		records: q(`select count(*) n from meeting_records where meeting_id in (select id from milestone_meetings where episode_id in (${ep}))`),
		goals: q(`select count(*) n from treatment_goals where episode_id in (${ep})`),
		goalVersions: q(`select count(*) n from goal_versions where goal_id in (select id from treatment_goals where episode_id in (${ep}))`),
		discharge: q(`select count(*) n from discharge_plans where episode_id in (${ep})`),
		links: q(
			`select count(*) n from rating_links where appointment_id in (select id from appointments where episode_id in (${ep})) or follow_up_point_id in (select id from follow_up_points where episode_id in (${ep}))`
		),
		followUps: q(`select count(*) n from follow_up_points where episode_id in (${ep})`),
		consents: q(`select count(*) n from contact_consents where patient_id = ?`),
		messages: q(`select count(*) n from outbox_messages where patient_id = ?`)
	};
}

function clinic() {
	const c = smallClinic();
	fillRecord(c.db, c.patientA, c.users.clinicianA, 'a');
	fillRecord(c.db, c.patientB, c.users.clinicianB, 'b');
	return c;
}

describe('exporting a patient', () => {
	it('holds everything about the patient and nothing about another, and is audited', () => {
		const c = clinic();
		const data = exportPatient(c.db, c.users.clinicianA, findPatientForUser(c.db, c.users.clinicianA, c.patientA)!, '10.0.0.5', now);
		const counts = Object.fromEntries(
			Object.entries(data)
				.filter(([, v]) => Array.isArray(v))
				.map(([k, v]) => [k, (v as unknown[]).length])
		);
		// Two audit events: the read in fillRecord and the export itself.
		expect(counts).toEqual({
			episodes: 1,
			appointments: 1,
			ratings: 2,
			// The appointment's link and the follow-up's.
			ratingLinks: 2,
			followUpPoints: 1,
			contactConsents: 1,
			messages: 1,
			checklistAnswers: 1,
			absencePlans: 1,
			flags: 1,
			actions: 1,
			meetings: 1,
			meetingRecords: 1,
			goals: 1,
			goalVersions: 1,
			dischargePlans: 1,
			auditEvents: 2
		});
		expect(data.patient).toMatchObject({ code: 'A-1', teamName: 'A' });
		expect(data.ratings[1]).toMatchObject({ correctionReason: 'feil' });
		expect(data.auditEvents.at(-1)).toMatchObject({ action: 'exported_patient', userId: c.users.clinicianA.id, address: '10.0.0.5' });
		expect(JSON.stringify(data)).not.toContain('B-1');
		// A link's token hash is a credential, not the patient's data.
		expect(JSON.stringify(data)).not.toContain('a-hash');
		// Nor is a queued message's link: the message is named, its text (with the token) is not.
		expect(JSON.stringify(data)).not.toContain('atoken');
		expect(data.followUpPoints[0]).toMatchObject({ months: 1, total: 28 });
	});

	it('names its format and version in the file, and the version moves with the shape', () => {
		const c = clinic();
		const data = exportPatient(c.db, c.users.clinicianA, findPatientForUser(c.db, c.users.clinicianA, c.patientA)!, null, now);
		const file = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
		expect([file.format, file.version]).toEqual(['stemme-patient-export', EXPORT_FORMAT_VERSION]);
		// The shape of this version: every section with the fields of its rows. A migration that
		// changes an exported table changes this; then EXPORT_FORMAT_VERSION is bumped with it.
		const shape = Object.entries(file)
			.filter(([, v]) => Array.isArray(v) && v.length > 0)
			.map(([k, v]) => `${k}: ${Object.keys((v as Record<string, unknown>[])[0]!).length}`);
		expect({ version: EXPORT_FORMAT_VERSION, shape, patient: Object.keys(file.patient as object).length }).toEqual(SHAPE);
	});
});

describe('erasing a patient', () => {
	it('deletes every clinical row of the patient in one go, keeps the audit trail and adds the erase event', () => {
		const c = clinic();
		const before = rowsOf(c.db, c.patientA);
		expect(Object.values(before).every((n) => n > 0)).toBe(true);
		const otherBefore = rowsOf(c.db, c.patientB);
		// The administrator treats no one: they find the patient by code, never through the record.
		expect(findPatientForUser(c.db, c.users.admin, c.patientA)).toBeNull();
		const patient = findPatientByCode(c.db, c.users.admin.organisationId, 'A-1')!;
		erasePatient(c.db, c.users.admin, patient, 'Pasienten ba om sletting 20.11.', '10.0.0.9', now);

		expect(Object.values(rowsOf(c.db, c.patientA)).every((n) => n === 0)).toBe(true);
		expect(rowsOf(c.db, c.patientB)).toEqual(otherBefore);
		const tombstone = c.db.$client.prepare('select code, display_name, birth_year, erased_at from patients where id = ?').get(c.patientA);
		expect(tombstone).toEqual({ code: tombstoneCode(c.patientA), display_name: '', birth_year: 0, erased_at: now.getTime() });
		const trail = c.db
			.select()
			.from(auditEvents)
			.all()
			.filter((e) => e.patientId === c.patientA);
		expect(trail.map((e) => e.action)).toEqual(['viewed_patient', 'erased_patient']);
		// The code is gone with the rest (a tombstone id is what the trail keeps); the earlier
		// event's detail is removed, the event itself stays.
		expect(trail[1]).toMatchObject({ userId: c.users.admin.id, at: now, detail: 'reason: Pasienten ba om sletting 20.11.', address: '10.0.0.9' });
		expect(trail[0]!.detail).toBeNull();
		// The tablet handed over for one of the appointments is taken back; the other patient's is not.
		expect(c.db.select({ id: tabletHandoffs.id, endedAt: tabletHandoffs.endedAt }).from(tabletHandoffs).all()).toEqual([
			{ id: 'a-h', endedAt: now },
			{ id: 'b-h', endedAt: null }
		]);
		expect(c.db.$client.pragma('foreign_key_check')).toEqual([]);
	});

	it('leaves a patient nobody finds: not on a page, not in a list', () => {
		const c = clinic();
		erasePatient(c.db, c.users.admin, findPatientByCode(c.db, c.users.admin.organisationId, 'A-1')!, 'Pasienten ba om sletting.', null, now);
		expect(findPatientByCode(c.db, c.users.admin.organisationId, 'A-1')).toBeNull();
		expect(findPatientByCode(c.db, c.users.admin.organisationId, tombstoneCode(c.patientA))).toBeNull();
		expect(findPatientForUser(c.db, c.users.clinicianA, c.patientA)).toBeNull();
		expect(listPatients(c.db, c.users.leadA).map((p) => p.code)).toEqual([]);
		expect(listPatients(c.db, c.users.clinicianB).map((p) => p.code)).toEqual(['B-1']);
		expect(c.db.select().from(patients).all()).toHaveLength(2);
	});

	it.each([
		[{ code: '', confirm: '', reason: 'Pasienten ba om det.' }, 'Pasientkode må fylles ut.'],
		[{ code: 'A-1', confirm: '', reason: 'Pasienten ba om det.' }, 'Skriv pasientkoden på nytt for å bekrefte må fylles ut.'],
		[{ code: 'A-1', confirm: 'A-2', reason: 'Pasienten ba om det.' }, 'Skriv pasientkoden på nytt for å bekrefte: kodene er ikke like.'],
		[{ code: 'A-1', confirm: 'A-1', reason: '' }, 'Begrunnelse må fylles ut.'],
		[{ code: 'A-1', confirm: 'A-1', reason: 'for kort' }, 'Begrunnelse må ha minst 10 tegn.'],
		[{ code: 'A-1', confirm: 'A-1', reason: 'x'.repeat(501) }, 'Begrunnelse er for langt (høyst 500 tegn).'],
		[{ code: 'A-1', confirm: ' A-1 ', reason: 'Pasienten ba om det.' }, null]
	])('checks the erase form %o', (fields, message) => {
		const f = new FormData();
		for (const [k, v] of Object.entries(fields)) f.set(k, v);
		const parsed = parseEraseForm(f);
		expect(parsed).toEqual(message === null ? { ok: true, code: 'A-1', reason: 'Pasienten ba om det.' } : { ok: false, message });
	});
});

describe('erasing a patient leaves nothing of them in the file', () => {
	it('the name and code are in neither the database file nor its WAL, and the trail still verifies', () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-erase-'));
		try {
			const path = join(dir, 'stemme.db');
			const c = smallClinic(openDatabase(path));
			// Words found nowhere else in the file: a name, a code, a detail naming the code.
			const name = 'Ingeborg Zyxwvutsen';
			const code = 'QZX-9931';
			c.db.update(patients).set({ displayName: name, code }).where(eq(patients.id, c.patientA)).run();
			fillRecord(c.db, c.patientA, c.users.clinicianA, 'a');
			recordAudit(c.db, { userId: c.users.clinicianA.id, action: 'flag_raised', patientId: c.patientA, detail: `flag 1 alliance_sagging for ${code}`, address: null }, now);
			// The administrator searched the trail for the code before erasing.
			recordAudit(c.db, { userId: c.users.admin.id, action: 'viewed_audit_log', detail: `filter ${JSON.stringify({ patientCode: code })} page 1`, address: null }, now);
			// Checkpointed once, so the name is in the main file as well as (after the erasure's writes) the WAL.
			c.db.$client.pragma('wal_checkpoint(PASSIVE)');
			const bytes = (): string =>
				[path, `${path}-wal`]
					.filter(existsSync)
					.map((f) => readFileSync(f).toString('latin1'))
					.join('');
			expect(bytes()).toContain(name);
			expect(bytes()).toContain(code);

			erasePatient(c.db, c.users.admin, findPatientByCode(c.db, c.users.admin.organisationId, code)!, 'Pasienten ba om sletting.', null, now);

			const after = bytes();
			expect(after).not.toContain(name);
			expect(after).not.toContain(code);
			expect(verifyAuditTrail(c.db.$client)).toMatchObject({ ok: true, redacted: 2 });
			c.db.$client.close();
			expect(
				[path, `${path}-wal`]
					.filter(existsSync)
					.map((f) => readFileSync(f).toString('latin1'))
					.join('')
			).not.toContain(name);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
