import type { ContactConsent } from '../db/schema';
import { m } from '$lib/paraglide/messages';

/**
 * The consent form on the patient page: the channel the patient chose and the number or address.
 * A Norwegian mobile number may be typed as the patient says it (8 digits starting with 4 or 9,
 * with or without +47 or 0047, spaces allowed); it is kept in E.164. Other countries' numbers start with +.
 */
export function parseConsentForm(form: FormData): { ok: true; value: { channel: ContactConsent['channel']; address: string } } | { ok: false; field: 'channel' | 'address'; message: string } {
	const channel = form.get('channel');
	const raw = form.get('address');
	if (channel !== 'sms' && channel !== 'email') return { ok: false, field: 'channel', message: m.field_invalid({ field: m.pt_msg_channel() }) };
	if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, field: 'address', message: m.field_required({ field: channel === 'sms' ? m.pt_msg_phone() : m.pt_msg_email() }) };
	const address = channel === 'sms' ? mobileNumber(raw) : emailAddress(raw);
	if (address === null) return { ok: false, field: 'address', message: m.field_invalid({ field: channel === 'sms' ? m.pt_msg_phone() : m.pt_msg_email() }) };
	return { ok: true, value: { channel, address } };
}

/** A mobile number in E.164, or null. */
export function mobileNumber(raw: string): string | null {
	// Spaces only, as numbers are written in Norway (912 34 567): a dash or a dot is more likely a date or a typing error.
	const compact = raw.replace(/\s/g, '');
	const norwegian = /^(?:\+47|0047)?([49]\d{7})$/.exec(compact);
	if (norwegian !== null) return `+47${norwegian[1]}`;
	// +47 with anything but a Norwegian mobile number is a typing error, not another country.
	if (/^(?:\+|00)47/.test(compact)) return null;
	const international = /^(?:\+|00)([1-9]\d{7,14})$/.exec(compact);
	return international === null ? null : `+${international[1]}`;
}

/** An e-mail address as typed (trimmed), when it has one @, a dot in the domain, no spaces and at most 200 characters. */
export function emailAddress(raw: string): string | null {
	const value = raw.trim();
	return value.length <= 200 && /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]+$/.test(value) ? value : null;
}
