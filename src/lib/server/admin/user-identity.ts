import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import type { Doer } from '../context';
import { recordAudit } from '../audit';

/** What a first single sign-on is matched by (auth/sso.ts): the HPR number from HelseID, or the e-mail. */
export interface SsoIdentity {
	hprNumber: string | null;
	email: string | null;
}

export type SetIdentityResult = { ok: true; username: string } | { ok: false; reason: 'not_found' | 'hpr_taken' | 'email_taken' };

/**
 * Sets the HPR number and e-mail of an account of the admin's organisation, so that a person with
 * an account from before single sign-on is matched to it on their first sign-on. Each is unique
 * over all accounts (the match must find one person); the change is one audited transaction that
 * names what it was and became (no health data in either).
 */
export function setUserIdentity(db: Db, admin: Doer, userId: number, identity: SsoIdentity, now: Date): SetIdentityResult {
	return db.transaction((tx): SetIdentityResult => {
		const before = tx
			.select({ username: users.username, hprNumber: users.hprNumber, email: users.email })
			.from(users)
			.where(and(eq(users.id, userId), eq(users.organisationId, admin.organisationId)))
			.get();
		if (before === undefined) return { ok: false, reason: 'not_found' };
		const takenBy = (column: typeof users.hprNumber | typeof users.email, value: string | null): boolean =>
			value !== null &&
			tx
				.select({ id: users.id })
				.from(users)
				.where(and(eq(column, value), ne(users.id, userId)))
				.get() !== undefined;
		if (takenBy(users.hprNumber, identity.hprNumber)) return { ok: false, reason: 'hpr_taken' };
		if (takenBy(users.email, identity.email)) return { ok: false, reason: 'email_taken' };
		const changed = [
			before.hprNumber !== identity.hprNumber ? `HPR number ${before.hprNumber ?? '–'} → ${identity.hprNumber ?? '–'}` : null,
			before.email !== identity.email ? `e-mail ${before.email ?? '–'} → ${identity.email ?? '–'}` : null
		].filter((c) => c !== null);
		if (changed.length === 0) return { ok: true, username: before.username };
		tx.update(users).set(identity).where(eq(users.id, userId)).run();
		recordAudit(tx, { userId: admin.id, action: 'user_changed', detail: `user ${userId}: ${changed.join(', ')}`.slice(0, 500), address: admin.address ?? null }, now);
		return { ok: true, username: before.username };
	});
}
