import { beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { smallClinic, testContext } from '../test/fixtures';
import { appointments, auditEvents, episodes, patients, ratings, type TabletHandoff } from '../db/schema';
import { createSession, invalidateSession } from '../auth/session';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry, getInstrument, type Registry } from '$lib/domain/registry';
import { ratingForm, submitFromTablet, submitKeptAnswers, type TabletSubmitResult } from './patient-mode';
import { advanceHandoff, endHandoff, startHandoff } from './handoff';
import type { Db } from '../db';

const NOW = new Date('2026-11-23T10:00:00Z');
const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const registry: Registry = made.registry;
const outcome = getInstrument(registry, 'stemme-outcome-adult', 1)!;

/** A clinic with three open appointments (two in team A, one in team B) and one whose episode is closed. */
function setup() {
	const c = smallClinic();
	const { db } = c;
	const appointment = (patientId: number, clinicianId: number, closed = false): number => {
		const episode = db
			.insert(episodes)
			.values({ patientId, startDate: '2026-09-01', setting: 'outpatient', actualEnd: closed ? '2026-11-01' : null, endReason: closed ? 'dropout' : null })
			.returning()
			.get();
		return db.insert(appointments).values({ episodeId: episode.id, clinicianId, scheduledAt: NOW }).returning().get().id;
	};
	const otherPatientA = db.insert(patients).values({ organisationId: 1, teamId: c.teamA, code: 'A-2', displayName: 'A-2', birthYear: 1980 }).returning().get().id;
	const closedPatientA = db.insert(patients).values({ organisationId: 1, teamId: c.teamA, code: 'A-3', displayName: 'A-3', birthYear: 1980 }).returning().get().id;
	const mine = appointment(c.patientA, c.users.clinicianA.id);
	const sameTeam = appointment(otherPatientA, c.users.clinicianA.id);
	const otherTeam = appointment(c.patientB, c.users.clinicianB.id);
	const closed = appointment(closedPatientA, c.users.clinicianA.id, true);
	const { session, token } = createSession(db, c.users.clinicianA.id, NOW);
	const { session: otherSession, token: otherToken } = createSession(db, c.users.clinicianB.id, NOW);
	const hand = (appointmentIds: number[], instrument = outcome, rater: TabletHandoff['rater'] = 'patient'): TabletHandoff =>
		startHandoff(db, { sessionId: session.id, userId: c.users.clinicianA.id, appointmentIds, instrument, rater, patientIds: [] }, NOW);
	return { ...c, mine, sameTeam, otherTeam, closed, session, token, otherSession, otherToken, hand };
}

const VALUES = { self: 4.5, close: 5, daily: 6.1, overall: 7 };
let clientCounter = 0;
const clientId = (): string => `client-${String(++clientCounter).padStart(6, '0')}`;
/** What /rate/submit does with this body from the browser holding `token` (the clinician's, by default). */
function submit(s: ReturnType<typeof setup>, body: unknown, token = s.token, now = NOW): TabletSubmitResult {
	const ctx = testContext(s.db, { now, token });
	// The route answers 401 before it gets this far.
	if (ctx.actor.kind !== 'staff' && ctx.actor.kind !== 'tablet') throw new Error('signed out');
	return submitFromTablet(ctx, ctx.actor, body);
}
const count = (db: Db): number =>
	db
		.select({ n: sql<number>`count(*)` })
		.from(ratings)
		.get()!.n;

describe('submitFromTablet — a good submission', () => {
	it('stores the rating with the domain total, marks the appointment attended, and audits it', () => {
		const s = setup();
		const handoff = s.hand([s.mine]);
		const result = submit(s, { handoffId: handoff.id, clientId: clientId(), appointmentId: s.mine, values: VALUES });
		expect(result).toMatchObject({ ok: true, status: 'stored', rating: { total: 22.6, rater: 'patient', source: 'tablet', enteredById: null } });
		expect(s.db.select().from(appointments).where(eq(appointments.id, s.mine)).get()?.status).toBe('attended');
		expect(s.db.select().from(auditEvents).where(eq(auditEvents.action, 'rated')).all()).toHaveLength(1);
		// The rating answered is the row as stored, to the field.
		expect(result.ok && result.rating).toEqual(s.db.select().from(ratings).get());
	});

	it('stores a repeated submission (double tap, retry) once and answers success both times', () => {
		const s = setup();
		const handoff = s.hand([s.mine]);
		const body = { handoffId: handoff.id, clientId: clientId(), appointmentId: s.mine, values: VALUES };
		expect(submit(s, body)).toMatchObject({ ok: true, status: 'stored' });
		expect(submit(s, body)).toMatchObject({ ok: true, status: 'already_stored' });
		expect(count(s.db)).toBe(1);
	});

	it('takes answers kept offline after the clinician has taken the tablet back, when given before that', () => {
		const s = setup();
		const handoff = s.hand([s.mine]);
		endHandoff(s.db, handoff.id, new Date(NOW.getTime() + 60_000));
		const result = submit(s, { handoffId: handoff.id, clientId: clientId(), appointmentId: s.mine, values: VALUES, answeredAt: NOW.getTime() + 30_000 });
		expect(result).toMatchObject({ ok: true, status: 'stored', rating: { source: 'tablet', enteredById: null } });
		// Sent by the clinician's session after the hand-back: the audit line says so.
		expect(s.db.select().from(auditEvents).where(eq(auditEvents.action, 'rated')).get()?.detail).toContain('sent after the hand-back');
	});
});

describe('submitFromTablet — tampered and bad requests store nothing', () => {
	let s: ReturnType<typeof setup>;
	let handoff: TabletHandoff;
	beforeEach(() => {
		s = setup();
		handoff = s.hand([s.mine]);
	});
	const body = (over: Record<string, unknown> = {}) => ({ handoffId: handoff.id, clientId: clientId(), appointmentId: s.mine, values: VALUES, ...over });

	it.each([
		{ name: 'a value of 11', over: { values: { ...VALUES, daily: 11 } }, item: 'daily' },
		{ name: 'a negative value', over: { values: { ...VALUES, self: -0.1 } }, item: 'self' },
		{ name: 'a missing item', over: { values: { self: 5, close: 5, daily: 5 } }, item: 'overall' },
		{ name: 'two decimals', over: { values: { ...VALUES, close: 5.55 } }, item: 'close' },
		{ name: 'a number as text', over: { values: { ...VALUES, close: '5' } }, item: 'close' },
		{ name: 'null for a value', over: { values: { ...VALUES, overall: null } }, item: 'overall' },
		{ name: 'an unknown item', over: { values: { ...VALUES, extra: 5 } }, item: 'extra' }
	])('$name → invalid_values naming $item', ({ over, item }) => {
		const result = submit(s, body(over));
		expect(result).toMatchObject({ ok: false, reason: 'invalid_values' });
		if (!result.ok && result.reason === 'invalid_values') expect(result.problems.map((p) => p.key)).toContain(item);
		expect(count(s.db)).toBe(0);
	});

	it.each([
		{ name: 'no body', over: null, field: 'body' },
		{ name: 'an array', over: [], field: 'body' },
		{ name: 'no client id', over: { clientId: undefined }, field: 'clientId' },
		{ name: 'a client id with markup', over: { clientId: '<script>alert(1)</script>' }, field: 'clientId' },
		{ name: 'a client id of 10 000 characters', over: { clientId: 'a'.repeat(10_000) }, field: 'clientId' },
		{ name: 'the appointment id as text', over: { appointmentId: String(1) }, field: 'appointmentId' },
		{ name: 'a fractional appointment id', over: { appointmentId: 1.5 }, field: 'appointmentId' },
		{ name: 'values as a list', over: { values: [5, 5, 5, 5] }, field: 'values' },
		{ name: 'an unknown field', over: { patientId: 1 }, field: 'body' },
		{ name: 'a handoff id of 1 000 characters', over: { handoffId: 'h'.repeat(1_000) }, field: 'handoffId' }
	])('$name → malformed, naming $field', ({ over, field }) => {
		const sent = over === null || Array.isArray(over) ? over : body(over);
		const result = submit(s, sent);
		expect(result).toMatchObject({ ok: false, reason: 'malformed' });
		if (!result.ok && result.reason === 'malformed' && field !== 'body') expect(result.field).toBe(field);
		expect(count(s.db)).toBe(0);
	});

	it('another patient’s appointment in the same team → not_this_appointment', () => {
		expect(submit(s, body({ appointmentId: s.sameTeam }))).toEqual({ ok: false, reason: 'not_this_appointment' });
		expect(count(s.db)).toBe(0);
	});

	it('an appointment of another team → not_this_appointment', () => {
		expect(submit(s, body({ appointmentId: s.otherTeam }))).toEqual({ ok: false, reason: 'not_this_appointment' });
		expect(count(s.db)).toBe(0);
	});

	it('a handoff of another staff session → unknown_handoff', () => {
		expect(submit(s, body(), s.otherToken)).toEqual({ ok: false, reason: 'unknown_handoff' });
		expect(count(s.db)).toBe(0);
	});

	it('a closed episode → episode_closed', () => {
		const closedHandoff = s.hand([s.closed]);
		const result = submit(s, body({ handoffId: closedHandoff.id, appointmentId: s.closed }));
		expect(result).toEqual({ ok: false, reason: 'episode_closed' });
		expect(count(s.db)).toBe(0);
	});

	it('a second, different rating of the same appointment → already_rated (a correction is the way)', () => {
		expect(submit(s, body())).toMatchObject({ ok: true });
		expect(submit(s, body({ values: { ...VALUES, self: 9 } }))).toEqual({ ok: false, reason: 'already_rated' });
		expect(count(s.db)).toBe(1);
	});

	it('a client id reused for another appointment → client_id_reused', () => {
		const both = s.hand([s.mine, s.sameTeam]);
		const id = clientId();
		expect(submit(s, body({ handoffId: both.id, clientId: id }))).toMatchObject({ ok: true });
		advanceHandoff(s.db, both);
		expect(submit(s, body({ handoffId: both.id, clientId: id, appointmentId: s.sameTeam }))).toEqual({
			ok: false,
			reason: 'client_id_reused'
		});
		expect(count(s.db)).toBe(1);
	});
});

describe('submitKeptAnswers — answers the tablet kept, sent from the staff pages', () => {
	const kept = (s: ReturnType<typeof setup>, body: Record<string, unknown>, userId = s.users.clinicianA.id) =>
		submitKeptAnswers(testContext(s.db, { now: NOW }), { userId, appointmentId: s.mine, body });

	it('stores answers whose staff session has ended, once, whichever side sends them and how often', () => {
		const s = setup();
		const handoff = s.hand([s.mine]);
		const body = { handoffId: handoff.id, clientId: clientId(), appointmentId: s.mine, values: VALUES };
		// The tablet's request reached the server; its answer was lost; then the session ended.
		expect(submit(s, body)).toMatchObject({ ok: true, status: 'stored' });
		invalidateSession(s.db, s.session.id);
		expect(() => submit(s, body)).toThrow('signed out');
		expect(kept(s, body)).toMatchObject({ ok: true, status: 'already_stored' });
		expect(kept(s, body)).toMatchObject({ ok: true, status: 'already_stored' });
		expect(count(s.db)).toBe(1);
	});

	it('stores what never arrived, as the patient’s tablet rating, audited for the clinician who sent it', () => {
		const s = setup();
		const handoff = s.hand([s.mine]);
		invalidateSession(s.db, s.session.id);
		const result = kept(s, { handoffId: handoff.id, clientId: clientId(), appointmentId: s.mine, values: VALUES }, s.users.leadA.id);
		expect(result).toMatchObject({ ok: true, status: 'stored', rating: { source: 'tablet', rater: 'patient', enteredById: null, total: 22.6 } });
		const audit = s.db.select().from(auditEvents).where(eq(auditEvents.action, 'rated')).get()!;
		expect(audit).toMatchObject({ userId: s.users.leadA.id, detail: 'stemme-outcome-adult by patient (tablet); kept on the tablet, sent from the staff pages' });
	});

	it.each([
		{ name: 'another appointment than the one in the address', over: { appointmentId: 999 }, answer: { ok: false, reason: 'malformed', field: 'appointmentId' } },
		{ name: 'a handoff that does not exist', over: { handoffId: 'x'.repeat(32) }, answer: { ok: false, reason: 'unknown_handoff' } },
		{ name: 'a value of 11', over: { values: { ...VALUES, daily: 11 } }, answer: { ok: false, reason: 'invalid_values' } },
		{ name: 'an unknown field', over: { patientId: 1 }, answer: { ok: false, reason: 'malformed' } }
	])('$name → $answer.reason, nothing stored', ({ over, answer }) => {
		const s = setup();
		const handoff = s.hand([s.mine]);
		expect(kept(s, { handoffId: handoff.id, clientId: clientId(), appointmentId: s.mine, values: VALUES, ...over })).toMatchObject(answer);
		expect(count(s.db)).toBe(0);
	});

	it('an appointment the handoff was not for → not_this_appointment', () => {
		const s = setup();
		const handoff = s.hand([s.sameTeam]);
		expect(kept(s, { handoffId: handoff.id, clientId: clientId(), appointmentId: s.mine, values: VALUES })).toEqual({ ok: false, reason: 'not_this_appointment' });
		expect(count(s.db)).toBe(0);
	});
});

describe('ratingForm — what the tablet is given', () => {
	it('is none once the episode has closed since the hand-over (the tablet says so before the patient starts)', () => {
		const s = setup();
		expect(ratingForm(s.db, registry, s.hand([s.closed]))).toBeNull();
	});

	it('carries the instrument in every language and nothing about the patient', () => {
		const s = setup();
		const form = ratingForm(s.db, registry, s.hand([s.mine]))!;
		expect(form.languages).toEqual(['nb', 'nn', 'en']);
		expect(form.instrument.items.map((i) => i.key)).toEqual(['self', 'close', 'daily', 'overall']);
		expect(JSON.stringify(form)).not.toMatch(/A-1|birth|displayName/);
		expect(form.turn).toEqual({ position: 1, count: 1 });
	});

	it('walks a group one member at a time and knows who has rated', () => {
		const s = setup();
		const group = s.hand([s.mine, s.sameTeam], getInstrument(registry, 'stemme-alliance-group', 1)!, 'group-member');
		expect(ratingForm(s.db, registry, group)).toMatchObject({ appointmentId: s.mine, alreadyRated: false, turn: { position: 1, count: 2 } });
		submit(s, { handoffId: group.id, clientId: clientId(), appointmentId: s.mine, values: { heard: 8, goals: 8, approach: 8, overall: 8 } });
		expect(ratingForm(s.db, registry, group)).toMatchObject({ alreadyRated: true });
		expect(advanceHandoff(s.db, group)).toBe(true);
		const next = { ...group, position: 1 };
		expect(ratingForm(s.db, registry, next)).toMatchObject({ appointmentId: s.sameTeam, alreadyRated: false, turn: { position: 2, count: 2 } });
		expect(advanceHandoff(s.db, next)).toBe(false);
	});
});

describe('which answers a handoff takes: the current turn while the round is open, nothing made after the hand-back', () => {
	const GROUP = { heard: 8, goals: 8, approach: 8, overall: 8 };
	const group = (s: ReturnType<typeof setup>) => s.hand([s.mine, s.sameTeam], getInstrument(registry, 'stemme-alliance-group', 1)!, 'group-member');

	it('refuses another member’s appointment while the round is open, and takes it on their turn', () => {
		const s = setup();
		const round = group(s);
		// Member 1 holds the tablet and answers for member 2.
		expect(submit(s, { handoffId: round.id, clientId: clientId(), appointmentId: s.sameTeam, values: GROUP })).toEqual({ ok: false, reason: 'not_this_turn' });
		expect(count(s.db)).toBe(0);
		advanceHandoff(s.db, round);
		expect(submit(s, { handoffId: round.id, clientId: clientId(), appointmentId: s.sameTeam, values: GROUP })).toMatchObject({ ok: true, status: 'stored' });
		// Member 1's own answer, kept offline on their turn, waits until the round is over.
		const early = { handoffId: round.id, clientId: clientId(), appointmentId: s.mine, values: GROUP, answeredAt: NOW.getTime() + 1000 };
		expect(submit(s, early)).toEqual({ ok: false, reason: 'not_this_turn' });
		endHandoff(s.db, round.id, new Date(NOW.getTime() + 60_000));
		expect(submit(s, early)).toMatchObject({ ok: true, status: 'stored' });
		expect(count(s.db)).toBe(2);
	});

	it.each([
		{ name: 'answered after the hand-back', answeredAt: NOW.getTime() + 61_000 },
		{ name: 'without the time it was answered', answeredAt: undefined },
		{ name: 'dated before the hand-over', answeredAt: NOW.getTime() - 1 }
	])('refuses a rating $name from the clinician’s session as the patient’s own', ({ answeredAt }) => {
		const s = setup();
		const handoff = s.hand([s.mine]);
		endHandoff(s.db, handoff.id, new Date(NOW.getTime() + 60_000));
		const later = new Date(NOW.getTime() + 120_000);
		const body = { handoffId: handoff.id, clientId: clientId(), appointmentId: s.mine, values: VALUES, ...(answeredAt === undefined ? {} : { answeredAt }) };
		expect(submit(s, body, s.token, later)).toEqual({ ok: false, reason: 'after_hand_back' });
		expect(submitKeptAnswers(testContext(s.db, { now: later }), { userId: s.users.clinicianA.id, appointmentId: s.mine, body })).toEqual({ ok: false, reason: 'after_hand_back' });
		expect(count(s.db)).toBe(0);
	});
});
