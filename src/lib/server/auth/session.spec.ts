import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { sessions } from '../db/schema';
import {
	createSession,
	invalidateSession,
	invalidateUserSessions,
	SESSION_LIFETIME_MS,
	validateSessionToken
} from './session';

const t0 = new Date('2026-11-23T08:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

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
		expect(result.renewed).toBe(false);
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

	it('expires after 30 days and deletes the row', () => {
		const { db, users } = smallClinic();
		const { token, session } = createSession(db, users.clinicianA.id, t0);
		const later = new Date(t0.getTime() + SESSION_LIFETIME_MS);
		expect(validateSessionToken(db, token, later).session).toBeNull();
		expect(db.select().from(sessions).where(eq(sessions.id, session.id)).get()).toBeUndefined();
	});

	it('slides forward when used in the second half of its life', () => {
		const { db, users } = smallClinic();
		const { token } = createSession(db, users.clinicianA.id, t0);
		// Day 16 of 30: less than 15 days left, so the expiry moves to day 16 + 30.
		const day16 = new Date(t0.getTime() + 16 * DAY);
		const result = validateSessionToken(db, token, day16);
		expect(result.renewed).toBe(true);
		expect(result.session?.expiresAt.getTime()).toBe(day16.getTime() + SESSION_LIFETIME_MS);
		// Day 40 would have been past the first expiry (day 30) but is inside the renewed one.
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 40 * DAY)).session).not.toBeNull();
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
