import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';

/**
 * Time-based one-time codes (RFC 6238) as authenticator apps make them by default: HMAC-SHA1,
 * a new code every 30 seconds, 6 digits. A code is accepted one step either side of the server's
 * (RFC 6238 § 5.2: one step back for network delay; one ahead for a phone's clock running fast).
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_WINDOW_STEPS = 1;
/** 160 bits, the HMAC-SHA1 key length RFC 4226 § 4 recommends. */
export const TOTP_KEY_BYTES = 20;

/** The step a moment falls in: whole periods since the Unix epoch. */
export function timeStep(now: Date): number {
	return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code of one time step (TOTP is HOTP with the step as its counter). */
export function totpCode(key: Uint8Array, step: number): string {
	return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/** The step within the window whose code this is, or null. */
export function matchingStep(key: Uint8Array, code: string, now: Date): number | null {
	const given = new TextEncoder().encode(code);
	const current = timeStep(now);
	let found: number | null = null;
	// Every step of the window is compared, so the time taken does not tell which one matched.
	for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
		const expected = new TextEncoder().encode(totpCode(key, step));
		if (expected.length === given.length && constantTimeEqual(expected, given)) found = step;
	}
	return found;
}

export function newTotpKey(): Uint8Array {
	const key = new Uint8Array(TOTP_KEY_BYTES);
	crypto.getRandomValues(key);
	return key;
}

/** The key as an app's "enter a key" field takes it: base32, capitals, no padding. */
export function keyText(key: Uint8Array): string {
	return encodeBase32UpperCaseNoPadding(key);
}

/** The key written out in groups of four, easier to type by hand. */
export function keyGroups(key: Uint8Array): string[] {
	return keyText(key).match(/.{1,4}/g) ?? [];
}

/** A key read back from a form; null when it is not base32 of the right length. */
export function parseKeyText(text: string): Uint8Array | null {
	if (!/^[A-Z2-7]{32}$/.test(text)) return null;
	try {
		const key = decodeBase32IgnorePadding(text);
		return key.length === TOTP_KEY_BYTES ? key : null;
	} catch {
		return null;
	}
}

/** The `otpauth://totp/…` address an app reads from the QR code. */
export function totpUri(issuer: string, account: string, key: Uint8Array): string {
	return createTOTPKeyURI(issuer, account, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}
