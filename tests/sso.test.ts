import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { demoPasswordOf, freePort, startServer, type StartedServer } from '../scripts/lib/server.js';
import { startTestProvider, type TestProvider } from '../src/lib/server/test/oidc-provider';
import { accessibilityViolations, launchBrowser } from './support/browser';
import { passTwoFactor, onTwoFactorPage } from './support/two-factor';

/**
 * Single sign-on in the browser, through a real OpenID Provider (oidc-provider on loopback, PAR,
 * PKCE, private_key_jwt and DPoP on, the HelseID profile): the sign-in page's button, the
 * provider's page, and "I dag"; an unknown person is told to ask their administrator, the admin
 * lets them in, and then they land on "I dag" too. A server of its own, on the demo clinic.
 */
let provider: TestProvider;
let server: StartedServer;
let browser: Browser;
let dir = '';
let db: Database.Database;
let url = '';

beforeAll(async () => {
	const port = await freePort();
	url = `http://127.0.0.1:${port}`;
	provider = await startTestProvider({ redirectUri: `${url}/login/sso/callback`, postLogoutRedirectUri: `${url}/login` });
	provider.accounts.set('kari-helseid', { name: 'Kari', 'helseid://claims/hpr/hpr_number': '9144900', 'helseid://claims/identity/security_level': '4' });
	provider.accounts.set('ny-person', { name: 'Nina Ny', email: 'nina@example.org', email_verified: true, 'helseid://claims/identity/security_level': '4' });
	dir = mkdtempSync(join(tmpdir(), 'stemme-sso-'));
	const databasePath = join(dir, 'stemme.db');
	server = await startServer({
		databasePath,
		port,
		env: {
			STEMME_DEMO: 'on',
			STEMME_SSO_ISSUER: provider.issuer,
			STEMME_SSO_CLIENT_ID: provider.clientId,
			STEMME_SSO_KEY_FILE: provider.keyFile,
			STEMME_SSO_PROFILE: 'helseid',
			STEMME_SSO_INSECURE_LOOPBACK: 'on'
		}
	});
	db = new Database(databasePath, { fileMustExist: true });
	// What the admin entered for Kari: her HPR number (the account form does not show it yet).
	db.prepare(`UPDATE users SET hpr_number = '9144900' WHERE username = 'kari'`).run();
	browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
	await browser?.close();
	db?.close();
	await server?.stop();
	await provider?.close();
	if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
	const context = await browser.newContext({ baseURL: url, locale: 'nb-NO', viewport: { width: 1280, height: 900 } });
	context.setDefaultTimeout(15_000);
	return context.newPage();
}

async function signOnAs(p: Page, login: string): Promise<void> {
	await p.goto('/login');
	await p.getByRole('button', { name: 'Logg inn med HelseID' }).click();
	await p.waitForURL(/\/interaction\//);
	await p.getByLabel('Account').fill(login);
	await p.getByRole('button', { name: 'Sign in at the provider' }).click();
	await p.waitForURL((u) => u.origin === url && u.pathname !== '/login/sso');
}

describe('single sign-on in the browser', () => {
	it('the sign-in page offers the provider; Kari signs on and lands on "I dag"', async () => {
		const p = await newPage();
		await p.goto('/login');
		await p.screenshot({ path: 'docs/screenshots/login-sso.png' });
		expect(await accessibilityViolations(p)).toEqual([]);
		await signOnAs(p, 'kari-helseid');
		expect(new URL(p.url()).pathname).toBe('/today');
		await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toContain('I dag');
		// Signing out ends the session here and goes on to the provider's sign-out.
		await p.getByRole('button', { name: /Logg ut/ }).click();
		await p.waitForURL((u) => u.origin === provider.issuer);
		expect(p.url()).toContain('/session/end');
		await p.context().close();
	});

	it('an unknown person is told to ask the administrator; once let in, they land on "I dag"', async () => {
		const p = await newPage();
		await signOnAs(p, 'ny-person');
		await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('Spør administratoren din');
		expect(await accessibilityViolations(p)).toEqual([]);

		const admin = await newPage();
		await admin.goto('/login');
		await admin.getByLabel('Brukernavn').fill('admin');
		await admin.getByLabel('Passord').fill(demoPasswordOf(join(dir, 'stemme.db')));
		await admin.getByRole('button', { name: 'Logg inn', exact: true }).click();
		await admin.waitForURL((u) => !u.pathname.startsWith('/login') || onTwoFactorPage(admin));
		if (onTwoFactorPage(admin)) await passTwoFactor(admin, 'admin', join(dir, 'stemme.db'));
		await admin.goto('/admin/sso');
		await expect.poll(() => admin.getByRole('heading', { name: 'Nina Ny' }).count()).toBe(1);
		expect(await accessibilityViolations(admin)).toEqual([]);
		await admin.screenshot({ path: 'docs/screenshots/admin-sso.png', fullPage: true });
		await admin.getByLabel('Brukernavn').fill('nina');
		await admin.getByLabel('Rolle').selectOption('clinician');
		await admin.locator('fieldset input[type="checkbox"]').first().check();
		await admin.getByRole('button', { name: 'Slipp inn Nina Ny' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toContain('nina');

		// A fresh browser (the first still has the provider's session, which would skip its page).
		const again = await newPage();
		await signOnAs(again, 'ny-person');
		expect(new URL(again.url()).pathname).toBe('/today');
	});
});
