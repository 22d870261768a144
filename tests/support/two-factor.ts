import { generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';

/**
 * Passing the second factor the way a user with an authenticator app does, for tests that sign in
 * an administrator (who must have one): the code is computed from the key — read from the
 * enrolment form the first time, from the server's database after that — with the app's
 * arithmetic (RFC 6238: HOTP of the 30-second step, 6 digits).
 */
const PERIOD_MS = 30_000;

export const TWO_FACTOR_PATH = '/login/two-factor';

export function stepNow(now = Date.now()): number {
	return Math.floor(now / PERIOD_MS);
}

export function codeFor(key: Uint8Array | string, step: number): string {
	const bytes = typeof key === 'string' ? decodeBase32IgnorePadding(key) : key;
	return generateHOTP(bytes, BigInt(step), 6);
}

/**
 * A code the server will take for this user now: each step is taken once, so the step after the
 * last one used when that is ahead of the clock (the server accepts one step ahead). When even that
 * was used, waits for the next step to begin.
 */
export async function nextCode(db: Database.Database | string, username: string): Promise<string> {
	const handle = typeof db === 'string' ? new Database(db, { readonly: true, fileMustExist: true }) : db;
	try {
		const row = handle.prepare('SELECT t.key AS key, t.last_step AS lastStep FROM user_totp t JOIN users u ON u.id = t.user_id WHERE u.username = ? AND t.confirmed_at IS NOT NULL').get(username) as
			{ key: Buffer; lastStep: number | null } | undefined;
		if (row === undefined) throw new Error(`${username} has no authenticator`);
		const step = Math.max(stepNow(), (row.lastStep ?? 0) + 1);
		if (step > stepNow() + 1) await new Promise((r) => setTimeout(r, (step - 1) * PERIOD_MS - Date.now() + 50));
		return codeFor(new Uint8Array(row.key), step);
	} finally {
		if (typeof db === 'string') handle.close();
	}
}

/**
 * On the two-factor page after the password: sets up the authenticator if the page asks to
 * (reading the key from the form) and goes on past the recovery codes, or gives a code.
 */
export async function passTwoFactor(page: Page, username: string, db: Database.Database | string): Promise<void> {
	const key = page.locator('input[name="key"]');
	if ((await key.count()) > 0) {
		const text = await key.inputValue();
		await page.locator('#enrol-code').fill(codeFor(text, stepNow()));
		await page.getByRole('button', { name: /Bekreft og slå på|Stadfest og slå på|Confirm and turn on/ }).click();
		await page.getByRole('link', { name: /Fortsett|Hald fram|Continue/ }).click();
	} else {
		await page.locator('#code').fill(await nextCode(db, username));
		await page.getByRole('button', { name: /^(Bekreft|Stadfest|Verify)$/ }).click();
	}
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Whether the browser has been sent to the two-factor page. */
export function onTwoFactorPage(page: Page): boolean {
	return new URL(page.url()).pathname === TWO_FACTOR_PATH;
}

/** What a phone reads from the QR image: the otpauth address. */
export function scan(dataUrl: string): URL {
	const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
	const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
	if (found === null) throw new Error('no QR code in the image');
	return new URL(found.data);
}
