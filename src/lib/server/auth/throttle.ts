import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { signInThrottle } from '../db/schema';

/** Failures allowed before a lock, per account and per address. */
export const ACCOUNT_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;
/** Lock length doubles with each failure past the limit, from 30 s up to 15 min. */
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
/** Counters older than this are forgotten. */
const FORGET_AFTER_MS = 60 * 60_000;

export type ThrottleKey = `account:${string}` | `address:${string}`;

function limitFor(key: ThrottleKey): number {
	return key.startsWith('account:') ? ACCOUNT_FAILURE_LIMIT : ADDRESS_FAILURE_LIMIT;
}

/** Seconds until the key may try again, or 0 when it may try now. */
export function secondsLocked(db: Db, key: ThrottleKey, now: Date): number {
	const row = db.select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
	if (row === undefined || row.lockedUntil === null) return 0;
	const ms = row.lockedUntil.getTime() - now.getTime();
	return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

export function recordFailure(db: Db, key: ThrottleKey, now: Date): void {
	const row = db.select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
	const stale = row !== undefined && now.getTime() - row.updatedAt.getTime() > FORGET_AFTER_MS;
	const failures = row === undefined || stale ? 1 : row.failures + 1;
	const over = failures - limitFor(key);
	const lockedUntil =
		over >= 0 ? new Date(now.getTime() + Math.min(BASE_LOCK_MS * 2 ** over, MAX_LOCK_MS)) : null;
	db.insert(signInThrottle)
		.values({ key, failures, lockedUntil, updatedAt: now })
		.onConflictDoUpdate({ target: signInThrottle.key, set: { failures, lockedUntil, updatedAt: now } })
		.run();
}

export function clearFailures(db: Db, key: ThrottleKey): void {
	db.delete(signInThrottle).where(eq(signInThrottle.key, key)).run();
}
