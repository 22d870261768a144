import { fail, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestContext } from '../context';
import { isValidPin, setPin } from './handoff';
import { m } from '$lib/paraglide/messages';

const PinForm = z.object({ pin: z.string().max(20), repeat: z.string().max(20) });

/**
 * The PIN form of the account page and the appointment page: sets or changes the signed-in
 * clinician's tablet PIN (setPin audits it), or says which field is wrong.
 */
export async function savePinForm(ctx: RequestContext, userId: number, data: FormData): Promise<{ action: 'pin'; saved: true } | ActionFailure<{ action: 'pin'; message: string }>> {
	const parsed = PinForm.safeParse(Object.fromEntries(data));
	if (!parsed.success || !isValidPin(parsed.data.pin)) return fail(400, { action: 'pin' as const, message: m.pin_invalid() });
	if (parsed.data.pin !== parsed.data.repeat) return fail(400, { action: 'pin' as const, message: m.pin_mismatch() });
	await setPin(ctx.db, userId, parsed.data.pin, ctx.now, ctx.address);
	return { action: 'pin', saved: true };
}
