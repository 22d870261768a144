import { describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import { smallClinic, testContext } from '../test/fixtures';
import { auditEventPatients, auditEvents, patients } from '../db/schema';
import { startEpisode } from '../episode-course';
import { DEFAULT_CHECKLIST } from '$lib/domain/checklist';
import { eq } from 'drizzle-orm';
import type { SessionUser } from '../auth/session';
import { requirePatient } from '../auth/guards';
import { loadPatientPage } from '../views/patient-page';
import { loadCaseloadPage } from '../views/caseload-page';
import { editPatient } from '../registration';
import { giveAccessLog, giveAccessLogByCode } from './access-log';
import { parseAccessLogCode } from './code-form';

const at = (minute: number): Date => new Date(Date.UTC(2026, 11, 3, 9, minute));

function staff(db: ReturnType<typeof smallClinic>['db'], user: SessionUser, now: Date) {
	return testContext(db, { now, actor: { kind: 'staff', user, session: { id: `s-${user.id}` } as never, auth: { method: 'password', at: now, secondFactor: null } } });
}

describe("the patient's access log", () => {
	const c = smallClinic();
	const { db } = c;
	db.update(patients).set({ preferredLocale: 'nn' }).where(eq(patients.id, c.patientA)).run();

	const episode = { setting: 'outpatient', responsibleId: null, startDate: '2026-11-02', sessionIntervalDays: null, plannedEnd: null, referralReason: 'Henvist fra fastlege' } as const;
	const patientRow = db.select().from(patients).where(eq(patients.id, c.patientA)).get()!;
	const started = startEpisode(db, c.users.clinicianA, patientRow, { ...episode, teamId: c.teamA }, DEFAULT_CHECKLIST, new Date(Date.UTC(2026, 10, 2, 9)));

	// The script: after the episode is opened, the treating clinician opens the record, sees the caseload, changes the record;
	// the team lead opens it; another team's clinician tries and is refused; the other team's own
	// patient is opened (not in A-1's log).
	const a = staff(db, c.users.clinicianA, at(0));
	const openedA = requirePatient(a, String(c.patientA));
	loadPatientPage(a, openedA, 'nb');
	const caseload = staff(db, c.users.clinicianA, at(1));
	loadCaseloadPage(caseload, c.users.clinicianA, new URL('http://stemme.test/today'), 'nb');
	const edit = staff(db, c.users.clinicianA, at(2));
	const editAccess = requirePatient(edit, String(c.patientA));
	const edited = editPatient(
		db,
		c.users.clinicianA,
		editAccess.patient,
		{ code: 'A-1', displayName: 'Ny Navn', birthDate: null, birthYear: 1990, preferredLocale: 'nn', nationalId: null },
		at(2),
		'127.0.0.1'
	);
	const lead = staff(db, c.users.leadA, at(3));
	loadPatientPage(lead, requirePatient(lead, String(c.patientA)), 'nb');
	const other = staff(db, c.users.clinicianB, at(4));
	loadPatientPage(other, requirePatient(other, String(c.patientB)), 'nb');
	const intruder = staff(db, c.users.clinicianB, at(5));

	it('matches the audit trail row for row: the same events, in the same order, the giving last', () => {
		expect([started.ok, edited.ok]).toEqual([true, true]);
		const log = giveAccessLog(staff(db, c.users.clinicianA, at(6)), openedA);
		const trail = db.select().from(auditEvents).orderBy(asc(auditEvents.id)).all();
		// Every event of the trail about A-1 (the caseload event names no patient, it is linked
		// through audit_event_patients), and none of B-1's.
		const linked = new Set(
			db
				.select()
				.from(auditEventPatients)
				.all()
				.filter((l) => l.patientId === c.patientA)
				.map((l) => l.eventId)
		);
		const aboutA = trail.filter((e) => e.patientId === c.patientA || linked.has(e.id));
		expect(log.rows.map((r) => [r.id, r.at.getTime(), r.action])).toEqual(aboutA.map((e) => [e.id, e.at.getTime(), e.action]));
		expect(log.rows.map((r) => [r.action, r.name])).toEqual([
			['episode_opened', 'clin-a'],
			['viewed_patient', 'clin-a'],
			['viewed_patient_list', 'clin-a'],
			['patient_edited', 'clin-a'],
			['viewed_patient', 'lead-a'],
			['gave_access_log', 'clin-a']
		]);
		expect(log.rows[4]).toMatchObject({ role: 'team_lead', teams: ['A'] });
		expect(trail.some((e) => e.patientId === c.patientB && e.action === 'viewed_patient')).toBe(true);
		expect(log.patient).toEqual({ code: 'A-1', locale: 'nn' });
	});

	it("refuses another team's clinician (404, the attempt noted for the trail)", () => {
		expect(() => requirePatient(intruder, String(c.patientA))).toThrow(expect.objectContaining({ status: 404 }));
		expect(intruder.denials).toEqual([expect.objectContaining({ userId: c.users.clinicianB.id, patientId: c.patientA })]);
	});

	it('gives the admin the log by code without opening the record', () => {
		const before = db.select().from(auditEvents).all().length;
		const log = giveAccessLogByCode(staff(db, c.users.admin, at(7)), c.users.admin, 'A-1');
		expect(log).not.toBeNull();
		const added = db.select().from(auditEvents).all().slice(before);
		// One event: the giving, by the admin; no viewed_patient row.
		expect(added.map((e) => [e.action, e.userId, e.patientId])).toEqual([['gave_access_log', c.users.admin.id, c.patientA]]);
		expect(log!.rows.at(-1)).toMatchObject({ action: 'gave_access_log', name: 'admin', role: 'admin', teams: [] });
		expect(log!.rows.filter((r) => r.action === 'viewed_patient').map((r) => r.name)).toEqual(['clin-a', 'lead-a']);
	});

	it('answers null for a code not in the organisation, and writes nothing', () => {
		const before = db.select().from(auditEvents).all().length;
		expect(giveAccessLogByCode(staff(db, c.users.admin, at(8)), c.users.admin, 'finnes-ikke')).toBeNull();
		expect(db.select().from(auditEvents).all().length).toBe(before);
	});
});

describe("the admin's code form", () => {
	const form = (code: string): FormData => {
		const f = new FormData();
		f.set('code', code);
		return f;
	};
	it.each([
		['  A-1 ', { ok: true, code: 'A-1' }],
		['', { ok: false, message: expect.stringContaining('Pasientkode') }],
		['x'.repeat(41), { ok: false, message: expect.stringContaining('Pasientkode') }]
	])('%j gives %o', (code, expected) => {
		expect(parseAccessLogCode(form(code))).toEqual(expected);
	});
});
