import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { sessions } from '../db/schema';
import { createSession, invalidateSession, invalidateUserSessions, DEFAULT_SESSION_LIMITS, validateSessionToken } from './session';
import { startHandoff } from '../tablet/handoff';
import { appointments, episodes, tabletHandoffs } from '../db/schema';
import { builtInRegistry } from '../test/fixtures';
import { getInstrument } from '$lib/domain/registry';

const t0 = new Date('2026-11-23T08:00:00Z');

describe('sessions', () => {
	it('stores only a SHA-256 hash of the secret, never the token', () => {
		const { db, users } = smallClinic();
		const { token, session } = createSession(db, users.clinicianA.id, t0);
		const row = db.select().from(sessions).where(eq(sessions.id, session.id)).get()!;
		const secret = token.split('.')[1]!;
		expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
		expect(row.secretHash).not.toContain(secret);
		expect(JSON.stringify(row)).not.toContain(secret);
	});

	it('validates the token it gave and returns the user', () => {
		const { db, users } = smallClinic();
		const { token } = createSession(db, users.clinicianA.id, t0);
		const result = validateSessionToken(db, token, new Date(t0.getTime() + 1000));
		expect(result.user?.username).toBe('clin-a');
	});

	it.each([
		['a wrong secret', (t: string) => t.split('.')[0] + '.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
		['no secret', (t: string) => t.split('.')[0]!],
		['an empty secret', (t: string) => t.split('.')[0] + '.'],
		['an unknown id', (t: string) => 'zzzz.' + t.split('.')[1]],
		['extra parts', (t: string) => t + '.x']
	])('rejects %s', (_, tamper) => {
		const { db, users } = smallClinic();
		const { token } = createSession(db, users.clinicianA.id, t0);
		expect(validateSessionToken(db, tamper(token), t0).session).toBeNull();
	});

	const MIN = 60 * 1000;
	const HOUR = 60 * MIN;

	it('ends 12 hours after sign-in however much it is used, and deletes the row', () => {
		const { db, users } = smallClinic();
		const { token, session } = createSession(db, users.clinicianA.id, t0);
		expect(session.expiresAt.getTime() - t0.getTime()).toBe(12 * HOUR);
		// Used every 20 minutes (never idle), it still ends at 12 h: 36 uses reach 11 h 40 min.
		for (let i = 1; i <= 35; i++) expect(validateSessionToken(db, token, new Date(t0.getTime() + i * 20 * MIN)).session).not.toBeNull();
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 12 * HOUR))).toEqual({ session: null, user: null, ended: 'expired' });
		expect(db.select().from(sessions).where(eq(sessions.id, session.id)).get()).toBeUndefined();
	});

	it('ends after 30 minutes without a request, counted from the last one', () => {
		const { db, users } = smallClinic();
		const { token } = createSession(db, users.clinicianA.id, t0);
		// A request at 29 min moves the idle limit to 59 min.
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 29 * MIN)).session).not.toBeNull();
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 58 * MIN)).session).not.toBeNull();
		// 58 → 88 min without a request: ended.
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 88 * MIN))).toMatchObject({ session: null, ended: 'idle' });
	});

	it('takes the installation’s limits', () => {
		const { db, users } = smallClinic();
		const limits = { absoluteMs: 2 * HOUR, idleMs: 5 * MIN };
		const { token, session } = createSession(db, users.clinicianA.id, t0, limits);
		expect(session.expiresAt.getTime()).toBe(t0.getTime() + 2 * HOUR);
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 6 * MIN), limits)).toMatchObject({ session: null, ended: 'idle' });
	});

	it('holds a session made under the old 30-day rule to the absolute limit from its sign-in', () => {
		const { db, users } = smallClinic();
		const { token, session } = createSession(db, users.clinicianA.id, t0);
		db.update(sessions)
			.set({ expiresAt: new Date(t0.getTime() + 30 * 24 * HOUR) })
			.where(eq(sessions.id, session.id))
			.run();
		// Kept in use every 20 minutes up to 12 h 20 min: the 12 h limit from sign-in holds.
		for (let i = 1; i <= 35; i++) validateSessionToken(db, token, new Date(t0.getTime() + i * 20 * MIN));
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 12 * HOUR + MIN)).session).toBeNull();
	});

	it('notes the last request to the minute, not on every request', () => {
		const { db, users } = smallClinic();
		const { token, session } = createSession(db, users.clinicianA.id, t0);
		const seen = () => db.select().from(sessions).where(eq(sessions.id, session.id)).get()!.lastSeenAt!.getTime();
		validateSessionToken(db, token, new Date(t0.getTime() + 30 * 1000));
		expect(seen()).toBe(t0.getTime());
		validateSessionToken(db, token, new Date(t0.getTime() + 61 * 1000));
		expect(seen()).toBe(t0.getTime() + 61 * 1000);
	});

	it('ends a tablet in patient mode with its session, at the moment the session ended', () => {
		const { db, users, patientA } = smallClinic();
		const episode = db.insert(episodes).values({ patientId: patientA, startDate: '2026-09-01', setting: 'outpatient' }).returning().get();
		const appointment = db.insert(appointments).values({ episodeId: episode.id, clinicianId: users.clinicianA.id, scheduledAt: t0 }).returning().get();
		const { token, session } = createSession(db, users.clinicianA.id, t0);
		const instrument = getInstrument(builtInRegistry(), 'stemme-outcome-adult', 1)!;
		const handoff = startHandoff(db, { sessionId: session.id, userId: users.clinicianA.id, appointmentIds: [appointment.id], instrument, rater: 'patient', patientIds: [] }, t0);
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 10 * MIN)).session?.handoffId).toBe(handoff.id);
		// Last request at 10 min; the next one at 3 h finds the session idle since 40 min.
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 3 * HOUR)).session).toBeNull();
		const row = db.select().from(tabletHandoffs).where(eq(tabletHandoffs.id, handoff.id)).get()!;
		expect(row.endedAt?.getTime()).toBe(t0.getTime() + 10 * MIN + DEFAULT_SESSION_LIMITS.idleMs);
	});

	it('ends one session, or all of a user', () => {
		const { db, users } = smallClinic();
		const a = createSession(db, users.clinicianA.id, t0);
		const b = createSession(db, users.clinicianA.id, t0);
		invalidateSession(db, a.session.id);
		expect(validateSessionToken(db, a.token, t0).session).toBeNull();
		expect(validateSessionToken(db, b.token, t0).session).not.toBeNull();
		invalidateUserSessions(db, users.clinicianA.id);
		expect(validateSessionToken(db, b.token, t0).session).toBeNull();
	});
});
