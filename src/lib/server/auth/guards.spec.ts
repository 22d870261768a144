import { describe, expect, it } from 'vitest';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { smallClinic } from '../test/fixtures';
import { auditEvents } from '../db/schema';
import { requirePatient, requireRole, requireUser } from './guards';
import type { SessionUser } from './session';

const now = new Date('2026-11-23T08:00:00Z');

function event(user: SessionUser | null, path = '/patients/1') {
	return {
		locals: { user, session: null, handoff: null },
		url: new URL(`http://localhost${path}`),
		getClientAddress: () => '10.0.0.7'
	};
}

function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (e) {
		return e;
	}
	return null;
}

describe('guards', () => {
	it('sends a signed-out visitor to sign in and back', () => {
		const e = thrown(() => requireUser(event(null, '/patients/3?x=1')));
		expect(isRedirect(e) && e.location).toBe('/login?next=%2Fpatients%2F3%3Fx%3D1');
	});

	it('refuses a role that is not allowed with 403', () => {
		const c = smallClinic();
		const e = thrown(() => requireRole(event(c.users.clinicianA), ['admin']));
		expect(isHttpError(e) && e.status).toBe(403);
		expect(requireRole(event(c.users.admin), ['admin']).role).toBe('admin');
	});

	it('opens the own team’s patient and audits the read', () => {
		const c = smallClinic();
		const { patient } = requirePatient(event(c.users.clinicianA), c.db, String(c.patientA), now);
		expect(patient.code).toBe('A-1');
		const log = c.db.select().from(auditEvents).all();
		expect(log).toEqual([
			expect.objectContaining({ action: 'viewed_patient', userId: c.users.clinicianA.id, patientId: c.patientA, address: '10.0.0.7' })
		]);
	});

	it.each([
		['another team’s patient', (c: ReturnType<typeof smallClinic>) => String(c.patientB), true],
		['an id that does not exist', () => '424242', false],
		['an id that is not a number', () => '1 or 1=1', false],
		['a negative id', () => '-1', false]
	])('answers %s as 404 and audits the attempt', (_, id, linked) => {
		const c = smallClinic();
		const e = thrown(() => requirePatient(event(c.users.clinicianA), c.db, id(c), now));
		expect(isHttpError(e) && e.status).toBe(404);
		const log = c.db.select().from(auditEvents).all();
		expect(log).toHaveLength(1);
		expect(log[0]?.action).toBe('denied_patient');
		expect(log[0]?.patientId).toBe(linked ? c.patientB : null);
	});
});
