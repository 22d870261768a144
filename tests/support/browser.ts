import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, inject } from 'vitest';
import { mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { demoPasswordOf } from '../../scripts/lib/server.js';
import { onTwoFactorPage, passTwoFactor, TWO_FACTOR_PATH } from './two-factor';

/** Debian's Chromium; never a downloaded browser. Override with CHROMIUM_PATH. */
const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser(): Promise<Browser> {
	// Playwright's launch() gives every browser a fresh temporary profile directory.
	return chromium.launch({ executablePath: EXECUTABLE, headless: true, args: ARGS });
}

export function baseURL(): string {
	return inject('baseURL');
}

/** The test server's SQLite file, for reading what was stored. */
export function databasePath(): string {
	return inject('databasePath');
}

/** The test server's database, read-only: tests check what was stored, never change it behind the app. */
export function readDatabase(): Database.Database {
	return new Database(databasePath(), { readonly: true, fileMustExist: true });
}

export async function newContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
	const context = await browser.newContext({ baseURL: baseURL(), locale: 'nb-NO', ...options });
	// Well inside the test's own 30 s, so a failure names the step that waited, not just the test.
	context.setDefaultTimeout(10_000);
	// Content Security Policy violations are collected on every page, and reported with the
	// accessibility check below, so each page a test checks is also checked against the policy.
	await context.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
		document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
	});
	return context;
}

/**
 * The demo password of a database (random per database since the demo accounts stopped sharing a
 * published one): the test server's unless another database is named.
 */
export function demoPassword(path = databasePath()): string {
	return demoPasswordOf(path);
}

/**
 * Signs in from the sign-in page the browser is on (keeping its `next`), or from a fresh one; an
 * administrator passes the second factor too (setting it up the first time).
 */
export async function signIn(page: Page, username: string, password = demoPassword()): Promise<void> {
	if (!page.url().includes('/login')) await page.goto('/login');
	await page.getByLabel(/Brukernavn|User name|Brukarnamn/).fill(username);
	await page.getByLabel(/Passord|Password/).fill(password);
	await page.getByRole('button', { name: /Logg inn|Sign in/ }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login') || url.pathname === TWO_FACTOR_PATH);
	if (onTwoFactorPage(page)) await passTwoFactor(page, username, databasePath());
}

/**
 * WCAG 2.2 AA rules (2.2 adds target size, 2.5.8); the violations with the nodes they hit, for a
 * readable failure — and any Content Security Policy violation the page met, as one more entry.
 */
export async function accessibilityViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
	const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	const csp = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
	return [...result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })), ...(csp.length > 0 ? [{ id: 'content-security-policy', nodes: csp }] : [])];
}

/**
 * For a test file: a browser and the test server's database (read-only), opened before its tests
 * and closed after them; test-results/ exists for screenshots.
 */
export function useBrowser(): { readonly browser: Browser; readonly db: Database.Database } {
	const opened = {} as { browser: Browser; db: Database.Database };
	beforeAll(async () => {
		opened.browser = await launchBrowser();
		opened.db = readDatabase();
		mkdirSync('test-results', { recursive: true });
	});
	afterAll(async () => {
		opened.db?.close();
		await opened.browser?.close();
	});
	return opened;
}
