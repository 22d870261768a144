import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { builtInRegistry, smallClinic, testContext, TEST_CONFIG } from '../test/fixtures';
import { appointments, auditEvents, episodes, patients, ratingLinks } from '../db/schema';
import type { Config } from '../config';
import { findAppointmentForUser } from '../appointments';
import { grantOfToken, linkPage, makeRatingLink, submitFromLink } from './rating-links';
import { gatePassed, LINK_GATE_TRIES, parseBirthDate, passLinkGate } from './link-gate';

/** The birth date asked before a link's form opens, where the installation asks for it (STEMME_LINK_BIRTH_DATE=on). */
const NOW = new Date('2026-12-04T09:00:00Z');
const registry = builtInRegistry();
const asking: Config = { ...TEST_CONFIG, messaging: { ...TEST_CONFIG.messaging, askBirthDate: true } };

function linked(birthDate: string | null) {
	const c = smallClinic();
	c.db.update(patients).set({ birthDate }).where(eq(patients.id, c.patientA)).run();
	const episode = c.db.insert(episodes).values({ patientId: c.patientA, startDate: '2026-09-01', setting: 'outpatient' }).returning().get();
	const appointmentId = c.db.insert(appointments).values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: NOW }).returning().get().id;
	const context = findAppointmentForUser(c.db, c.users.clinicianA, appointmentId)!;
	const made = makeRatingLink(c.db, registry, { user: c.users.clinicianA, context, kind: 'in_room', form: 'outcome', preferred: [], address: null }, NOW);
	if (!made.ok) throw new Error(made.reason);
	const ctx = (address = '10.1.2.3') => testContext(c.db, { now: NOW, config: asking, address });
	return { ...c, token: made.token, grant: () => grantOfToken(c.db, made.token)!, ctx };
}

describe('parseBirthDate', () => {
	it.each([
		['1990-05-17', '1990-05-17'],
		['17.05.1990', '1990-05-17'],
		['7.5.1990', '1990-05-07'],
		['1990-02-31', null],
		['17/05/1990', null],
		['', null],
		[42, null]
	] as const)('%j is %j', (raw, expected) => {
		expect(parseBirthDate(raw)).toBe(expected);
	});
});

describe('the birth-date gate', () => {
	it('keeps the form shut until the right birth date, and refuses answers sent before it', () => {
		const s = linked('1990-05-17');
		expect(gatePassed(s.ctx(), s.grant())).toBe(false);
		expect(linkPage(s.db, registry, s.grant(), NOW, { passed: false }).state).toBe('gate');
		expect(submitFromLink(s.ctx(), s.grant(), { clientId: 'gate-answer-1', values: { self: 5, close: 5, daily: 5, overall: 5 } })).toEqual({ ok: false, reason: 'gate' });
		expect(passLinkGate(s.ctx(), s.grant(), '17.05.1990')).toEqual({ ok: true });
		expect(gatePassed(s.ctx(), s.grant())).toBe(true);
		expect(submitFromLink(s.ctx(), s.grant(), { clientId: 'gate-answer-1', values: { self: 5, close: 5, daily: 5, overall: 5 } })).toMatchObject({ ok: true, status: 'stored' });
	});

	it('names bad input, stores nothing for it, and counts no failure', () => {
		const s = linked('1990-05-17');
		expect(passLinkGate(s.ctx(), s.grant(), 'mai 1990')).toEqual({ ok: false, reason: 'invalid', field: 'birthDate' });
		expect(s.db.select().from(ratingLinks).get()).toMatchObject({ gateFailures: 0, unlockedAt: null });
	});

	it(`audits each wrong date as the patient's, and withdraws the link after ${LINK_GATE_TRIES}`, () => {
		const s = linked('1990-05-17');
		// From a new address each time, so the address throttle does not stop it first: the link's own count does.
		for (let i = 1; i < LINK_GATE_TRIES; i++) expect(passLinkGate(s.ctx(`10.9.0.${i}`), s.grant(), '1990-05-18')).toEqual({ ok: false, reason: 'wrong' });
		expect(passLinkGate(s.ctx('10.9.0.99'), s.grant(), '1990-05-18')).toEqual({ ok: false, reason: 'withdrawn' });
		// The right date no longer helps: the link opens nothing.
		expect(passLinkGate(s.ctx('10.9.0.100'), s.grant(), '1990-05-17')).toEqual({ ok: false, reason: 'withdrawn' });
		const trail = s.db.select().from(auditEvents).where(eq(auditEvents.action, 'rating_link_gate_failed')).all();
		expect(trail).toHaveLength(LINK_GATE_TRIES);
		expect(trail.every((e) => e.userId === null && e.patientId === s.patientA)).toBe(true);
		expect(linkPage(s.db, registry, s.grant(), NOW, { passed: false }).state).toBe('withdrawn');
	});

	it('cannot open a form for a patient whose birth date is not recorded', () => {
		const s = linked(null);
		expect(passLinkGate(s.ctx(), s.grant(), '1990-05-17')).toEqual({ ok: false, reason: 'unknown_birth_date' });
	});

	it('asks nothing where the installation does not ask', () => {
		const s = linked('1990-05-17');
		expect(gatePassed(testContext(s.db, { now: NOW }), s.grant())).toBe(true);
	});
});
