import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityViolations } from './support/browser';
import { emptyClinic, settled, setupLinks } from './support/empty-clinic';
import { codeFor, nextCode, scan, stepNow } from './support/two-factor';

/**
 * Two factors for a local account, as an administrator meets them (docs/clinical/sign-in-and-logs.md:
 * administrators always): after the password, the forced enrolment — the QR code read the way a
 * phone reads it (the PNG decoded, the QR code scanned) —, the recovery codes shown once, and then
 * a code at every sign-in: each code taken once, each recovery code too. A clinic of its own, so
 * the administrator starts without an authenticator whatever ran before.
 */
const clinic = emptyClinic('two-factor');
const ADMIN = { username: 'ada', password: 'fjell og fjord i nord' };

async function setUp(p: Page): Promise<void> {
	await p.goto(setupLinks(clinic.server)[0]!);
	await p.getByLabel('Navn på virksomheten').fill('Klinikk Nord');
	await p.getByLabel('Navn', { exact: true }).fill('Ada Admin');
	await p.getByLabel('Brukernavn').fill(ADMIN.username);
	await p.getByLabel('Passord', { exact: true }).fill(ADMIN.password);
	await p.getByLabel('Gjenta passordet').fill(ADMIN.password);
	await p.getByRole('button', { name: 'Opprett virksomheten' }).click();
	await p.waitForURL(/\/login\?setup=done$/);
}

async function password(p: Page, next = ''): Promise<void> {
	await p.goto(`/login${next}`);
	await settled(p);
	await p.getByLabel('Brukernavn').fill(ADMIN.username);
	await p.getByLabel('Passord').fill(ADMIN.password);
	await p.getByRole('button', { name: 'Logg inn' }).click();
	await p.waitForURL(/\/login\/two-factor\?next=/);
	await settled(p);
}

async function signOut(p: Page): Promise<void> {
	await p.getByRole('button', { name: 'Logg ut' }).click();
	await p.waitForURL(/\/login$/);
}

const count = (action: string): number => (clinic.db.prepare('SELECT count(*) AS n FROM audit_events WHERE action = ?').get(action) as { n: number }).n;

describe('two factors for an administrator', () => {
	let p: Page;
	let recovery: string[] = [];

	it('after the password, nothing but setting up an authenticator; the administration stays shut', async () => {
		p = await clinic.newPage();
		await setUp(p);
		await password(p, `?next=${encodeURIComponent('/admin/users')}`);
		expect(new URL(p.url()).searchParams.get('next')).toBe('/admin/users');
		expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('Totrinnsbekreftelse');
		// Any other page sends the session back here, keeping where it was going.
		await p.goto('/admin/teams');
		expect(p.url()).toBe(`${clinic.server.url}/login/two-factor?next=${encodeURIComponent('/admin/teams')}`);
		await settled(p);
		expect(await accessibilityViolations(p)).toEqual([]);
		await p.screenshot({ path: 'test-results/two-factor-enrol.png', fullPage: true });
	});

	it('the QR code carries the key written out; a wrong code is refused naming the field, with the same key shown again', async () => {
		const uri = scan((await p.getByRole('img', { name: 'QR-kode som legger Stemme til i autentiseringsappen' }).getAttribute('src'))!);
		expect([uri.protocol, uri.hostname, uri.searchParams.get('issuer'), uri.searchParams.get('digits'), uri.searchParams.get('period')]).toEqual(['otpauth:', 'totp', 'Stemme', '6', '30']);
		const secret = uri.searchParams.get('secret')!;
		// The key in groups of four is the QR code's secret.
		expect((await p.locator('.key code').textContent())!.replaceAll(' ', '')).toBe(secret);

		await p.getByLabel('Kode fra appen').fill(codeFor(secret, stepNow() + 3));
		await p.getByRole('button', { name: 'Bekreft og slå på' }).click();
		await expect.poll(() => p.getByRole('alert').textContent()).toBe('Kode fra appen: koden er feil eller allerede brukt. Skriv inn koden appen viser nå.');
		expect(await p.getByLabel('Kode fra appen').getAttribute('aria-invalid')).toBe('true');
		expect(scan((await p.getByRole('img', { name: /QR-kode/ }).getAttribute('src'))!).searchParams.get('secret')).toBe(secret);
		expect(clinic.db.prepare('SELECT count(*) AS n FROM user_totp WHERE confirmed_at IS NOT NULL').get()).toEqual({ n: 0 });

		// Typed by keyboard, as from the phone.
		await p.getByLabel('Kode fra appen').fill('');
		await p.getByLabel('Kode fra appen').focus();
		await p.keyboard.type(codeFor(secret, stepNow()));
		await p.keyboard.press('Enter');
		await expect.poll(() => p.locator('.codes li').count()).toBe(10);
		recovery = await p.locator('.codes li').allTextContents();
		expect(recovery.every((c) => /^[a-z2-7]{5}-[a-z2-7]{5}$/.test(c))).toBe(true);
		expect(await p.getByRole('link', { name: 'Last ned' }).getAttribute('download')).toBe('stemme-recovery-codes.txt');
		// Stored as hashes only.
		expect(JSON.stringify(clinic.db.prepare('SELECT * FROM recovery_codes').all())).not.toContain(recovery[0]!.replace('-', ''));
		expect(await accessibilityViolations(p)).toEqual([]);
		await p.screenshot({ path: 'test-results/two-factor-recovery-codes.png', fullPage: true });
		await p.getByRole('link', { name: 'Fortsett' }).click();
		await p.waitForURL(/\/admin\/teams$/);
		expect(count('second_factor_enrolled')).toBe(1);
	});

	it('the next sign-in asks for a code, by keyboard alone; the same code a second time is refused', async () => {
		await signOut(p);
		await password(p);
		expect(await p.evaluate(() => document.activeElement?.id)).toBe('code');
		expect(await accessibilityViolations(p)).toEqual([]);
		await p.screenshot({ path: 'test-results/two-factor-code.png', fullPage: true });
		const code = await nextCode(clinic.db, ADMIN.username);
		await p.keyboard.type(code);
		await p.keyboard.press('Enter');
		await p.waitForURL((url) => !url.pathname.startsWith('/login'));
		await settled(p);

		await signOut(p);
		await password(p);
		await p.getByLabel('Kode fra appen').fill(code);
		await p.getByRole('button', { name: 'Bekreft', exact: true }).click();
		await expect.poll(() => p.getByRole('alert').textContent()).toBe('Kode fra appen: koden er feil eller allerede brukt. Skriv inn koden appen viser nå.');
		expect(await p.getByLabel('Kode fra appen').getAttribute('aria-invalid')).toBe('true');
		expect(await accessibilityViolations(p)).toEqual([]);
		await p.screenshot({ path: 'test-results/two-factor-refused.png', fullPage: true });
	});

	it('a recovery code works once', async () => {
		await p.getByText('Har du ikke telefonen for hånden?').click();
		await p.getByLabel('Gjenopprettingskode').fill(recovery[0]!.toUpperCase());
		await p.getByRole('button', { name: 'Bruk gjenopprettingskoden' }).click();
		await p.waitForURL((url) => !url.pathname.startsWith('/login'));
		await settled(p);

		await signOut(p);
		await password(p);
		await p.getByText('Har du ikke telefonen for hånden?').click();
		await p.getByLabel('Gjenopprettingskode').fill(recovery[0]!);
		await p.getByRole('button', { name: 'Bruk gjenopprettingskoden' }).click();
		await expect.poll(() => p.getByRole('alert').textContent()).toBe('Gjenopprettingskode: koden er feil eller allerede brukt.');
		expect(new URL(p.url()).pathname).toBe('/login/two-factor');
		expect(clinic.db.prepare('SELECT count(*) AS n FROM recovery_codes WHERE used_at IS NULL').get()).toEqual({ n: 9 });
		// Passed: the code at enrolment is not a pass; the code and the recovery code are. Failed: the wrong, the reused and the used-up one.
		expect([count('second_factor_passed'), count('second_factor_failed')]).toEqual([2, 3]);
	});
});
