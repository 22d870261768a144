import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { sessions, tabletHandoffs, users } from '../db/schema';
import { createSession, invalidateUserSessions } from '../auth/session';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry, getInstrument } from '$lib/domain/registry';
import { activeHandoff, hasPin, isValidPin, PIN_ATTEMPTS, setHandoffLanguage, setPin, startHandoff, unlockWithPin } from './handoff';

const NOW = new Date('2026-11-23T10:00:00Z');
const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const outcome = getInstrument(made.registry, 'stemme-outcome-adult', 1)!;

async function handedOver() {
	const c = smallClinic();
	const user = c.users.clinicianA;
	await setPin(c.db, user.id, '2468', NOW);
	const { session } = createSession(c.db, user.id, NOW);
	const handoff = startHandoff(c.db, { sessionId: session.id, userId: user.id, appointmentIds: [1], instrument: outcome, rater: 'patient', patientIds: [] }, NOW);
	const sessionAlive = (): boolean => c.db.select().from(sessions).where(eq(sessions.id, session.id)).get() !== undefined;
	return { ...c, user, session, handoff, sessionAlive };
}

describe('the PIN', () => {
	it.each([
		['1234', true],
		['12345678', true],
		['123', false],
		['123456789', false],
		['12a4', false],
		[' 1234', false],
		['١٢٣٤', false]
	])('%s is valid: %s', (pin, valid) => {
		expect(isValidPin(pin)).toBe(valid);
	});

	it('is stored only as a hash, and an invalid one is refused', async () => {
		const c = smallClinic();
		expect(hasPin(c.db, c.users.clinicianA.id)).toBe(false);
		await expect(setPin(c.db, c.users.clinicianA.id, '12', NOW)).rejects.toThrow();
		await setPin(c.db, c.users.clinicianA.id, '2468', NOW);
		const stored = c.db.select({ h: users.pinHash }).from(users).where(eq(users.id, c.users.clinicianA.id)).get()!.h!;
		expect(stored).toMatch(/^\$argon2id\$/);
		expect(stored).not.toContain('2468');
		expect(hasPin(c.db, c.users.clinicianA.id)).toBe(true);
	});
});

describe('taking the tablet back', () => {
	it('the right PIN ends the handoff and keeps the staff session', async () => {
		const s = await handedOver();
		expect(await unlockWithPin(s.db, s.handoff, '2468', NOW)).toEqual({ ok: true });
		expect(activeHandoff(s.db, s.handoff.id, s.session.id)).toBeNull();
		expect(s.sessionAlive()).toBe(true);
	});

	it('counts down wrong PINs and ends the staff session at the third', async () => {
		const s = await handedOver();
		expect(await unlockWithPin(s.db, s.handoff, '0000', NOW)).toEqual({ ok: false, reason: 'wrong_pin', attemptsLeft: 2 });
		expect(await unlockWithPin(s.db, s.handoff, '1111', NOW)).toEqual({ ok: false, reason: 'wrong_pin', attemptsLeft: 1 });
		expect(s.sessionAlive()).toBe(true);
		expect(await unlockWithPin(s.db, s.handoff, '2222', NOW)).toEqual({ ok: false, reason: 'locked_out' });
		expect(s.sessionAlive()).toBe(false);
		// Nothing is left to unlock, but the handoff is kept, ended, for answers still on the tablet.
		expect(activeHandoff(s.db, s.handoff.id, s.session.id)).toBeNull();
		expect(s.db.select().from(tabletHandoffs).where(eq(tabletHandoffs.id, s.handoff.id)).get()).toMatchObject({ sessionId: null, endedAt: NOW });
	});

	it('outlives its staff session however that ends (sign out everywhere, expiry): the session link is cleared, the row kept', async () => {
		const s = await handedOver();
		invalidateUserSessions(s.db, s.user.id);
		expect(s.sessionAlive()).toBe(false);
		expect(s.db.select().from(tabletHandoffs).where(eq(tabletHandoffs.id, s.handoff.id)).get()).toMatchObject({ id: s.handoff.id, sessionId: null });
	});

	it('attempts sent in parallel cannot try more than three PINs, even with the right one among them', async () => {
		const s = await handedOver();
		const pins = ['0000', '1111', '2222', '3333', '2468'];
		const results = await Promise.all(pins.map((pin) => unlockWithPin(s.db, s.handoff, pin, NOW)));
		// The fifth attempt (the right PIN) was counted after three others: refused.
		expect(results.filter((r) => r.ok)).toHaveLength(0);
		expect(results.filter((r) => !r.ok && r.reason === 'locked_out').length).toBeGreaterThanOrEqual(pins.length - PIN_ATTEMPTS + 1);
		expect(s.sessionAlive()).toBe(false);
	});

	it('an empty or non-digit PIN is a wrong PIN, not an error', async () => {
		const s = await handedOver();
		expect(await unlockWithPin(s.db, s.handoff, '', NOW)).toMatchObject({ ok: false, reason: 'wrong_pin' });
		expect(await unlockWithPin(s.db, s.handoff, '<script>', NOW)).toMatchObject({ ok: false, reason: 'wrong_pin' });
	});
});

describe("the patient's language holds for the whole appointment", () => {
	const alliance = getInstrument(made.registry, 'stemme-alliance-adult', 1)!;
	it('the alliance form opens in the language the patient chose for the outcome form; another appointment or rater does not inherit it', async () => {
		const c = await handedOver();
		const start = (appointmentIds: number[], rater: 'patient' | 'collateral' = 'patient', at = NOW) =>
			startHandoff(c.db, { sessionId: c.session.id, userId: c.user.id, appointmentIds, instrument: alliance, rater, patientIds: [] }, at);
		expect(c.handoff.language).toBeNull();
		setHandoffLanguage(c.db, c.handoff.id, 'en');
		const later = new Date(NOW.getTime() + 45 * 60_000);
		expect(start([1], 'patient', later).language).toBe('en');
		expect(start([2], 'patient', later).language).toBeNull();
		expect(start([1], 'collateral', later).language).toBeNull();
		// A group round starts in the clinician's language (each member chooses their own).
		expect(start([1, 2], 'patient', later).language).toBeNull();
	});
});
