import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic } from './test/fixtures';
import { editPatient, registerPatient, searchPatients, type PatientInput } from './registration';
import { findPatientForUser } from './patients';
import { auditEvents, patients } from './db/schema';

const now = new Date('2026-11-23T10:00:00Z');
// Valid by both modulus-11 check digits (national-id.spec.ts has the arithmetic for the first).
const FNR = '01019012480';
const OTHER_FNR = '02029010075';

const input = (teamId: number, over: Partial<PatientInput> = {}): PatientInput => ({
	code: null,
	displayName: 'Kari Nord',
	birthDate: null,
	birthYear: null,
	preferredLocale: 'nn',
	nationalId: FNR,
	teamId,
	...over
});

describe('registering a patient', () => {
	it('stores the checked number, takes the birth date from it and makes up a code; audited with the number masked', () => {
		const c = smallClinic();
		const r = registerPatient(c.db, c.users.clinicianA, input(c.teamA, { nationalId: '010190 12480' }), now);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.patient).toMatchObject({ nationalId: FNR, birthDate: '1990-01-01', birthYear: 1990, preferredLocale: 'nn', teamId: c.teamA });
		expect(r.patient.code).toMatch(/^P-[A-Z2-9]{6}$/);
		const audit = c.db.select().from(auditEvents).where(eq(auditEvents.patientId, r.patient.id)).all();
		expect(audit.map((a) => [a.action, a.detail?.includes('010190 *****'), a.detail?.includes(FNR)])).toEqual([['patient_registered', true, false]]);
	});

	it('takes a birth year alone, and the clinic’s own code', () => {
		const c = smallClinic();
		const r = registerPatient(c.db, c.users.clinicianA, input(c.teamA, { code: 'TSB-0042', nationalId: null, birthYear: 1975 }), now);
		expect(r.ok && [r.patient.code, r.patient.birthYear, r.patient.birthDate, r.patient.nationalId]).toEqual(['TSB-0042', 1975, null, null]);
	});

	it.each([
		['a check digit one off', { nationalId: '01019012481' }, { field: 'nationalId', reason: 'check-digit' }],
		['ten digits', { nationalId: '0101901248' }, { field: 'nationalId', reason: 'format' }],
		['a birth date that is not the number’s', { birthDate: '1990-01-02' }, { field: 'birthDate', reason: 'national-id-mismatch' }],
		['no birth date, year or number', { nationalId: null }, { field: 'birthDate', reason: 'missing' }],
		['a year that is not the date’s', { nationalId: null, birthDate: '1980-05-05', birthYear: 1981 }, { field: 'birthDate', reason: 'national-id-mismatch' }]
	] as const)('refuses %s, storing nothing', (_, over, expected) => {
		const c = smallClinic();
		expect(registerPatient(c.db, c.users.clinicianA, input(c.teamA, over), now)).toEqual({ ok: false, ...expected });
		expect(c.db.select().from(patients).all()).toHaveLength(2);
	});

	it('refuses another team than the user’s own', () => {
		const c = smallClinic();
		expect(registerPatient(c.db, c.users.clinicianA, input(c.teamB), now)).toEqual({ ok: false, field: 'teamId', reason: 'not-your-team' });
		expect(registerPatient(c.db, c.users.admin, input(c.teamA), now)).toEqual({ ok: false, field: 'teamId', reason: 'not-your-team' });
	});

	it('refuses a second registration of the number or the code, naming the record only to those who may see it', () => {
		const c = smallClinic();
		const first = registerPatient(c.db, c.users.clinicianA, input(c.teamA, { code: 'X-1' }), now);
		if (!first.ok) throw new Error('first registration refused');
		const seen = { id: first.patient.id, code: 'X-1', displayName: 'Kari Nord' };
		expect(registerPatient(c.db, c.users.leadA, input(c.teamA), now)).toEqual({ ok: false, field: 'nationalId', reason: 'duplicate', existing: seen });
		expect(registerPatient(c.db, c.users.clinicianB, input(c.teamB), now)).toEqual({ ok: false, field: 'nationalId', reason: 'duplicate', existing: null });
		expect(registerPatient(c.db, c.users.clinicianB, input(c.teamB, { code: 'X-1', nationalId: OTHER_FNR }), now)).toEqual({ ok: false, field: 'code', reason: 'duplicate', existing: null });
		expect(registerPatient(c.db, c.users.clinicianB, input(c.teamB, { code: 'B-1', nationalId: OTHER_FNR }), now)).toMatchObject({ ok: false, field: 'code', existing: { code: 'B-1' } });
	});
});

describe('editing a patient', () => {
	it('audits each changed field with before and after, the number masked', () => {
		const c = smallClinic();
		const p = findPatientForUser(c.db, c.users.clinicianA, c.patientA)!;
		const r = editPatient(c.db, c.users.clinicianA, p, { code: 'A-1', displayName: 'Ny Navn', birthDate: null, birthYear: null, preferredLocale: null, nationalId: OTHER_FNR }, now);
		expect(r.ok && r.changed).toEqual(['displayName', 'birthDate', 'nationalId']);
		const audit = c.db.select().from(auditEvents).where(eq(auditEvents.action, 'patient_edited')).get();
		// The fixture's patient was born 1990 (year only); the number gives 1990-02-02.
		expect(audit?.detail).toBe('displayName: "A-1" → "Ny Navn"; birthDate: — → "1990-02-02"; nationalId: — → 020290 *****');
	});

	it('refuses a code another patient has, naming it for the same team', () => {
		const c = smallClinic();
		registerPatient(c.db, c.users.clinicianA, input(c.teamA, { code: 'A-2' }), now);
		const p = findPatientForUser(c.db, c.users.clinicianA, c.patientA)!;
		expect(editPatient(c.db, c.users.clinicianA, p, { code: 'A-2', displayName: 'A-1', birthDate: null, birthYear: 1990, preferredLocale: null, nationalId: null }, now)).toMatchObject({
			ok: false,
			field: 'code',
			existing: { code: 'A-2' }
		});
	});
});

describe('finding a patient', () => {
	it('by code, name, the whole number or its birth date; only the team’s own patients; the number masked', () => {
		const c = smallClinic();
		registerPatient(c.db, c.users.clinicianA, input(c.teamA, { code: 'KN-7' }), now);
		registerPatient(c.db, c.users.clinicianB, input(c.teamB, { code: 'KN-8', nationalId: OTHER_FNR }), now);
		const codes = (q: string, who: 'clinicianA' | 'clinicianB' = 'clinicianA') => searchPatients(c.db, c.users[who], q, now).map((h) => h.code);
		expect(codes('kn-')).toEqual(['KN-7']);
		expect(codes('nord')).toEqual(['KN-7']);
		expect(codes('010190 12480')).toEqual(['KN-7']);
		expect(codes('010190')).toEqual(['KN-7']);
		expect(codes(OTHER_FNR)).toEqual([]);
		expect(codes(OTHER_FNR, 'clinicianB')).toEqual(['KN-8']);
		expect(codes('%')).toEqual([]);
		expect(searchPatients(c.db, c.users.clinicianA, 'KN-7', now)[0]?.nationalId).toBe('010190 *****');
		expect(searchPatients(c.db, c.users.admin, 'KN', now)).toEqual([]);
		// The search is audited, and a number in it is not written out in full.
		const logged = c.db
			.select({ detail: auditEvents.detail })
			.from(auditEvents)
			.where(eq(auditEvents.action, 'searched_patients'))
			.all()
			.map((a) => a.detail);
		expect(logged).toContain('search: 010190 *****');
		expect(logged.some((d) => d?.includes(FNR))).toBe(false);
	});
});
