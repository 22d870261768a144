import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { signInThrottle } from '../db/schema';

/** Failures allowed before a lock, per account (its password, and its second factor, apart) and per address. */
export const ACCOUNT_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;
/** Lock length doubles with each failure past the limit, from 30 s up to 15 min. */
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
/** Counters older than this are forgotten. */
const FORGET_AFTER_MS = 60 * 60_000;

/** `link:` counts an address's answers to rating-link tokens that do not exist (src/lib/server/links). */
export type ThrottleKey = `account:${string}` | `address:${string}` | `second-factor:${number}` | `link:${string}`;

function limitFor(key: ThrottleKey): number {
	return key.startsWith('address:') ? ADDRESS_FAILURE_LIMIT : ACCOUNT_FAILURE_LIMIT;
}

/** Seconds until the key may try again, or 0 when it may try now. */
export function secondsLocked(db: Db, key: ThrottleKey, now: Date): number {
	const row = db.select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
	if (row === undefined || row.lockedUntil === null) return 0;
	const ms = row.lockedUntil.getTime() - now.getTime();
	return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/**
 * Password checks under way per key. argon2 runs off the event loop, so without this a burst of
 * guesses sent at once would all be checked before the first failure is recorded: a key may have
 * only as many checks in flight as it has failures left. In memory: Stemme is one process.
 */
const inFlight = new Map<ThrottleKey, number>();
/** What a caller waits when the key's remaining tries are all being checked right now. */
const IN_FLIGHT_WAIT_SECONDS = 1;

function failuresLeft(db: Db, key: ThrottleKey, now: Date): number {
	const row = db.select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
	const stale = row === undefined || now.getTime() - row.updatedAt.getTime() > FORGET_AFTER_MS;
	// Past the limit (after a lock has run out) one try at a time.
	return Math.max(1, limitFor(key) - (stale ? 0 : row.failures));
}

export type Claim = { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number };

/**
 * Claims one password check for every key, or answers how long to wait: while a key is locked,
 * or while as many checks are in flight as it has failures left. Call `release()` once the
 * outcome is recorded (in a `finally`).
 * @example const claim = claimAttempt(db, ['account:kari'], now); if (claim.ok) try { … } finally { claim.release(); }
 */
export function claimAttempt(db: Db, keys: readonly ThrottleKey[], now: Date): Claim {
	const wait = Math.max(0, ...keys.map((k) => secondsLocked(db, k, now)));
	if (wait > 0) return { ok: false, retryAfterSeconds: wait };
	if (keys.some((k) => (inFlight.get(k) ?? 0) >= failuresLeft(db, k, now))) return { ok: false, retryAfterSeconds: IN_FLIGHT_WAIT_SECONDS };
	for (const k of keys) inFlight.set(k, (inFlight.get(k) ?? 0) + 1);
	let released = false;
	return {
		ok: true,
		release: () => {
			if (released) return;
			released = true;
			for (const k of keys) {
				const n = (inFlight.get(k) ?? 1) - 1;
				if (n <= 0) inFlight.delete(k);
				else inFlight.set(k, n);
			}
		}
	};
}

export function recordFailure(db: Pick<Db, 'select' | 'insert'>, key: ThrottleKey, now: Date): void {
	const row = db.select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
	const stale = row !== undefined && now.getTime() - row.updatedAt.getTime() > FORGET_AFTER_MS;
	const failures = row === undefined || stale ? 1 : row.failures + 1;
	const over = failures - limitFor(key);
	const lockedUntil = over >= 0 ? new Date(now.getTime() + Math.min(BASE_LOCK_MS * 2 ** over, MAX_LOCK_MS)) : null;
	db.insert(signInThrottle)
		.values({ key, failures, lockedUntil, updatedAt: now })
		.onConflictDoUpdate({ target: signInThrottle.key, set: { failures, lockedUntil, updatedAt: now } })
		.run();
}

export function clearFailures(db: Pick<Db, 'delete'>, key: ThrottleKey): void {
	db.delete(signInThrottle).where(eq(signInThrottle.key, key)).run();
}
