import { describe, expect, it } from 'vitest';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { smallClinic, testContext } from '../test/fixtures';
import { appointments, auditEvents, episodes } from '../db/schema';
import { createSession, type SessionUser } from './session';
import { requireAppointment, requireHandoff, requirePatient, requireRole, requireUser } from './guards';
import { startHandoff } from '../tablet/handoff';
import { builtInRegistry } from '../test/fixtures';
import { getInstrument } from '$lib/domain/registry';
import type { Db } from '../db';

const now = new Date('2026-11-23T08:00:00Z');

function signedIn(db: Db, user: SessionUser, path = '/patients/1') {
	// An administrator's session has given its second factor (two-factor.ts); others owe none here.
	const state = user.role === 'admin' ? 'totp' : null;
	return testContext(db, { now, token: createSession(db, user.id, now, undefined, state).token, path, address: '10.0.0.7' });
}

function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (e) {
		return e;
	}
	return null;
}

const auditRows = (db: Db): number =>
	db
		.select({ n: sql<number>`count(*)` })
		.from(auditEvents)
		.get()!.n;

describe('guards', () => {
	it('sends a signed-out visitor to sign in and back', () => {
		const c = smallClinic();
		const e = thrown(() => requireUser(testContext(c.db, { now, path: '/patients/3?x=1' })));
		expect(isRedirect(e) && e.location).toBe('/login?next=%2Fpatients%2F3%3Fx%3D1');
	});

	it('refuses a role that is not allowed with 403', () => {
		const c = smallClinic();
		const e = thrown(() => requireRole(signedIn(c.db, c.users.clinicianA), ['admin']));
		expect(isHttpError(e) && e.status).toBe(403);
		expect(requireRole(signedIn(c.db, c.users.admin), ['admin']).user.role).toBe('admin');
		// Without its second factor, an administrator's session reaches no administration page.
		for (const state of ['pending', 'enrol', null] as const) {
			const token = createSession(c.db, c.users.admin.id, now, undefined, state).token;
			const owed = thrown(() => requireRole(testContext(c.db, { now, token, path: '/admin/users' }), ['admin']));
			expect(isRedirect(owed) && owed.location).toBe('/login/two-factor?next=%2Fadmin%2Fusers');
		}
	});

	it('returns the own team’s patient with the session, and writes nothing', () => {
		const c = smallClinic();
		const ctx = signedIn(c.db, c.users.clinicianA);
		const found = requirePatient(ctx, String(c.patientA));
		expect(found.patient.code).toBe('A-1');
		expect(found.session.userId).toBe(c.users.clinicianA.id);
		expect(found.auth.method).toBe('password');
		expect(auditRows(c.db)).toBe(0);
		expect(ctx.denials).toEqual([]);
	});

	it.each([
		['another team’s patient', (c: ReturnType<typeof smallClinic>) => String(c.patientB), true],
		['an id that does not exist', () => '424242', false],
		['an id that is not a number', () => '1 or 1=1', false],
		['a negative id', () => '-1', false]
	])('answers %s as 404, writes nothing, and notes the refusal for its caller', (_, id, linked) => {
		const c = smallClinic();
		const ctx = signedIn(c.db, c.users.clinicianA);
		const e = thrown(() => requirePatient(ctx, id(c)));
		expect(isHttpError(e) && e.status).toBe(404);
		expect(auditRows(c.db)).toBe(0);
		expect(ctx.denials).toEqual([{ userId: c.users.clinicianA.id, patientId: linked ? c.patientB : null, detail: `patient ${id(c)}` }]);
	});

	it('answers another team’s appointment as 404 without writing', () => {
		const c = smallClinic();
		const episode = c.db.insert(episodes).values({ patientId: c.patientB, startDate: '2026-09-01', setting: 'outpatient' }).returning().get();
		const appointment = c.db.insert(appointments).values({ episodeId: episode.id, clinicianId: c.users.clinicianB.id, scheduledAt: now }).returning().get();
		const ctx = signedIn(c.db, c.users.clinicianA);
		const e = thrown(() => requireAppointment(ctx, String(appointment.id)));
		expect(isHttpError(e) && e.status).toBe(404);
		expect(auditRows(c.db)).toBe(0);
		expect(ctx.denials).toHaveLength(1);
		expect(requireAppointment(signedIn(c.db, c.users.clinicianB), String(appointment.id)).context.patient.id).toBe(c.patientB);
	});

	it('keeps a handed-over session in patient mode: staff guards send it to /rate, the tablet guard finds the turn', () => {
		const c = smallClinic();
		const episode = c.db.insert(episodes).values({ patientId: c.patientA, startDate: '2026-09-01', setting: 'outpatient' }).returning().get();
		const appointment = c.db.insert(appointments).values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: now }).returning().get();
		const { token, session } = createSession(c.db, c.users.clinicianA.id, now);
		const instrument = getInstrument(builtInRegistry(), 'stemme-outcome-adult', 1)!;
		const handoff = startHandoff(c.db, { sessionId: session.id, userId: c.users.clinicianA.id, appointmentIds: [appointment.id], instrument, rater: 'patient', patientIds: [c.patientA] }, now);
		const ctx = testContext(c.db, { now, token });
		expect(ctx.actor.kind).toBe('tablet');
		for (const guard of [() => requireUser(ctx), () => requirePatient(ctx, String(c.patientA)), () => requireAppointment(ctx, String(appointment.id))]) {
			const e = thrown(guard);
			expect(isRedirect(e) && e.location).toBe('/rate');
		}
		expect(requireHandoff(ctx)).toMatchObject({ handoff: { id: handoff.id }, turn: { appointmentId: appointment.id, position: 0, count: 1 } });
		const staff = signedIn(c.db, c.users.clinicianA);
		const e = thrown(() => requireHandoff(staff));
		expect(isRedirect(e) && e.location).toBe('/patients');
	});
});
