import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic, testContext, builtInRegistry } from '../test/fixtures';
import { appointments, auditEvents, episodes, patients, ratingLinks, ratings } from '../db/schema';
import { findAppointmentForUser } from '../appointments';
import { grantOfToken, linkPage, linkStates, makeRatingLink, submitFromLink, tokenHash } from './rating-links';

const NOW = new Date('2026-12-03T10:00:00Z');
const registry = builtInRegistry();
const VALUES = [5, 6, 7, 4];

function setup(o: { closed?: boolean } = {}) {
	const c = smallClinic();
	const { db } = c;
	const episode = db
		.insert(episodes)
		.values({ patientId: c.patientA, startDate: '2026-09-01', setting: 'outpatient', actualEnd: o.closed === true ? '2026-11-01' : null, endReason: o.closed === true ? 'dropout' : null })
		.returning()
		.get();
	const appointmentId = db.insert(appointments).values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: NOW }).returning().get().id;
	const context = findAppointmentForUser(db, c.users.clinicianA, appointmentId)!;
	const make = (form: 'outcome' | 'alliance' = 'outcome', at = NOW) =>
		makeRatingLink(db, registry, { user: c.users.clinicianA, context, kind: 'in_room', form, preferred: [], address: '10.0.0.5' }, at);
	const ctxAt = (now: Date) => testContext(db, { now, address: '10.0.0.9' });
	return { ...c, appointmentId, make, ctxAt };
}

/** A complete set of answers to the adult outcome form. */
function itemKeys(): Record<string, number> {
	const def = registry.instruments.find((r) => r.definition.id === 'stemme-outcome-adult')!.definition;
	return Object.fromEntries(def.items.map((i, n) => [i.key, VALUES[n] ?? 5]));
}

describe('rating links', () => {
	it('makes a 128-bit token, keeps only its hash, expires in two hours and is audited for the clinician', () => {
		const s = setup();
		const made = s.make();
		if (!made.ok) throw new Error(made.reason);
		expect(made.token).toMatch(/^[a-z2-7]{26}$/);
		const row = s.db.select().from(ratingLinks).get()!;
		expect(row.tokenHash).toBe(tokenHash(made.token));
		expect(JSON.stringify(row)).not.toContain(made.token);
		expect(row.expiresAt.toISOString()).toBe('2026-12-03T12:00:00.000Z');
		const audit = s.db.select().from(auditEvents).where(eq(auditEvents.action, 'rating_link_made')).all();
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ userId: s.users.clinicianA.id, patientId: s.patientA });
	});

	it('finds the grant by its token only; a token of another shape is not looked up', () => {
		const s = setup();
		const made = s.make();
		if (!made.ok) throw new Error(made.reason);
		expect(grantOfToken(s.db, made.token)).toMatchObject({ appointmentId: s.appointmentId, patientId: s.patientA, kind: 'in_room', answeredAt: null });
		expect(grantOfToken(s.db, 'a'.repeat(26))).toBeNull();
		expect(grantOfToken(s.db, made.token.toUpperCase())).toBeNull();
		expect(grantOfToken(s.db, `${made.token}x`)).toBeNull();
	});

	it('shows the phone the form and nothing about the patient', () => {
		const s = setup();
		const made = s.make();
		if (!made.ok) throw new Error(made.reason);
		const page = linkPage(s.db, registry, grantOfToken(s.db, made.token)!, NOW);
		expect(page.state).toBe('open');
		const patient = s.db.select().from(patients).where(eq(patients.id, s.patientA)).get()!;
		const shown = JSON.stringify(page);
		expect(shown).not.toContain(patient.code);
		expect(shown).not.toContain(patient.displayName);
		expect(shown).not.toContain('patientId');
	});

	it('stores the answer once, as the patient’s own from the phone, and then says already answered', () => {
		const s = setup();
		const made = s.make();
		if (!made.ok) throw new Error(made.reason);
		const grant = grantOfToken(s.db, made.token)!;
		const first = submitFromLink(s.ctxAt(NOW), grant, { clientId: 'phone-000001', values: itemKeys(), answeredAt: NOW.getTime() });
		expect(first).toMatchObject({ ok: true, status: 'stored' });
		const rating = s.db.select().from(ratings).get()!;
		expect(rating).toMatchObject({ appointmentId: s.appointmentId, source: 'phone', enteredById: null, rater: 'patient' });
		const rated = s.db.select().from(auditEvents).where(eq(auditEvents.action, 'rated')).get()!;
		expect(rated).toMatchObject({ userId: null, patientId: s.patientA, address: '10.0.0.9' });
		expect(rated.detail).toContain("the patient's own phone");
		// The phone's outbox sending the same answers again: stored before.
		const again = grantOfToken(s.db, made.token)!;
		expect(again.answeredAt).not.toBeNull();
		expect(submitFromLink(s.ctxAt(NOW), again, { clientId: 'phone-000001', values: itemKeys() })).toMatchObject({ ok: true, status: 'already_stored' });
		// Other answers through the same link: refused, nothing new.
		expect(submitFromLink(s.ctxAt(NOW), again, { clientId: 'phone-000002', values: itemKeys() })).toEqual({ ok: false, reason: 'already_answered' });
		expect(s.db.select().from(ratings).all()).toHaveLength(1);
		expect(linkPage(s.db, registry, again, NOW).state).toBe('answered');
		expect(linkStates(s.db, s.appointmentId, NOW)).toEqual([{ id: made.link.id, state: 'answered' }]);
	});

	it('refuses an expired link and stores nothing', () => {
		const s = setup();
		const made = s.make();
		if (!made.ok) throw new Error(made.reason);
		const later = new Date(NOW.getTime() + 2 * 3600_000);
		const grant = grantOfToken(s.db, made.token)!;
		expect(submitFromLink(s.ctxAt(later), grant, { clientId: 'phone-000003', values: itemKeys() })).toEqual({ ok: false, reason: 'expired' });
		expect(linkPage(s.db, registry, grant, later).state).toBe('expired');
		expect(s.db.select().from(ratings).all()).toHaveLength(0);
	});

	it('withdraws the earlier link when a new one is made for the same form', () => {
		const s = setup();
		const first = s.make();
		const second = s.make('outcome', new Date(NOW.getTime() + 60_000));
		if (!first.ok || !second.ok) throw new Error('not made');
		const at = new Date(NOW.getTime() + 120_000);
		expect(submitFromLink(s.ctxAt(at), grantOfToken(s.db, first.token)!, { clientId: 'phone-000004', values: itemKeys() })).toEqual({ ok: false, reason: 'withdrawn' });
		expect(submitFromLink(s.ctxAt(at), grantOfToken(s.db, second.token)!, { clientId: 'phone-000005', values: itemKeys() })).toMatchObject({ ok: true, status: 'stored' });
		// The alliance form's link is another form: it stays open beside them.
		const alliance = s.make('alliance', at);
		expect(alliance.ok).toBe(true);
	});

	it('refuses bad input by naming the field, and values the scale does not have, storing nothing', () => {
		const s = setup();
		const made = s.make();
		if (!made.ok) throw new Error(made.reason);
		const grant = grantOfToken(s.db, made.token)!;
		expect(submitFromLink(s.ctxAt(NOW), grant, { clientId: 'x', values: itemKeys() })).toEqual({ ok: false, reason: 'malformed', field: 'clientId' });
		expect(submitFromLink(s.ctxAt(NOW), grant, { clientId: 'phone-000006', values: itemKeys(), appointmentId: s.appointmentId + 1 })).toEqual({
			ok: false,
			reason: 'malformed',
			field: 'appointmentId'
		});
		expect(submitFromLink(s.ctxAt(NOW), grant, { clientId: 'phone-000006', values: itemKeys(), extra: 1 })).toMatchObject({ ok: false, reason: 'malformed' });
		expect(submitFromLink(s.ctxAt(NOW), grant, { clientId: 'phone-000006', values: { ...itemKeys(), [Object.keys(itemKeys())[0]!]: '5' } })).toMatchObject({ ok: false, reason: 'invalid_values' });
		const tooHigh = Object.fromEntries(Object.keys(itemKeys()).map((k) => [k, 11]));
		expect(submitFromLink(s.ctxAt(NOW), grant, { clientId: 'phone-000006', values: tooHigh })).toMatchObject({ ok: false, reason: 'invalid_values' });
		expect(s.db.select().from(ratings).all()).toHaveLength(0);
		expect(grantOfToken(s.db, made.token)!.answeredAt).toBeNull();
	});

	it('makes no link for an ended episode, and a link made before the end opens nothing', () => {
		expect(setup({ closed: true }).make()).toEqual({ ok: false, reason: 'episode_closed' });
		const s = setup();
		const made = s.make();
		if (!made.ok) throw new Error(made.reason);
		s.db.update(episodes).set({ actualEnd: '2026-12-03', endReason: 'planned_completion' }).run();
		expect(linkPage(s.db, registry, grantOfToken(s.db, made.token)!, NOW).state).toBe('closed');
		expect(submitFromLink(s.ctxAt(NOW), grantOfToken(s.db, made.token)!, { clientId: 'phone-000007', values: itemKeys() })).toEqual({ ok: false, reason: 'episode_closed' });
	});
});
