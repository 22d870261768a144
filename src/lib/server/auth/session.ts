import { eq, sql } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import { sessions, users, type Session, type User } from '../db/schema';
import { perDatabase } from '../db/prepared';

/** A session lives 30 days and slides forward when used in its last 15 (Lucia guide). */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const SESSION_RENEW_WINDOW_MS = SESSION_LIFETIME_MS / 2;

export const SESSION_COOKIE = 'stemme_session';

export type SessionUser = Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'organisationId' | 'preferredLocale'>;

export type SessionValidation =
	| { session: Session; user: SessionUser; renewed: boolean }
	| { session: null; user: null; renewed: false };

function randomSecret(): string {
	const bytes = new Uint8Array(20); // 160 bits, Lucia's recommendation for ids and secrets
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** Creates a session; returns the token for the cookie (`<id>.<secret>`) — the secret is not stored. */
export function createSession(db: Db, userId: number, now: Date): { token: string; session: Session } {
	const id = randomSecret();
	const secret = randomSecret();
	const session: Session = {
		id,
		userId,
		secretHash: hashSecret(secret),
		createdAt: now,
		expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS)
	};
	db.insert(sessions).values(session).run();
	return { token: `${id}.${secret}`, session };
}

// Every signed-in request asks this: only the columns it needs (not the password and PIN hashes).
const sessionById = perDatabase((db: Db) =>
	db
		.select({
			session: sessions,
			user: {
				id: users.id,
				username: users.username,
				displayName: users.displayName,
				role: users.role,
				organisationId: users.organisationId,
				preferredLocale: users.preferredLocale,
				disabledAt: users.disabledAt
			}
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare()
);

/** Checks a cookie token; expired sessions are deleted, sessions in their second half are extended. */
export function validateSessionToken(db: Db, token: string, now: Date): SessionValidation {
	const none = { session: null, user: null, renewed: false } as const;
	const parts = token.split('.');
	if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return none;
	const [id, secret] = parts as [string, string];
	const row = sessionById(db).get({ id });
	if (row === undefined) return none;
	// Disabling deletes a user's sessions in the same transaction; this is the second lock on the door.
	if (row.user.disabledAt !== null) {
		db.delete(sessions).where(eq(sessions.id, id)).run();
		return none;
	}
	const expected = new TextEncoder().encode(row.session.secretHash);
	const actual = new TextEncoder().encode(hashSecret(secret));
	if (!constantTimeEqual(expected, actual)) return none;
	if (now.getTime() >= row.session.expiresAt.getTime()) {
		db.delete(sessions).where(eq(sessions.id, id)).run();
		return none;
	}
	let session = row.session;
	let renewed = false;
	if (session.expiresAt.getTime() - now.getTime() < SESSION_RENEW_WINDOW_MS) {
		session = { ...session, expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS) };
		db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id)).run();
		renewed = true;
	}
	const { id: userId, username, displayName, role, organisationId, preferredLocale } = row.user;
	return { session, user: { id: userId, username, displayName, role, organisationId, preferredLocale }, renewed };
}

export function invalidateSession(db: Db, sessionId: string): void {
	db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export function invalidateUserSessions(db: Db, userId: number): void {
	db.delete(sessions).where(eq(sessions.userId, userId)).run();
}
