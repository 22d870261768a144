import { eq, sql } from 'drizzle-orm';
import { patients, ratingLinks } from '../db/schema';
import type { RequestContext } from '../context';
import type { LinkGrant } from './rating-links';
import { recordAudit } from '../audit';
import { recordFailure, secondsLocked } from '../auth/throttle';

/**
 * The optional gate before a link's form opens (STEMME_LINK_BIRTH_DATE=on): the patient gives
 * their birth date. A wrong one counts against the address as a guessed token does (the sign-in
 * throttle's rule) and against the link: after this many the link is withdrawn, so a link that
 * reached the wrong person cannot be opened by trying dates from many addresses.
 */
export const LINK_GATE_TRIES = 5;

export type GateResult = { ok: true } | { ok: false; reason: 'invalid'; field: 'birthDate' } | { ok: false; reason: 'wrong' | 'locked' | 'unknown_birth_date' | 'withdrawn' };

/** A birth date as a phone's date field gives it (YYYY-MM-DD) or as Norwegians write it (DD.MM.YYYY); null when it is no date. */
export function parseBirthDate(raw: unknown): string | null {
	if (typeof raw !== 'string' || raw.length > 20) return null;
	const text = raw.trim();
	const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	const nordic = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
	const [y, m, d] = iso !== null ? [iso[1], iso[2], iso[3]] : nordic !== null ? [nordic[3], nordic[2], nordic[1]] : [];
	if (y === undefined || m === undefined || d === undefined) return null;
	const day = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
	// A real calendar day, not 31 February.
	const parsed = new Date(`${day}T00:00:00Z`);
	return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day ? null : day;
}

/** Whether the form opens for this grant now: no gate configured, or the right birth date given. */
export function gatePassed(ctx: Pick<RequestContext, 'config'>, grant: LinkGrant): boolean {
	return !ctx.config.messaging.askBirthDate || grant.unlockedAt !== null;
}

/** The patient's answer at the gate: checked, and the link unlocked, or the wrong answer counted and audited. */
export function passLinkGate(ctx: RequestContext, grant: LinkGrant, raw: unknown): GateResult {
	const given = parseBirthDate(raw);
	if (given === null) return { ok: false, reason: 'invalid', field: 'birthDate' };
	if (gatePassed(ctx, grant)) return { ok: true };
	if (grant.withdrawnAt !== null) return { ok: false, reason: 'withdrawn' };
	if (ctx.address !== null && secondsLocked(ctx.db, `link:${ctx.address}`, ctx.now) > 0) return { ok: false, reason: 'locked' };
	const known = ctx.db.select({ birthDate: patients.birthDate }).from(patients).where(eq(patients.id, grant.patientId)).get()?.birthDate ?? null;
	if (known === null) return { ok: false, reason: 'unknown_birth_date' };
	if (known === given) {
		ctx.db.update(ratingLinks).set({ unlockedAt: ctx.now }).where(eq(ratingLinks.id, grant.id)).run();
		return { ok: true };
	}
	return ctx.db.transaction((tx) => {
		const { failures } = tx
			.update(ratingLinks)
			.set({ gateFailures: sql`${ratingLinks.gateFailures} + 1` })
			.where(eq(ratingLinks.id, grant.id))
			.returning({ failures: ratingLinks.gateFailures })
			.get()!;
		const withdrawn = failures >= LINK_GATE_TRIES;
		if (withdrawn) tx.update(ratingLinks).set({ withdrawnAt: ctx.now }).where(eq(ratingLinks.id, grant.id)).run();
		recordAudit(
			tx,
			{
				userId: null,
				action: 'rating_link_gate_failed',
				patientId: grant.patientId,
				detail: `link ${grant.id}: wrong birth date ${failures} of ${LINK_GATE_TRIES}${withdrawn ? ', link withdrawn' : ''}`,
				address: ctx.address
			},
			ctx.now
		);
		if (ctx.address !== null) recordFailure(tx, `link:${ctx.address}`, ctx.now);
		return { ok: false, reason: withdrawn ? 'withdrawn' : 'wrong' };
	});
}
