import { and, eq, isNull, sql } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import { sessions, tabletHandoffs, users, type SecondFactorState, type Session, type User } from '../db/schema';
import { perDatabase } from '../db/prepared';

/**
 * How long a staff session may last: an absolute lifetime from sign-in, and an idle time since its
 * last request (the installation's, from config.ts; these defaults are a working day and a shared
 * clinic device left alone for half an hour). Neither slides: a longer day means signing in again.
 */
export interface SessionLimits {
	absoluteMs: number;
	idleMs: number;
}
export const DEFAULT_SESSION_LIMITS: SessionLimits = { absoluteMs: 12 * 60 * 60 * 1000, idleMs: 30 * 60 * 1000 };
/**
 * The last request is kept to the minute: one write a minute per session at most, not one per
 * request. The idle limit can thus be up to this much later than configured.
 */
export const LAST_SEEN_GRANULARITY_MS = 60 * 1000;

export const SESSION_COOKIE = 'stemme_session';

export type SessionUser = Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'organisationId' | 'preferredLocale'> & {
	/** Signed in with a one-time password someone else set: nothing but choosing their own until then. */
	mustChangePassword?: boolean;
};

export type SessionValidation = { session: Session; user: SessionUser } | { session: null; user: null; ended: 'unknown' | 'expired' | 'idle' | 'disabled' };

function randomSecret(): string {
	const bytes = new Uint8Array(20); // 160 bits, Lucia's recommendation for ids and secrets
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/**
 * Creates a session; returns the token for the cookie (`<id>.<secret>`) — the secret is not stored.
 * `secondFactor` is what it still owes ('pending', 'enrol') or null (see two-factor.ts).
 */
export function createSession(
	db: Pick<Db, 'insert'>,
	userId: number,
	now: Date,
	limits: SessionLimits = DEFAULT_SESSION_LIMITS,
	secondFactor: SecondFactorState | null = null,
	opened: { method: 'sso'; idToken: string } | null = null
): { token: string; session: Session } {
	const id = randomSecret();
	const secret = randomSecret();
	const session: Session = {
		id,
		userId,
		secretHash: hashSecret(secret),
		createdAt: now,
		expiresAt: new Date(now.getTime() + limits.absoluteMs),
		lastSeenAt: now,
		handoffId: null,
		togetherPatientId: null,
		togetherPinFailures: 0,
		secondFactor,
		authMethod: opened?.method ?? 'password',
		ssoIdToken: opened?.idToken ?? null
	};
	db.insert(sessions).values(session).run();
	return { token: `${id}.${secret}`, session };
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The session a sign-in step has raised (a second factor given) gets a new id and secret, and the
 * old token stops working: a token seen before the step (on a shared screen, in a proxy's log) is
 * worth nothing after it (OWASP session management: renew the id on any privilege change). Same
 * lifetime as before; returns the token for the new cookie.
 */
export function replaceSession(tx: Tx, sessionId: string, secondFactor: SecondFactorState): { token: string; expiresAt: Date } | null {
	const old = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
	if (old === undefined) return null;
	const id = randomSecret();
	const secret = randomSecret();
	tx.delete(sessions).where(eq(sessions.id, sessionId)).run();
	tx.insert(sessions)
		.values({ ...old, id, secretHash: hashSecret(secret), secondFactor })
		.run();
	return { token: `${id}.${secret}`, expiresAt: old.expiresAt };
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
				disabledAt: users.disabledAt,
				mustChangePassword: users.mustChangePassword
			}
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare()
);

/**
 * Checks a cookie token. A session past its absolute lifetime or idle for longer than allowed is
 * ended (deleted), and a tablet it had handed over ends with it, at the moment the session ended:
 * answers kept on the tablet from before then still arrive later (see patient-mode.ts). A session
 * in use has its last request noted, to the minute.
 */
export function validateSessionToken(db: Db, token: string, now: Date, limits: SessionLimits = DEFAULT_SESSION_LIMITS): SessionValidation {
	const none = (ended: 'unknown' | 'expired' | 'idle' | 'disabled') => ({ session: null, user: null, ended }) as const;
	const parts = token.split('.');
	if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return none('unknown');
	const [id, secret] = parts as [string, string];
	const row = sessionById(db).get({ id });
	if (row === undefined) return none('unknown');
	const expected = new TextEncoder().encode(row.session.secretHash);
	const actual = new TextEncoder().encode(hashSecret(secret));
	if (!constantTimeEqual(expected, actual)) return none('unknown');
	// Disabling deletes a user's sessions in the same transaction; this is the second lock on the door.
	if (row.user.disabledAt !== null) {
		endSession(db, row.session, now);
		return none('disabled');
	}
	const s = row.session;
	// Sessions made before the absolute limit existed carry a later expiry: the earlier of the two holds.
	const endsAt = Math.min(s.expiresAt.getTime(), s.createdAt.getTime() + limits.absoluteMs);
	const idleAt = (s.lastSeenAt ?? s.createdAt).getTime() + limits.idleMs;
	if (now.getTime() >= endsAt || now.getTime() >= idleAt) {
		endSession(db, s, new Date(Math.min(endsAt, idleAt, now.getTime())));
		return none(now.getTime() >= endsAt ? 'expired' : 'idle');
	}
	let session = s;
	if (now.getTime() - (s.lastSeenAt ?? s.createdAt).getTime() >= LAST_SEEN_GRANULARITY_MS) {
		session = { ...s, lastSeenAt: now };
		touchSession(db).run({ id, at: now.getTime() });
	}
	const { id: userId, username, displayName, role, organisationId, preferredLocale, mustChangePassword } = row.user;
	return { session, user: { id: userId, username, displayName, role, organisationId, preferredLocale, mustChangePassword } };
}

const touchSession = perDatabase((db: Db) =>
	db
		.update(sessions)
		.set({ lastSeenAt: sql`${sql.placeholder('at')}` })
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare()
);

/** Deletes the session; a handoff it had open ends with it, at `endedAt`. */
function endSession(db: Db, session: Session, endedAt: Date): void {
	db.transaction((tx) => {
		tx.update(tabletHandoffs)
			.set({ endedAt })
			.where(and(eq(tabletHandoffs.sessionId, session.id), isNull(tabletHandoffs.endedAt)))
			.run();
		tx.delete(sessions).where(eq(sessions.id, session.id)).run();
	});
}

export function invalidateSession(db: Pick<Db, 'delete'>, sessionId: string): void {
	db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export function invalidateUserSessions(db: Db, userId: number): void {
	db.delete(sessions).where(eq(sessions.userId, userId)).run();
}
