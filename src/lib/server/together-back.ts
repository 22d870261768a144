import { eq } from 'drizzle-orm';
import type { RequestContext } from './context';
import { users } from './db/schema';
import { verifyPassword } from './auth/password';
import { recordAudit } from './audit';
import { isValidPin } from './tablet/handoff';

/**
 * Leaving the together view for the record: the screen has been turned to the patient, so the way
 * back asks for the clinician's tablet PIN (a clinician without one goes straight back). Each
 * wrong PIN is audited, as on the tablet.
 */
export async function leaveTogether(ctx: RequestContext, input: { userId: number; patientId: number; pin: string }): Promise<'back' | 'wrong_pin'> {
	const row = ctx.db.select({ pinHash: users.pinHash }).from(users).where(eq(users.id, input.userId)).get();
	const hash = row?.pinHash ?? null;
	if (hash !== null && !(isValidPin(input.pin) && (await verifyPassword(hash, input.pin)))) {
		recordAudit(ctx.db, { userId: input.userId, action: 'pin_failed', patientId: input.patientId, detail: 'together view', address: ctx.address }, ctx.now);
		return 'wrong_pin';
	}
	return 'back';
}
