import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic, testContext } from '../test/fixtures';
import { auditEvents, patients, sessions } from '../db/schema';
import { createSession } from '../auth/session';
import { actorFromToken } from '../auth/actor';
import { setPin } from './handoff';
import { lockTogether, unlockTogether } from './together-lock';

const NOW = new Date('2026-11-23T10:00:00Z');

async function locked(pin: string | null = '2468') {
	const c = smallClinic();
	const user = c.users.clinicianA;
	if (pin !== null) await setPin(c.db, user.id, pin, NOW);
	const { session, token } = createSession(c.db, user.id, NOW);
	const patient = c.db.select().from(patients).where(eq(patients.id, c.patientA)).get()!;
	const ctx = testContext(c.db, { now: NOW, token });
	const access = { user, session, patient };
	const actor = () => actorFromToken(c.db, token, NOW);
	const alive = () => c.db.select().from(sessions).where(eq(sessions.id, session.id)).get() !== undefined;
	return { ...c, ctx, access, actor, alive, result: lockTogether(ctx, access) };
}

describe('the together view turned to the patient', () => {
	it('locks the staff session to this patient’s view, audited, and the right PIN lifts it', async () => {
		const s = await locked();
		expect(s.result).toBe('locked');
		expect(s.actor()).toMatchObject({ kind: 'together', patientId: s.patientA });
		expect(s.db.select({ a: auditEvents.action, d: auditEvents.detail, p: auditEvents.patientId }).from(auditEvents).where(eq(auditEvents.action, 'handed_to_patient')).all()).toEqual([
			{ a: 'handed_to_patient', d: 'together view', p: s.patientA }
		]);
		expect(await unlockTogether(s.ctx, s.access, '2468')).toEqual({ ok: true });
		expect(s.actor().kind).toBe('staff');
		expect(s.alive()).toBe(true);
	});

	it('counts wrong PINs as the tablet does: the third ends the staff session', async () => {
		const s = await locked();
		expect(await unlockTogether(s.ctx, s.access, '0000')).toEqual({ ok: false, reason: 'wrong_pin', attemptsLeft: 2 });
		expect(await unlockTogether(s.ctx, s.access, '')).toEqual({ ok: false, reason: 'wrong_pin', attemptsLeft: 1 });
		expect(s.actor().kind).toBe('together');
		expect(await unlockTogether(s.ctx, s.access, '1111')).toEqual({ ok: false, reason: 'locked_out' });
		expect(s.alive()).toBe(false);
		expect(s.actor().kind).toBe('anonymous');
		const failures = s.db.select({ d: auditEvents.detail }).from(auditEvents).where(eq(auditEvents.action, 'pin_failed')).all();
		expect(failures.map((f) => f.d)).toEqual(['together view: attempt 1 of 3', 'together view: attempt 2 of 3', 'together view: attempt 3 of 3']);
	});

	it('cannot be locked by a clinician without a PIN (nothing would take the screen back)', async () => {
		const s = await locked(null);
		expect(s.result).toBe('no_pin');
		expect(s.actor().kind).toBe('staff');
		expect(s.db.select().from(auditEvents).where(eq(auditEvents.action, 'handed_to_patient')).all()).toEqual([]);
	});
});
