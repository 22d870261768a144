import { afterAll, beforeAll } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type StartedServer } from '../../scripts/lib/server.js';
import { launchBrowser } from './browser';
import { onTwoFactorPage, passTwoFactor, TWO_FACTOR_PATH } from './two-factor';

/**
 * A server of the file's own on an empty database with STEMME_DEMO=off (the first-start and
 * acceptance tests): started before the file's tests once the setup link is in its log, with a
 * read-only view of its database and a browser; all of it gone afterwards.
 */
export interface EmptyClinic {
	server: StartedServer;
	db: Database.Database;
	/**
	 * A fresh browser context on the server, Norwegian, 1280 × 900 (with touch, for the tablet);
	 * `headers` are sent with every request (an address header for a server told to trust one).
	 */
	newPage(touch?: boolean, headers?: Record<string, string>): Promise<Page>;
}

export function emptyClinic(name: string, env: Record<string, string> = {}): EmptyClinic {
	const clinic = {} as EmptyClinic;
	let dir = '';
	let browser: Browser;
	const contexts: BrowserContext[] = [];
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), `stemme-${name}-`));
		const databasePath = join(dir, 'stemme.db');
		clinic.server = await startServer({ databasePath, env: { STEMME_DEMO: 'off', ...env } });
		for (let i = 0; i < 100 && !clinic.server.output().includes('/setup?token='); i++) await new Promise((r) => setTimeout(r, 100));
		clinic.db = new Database(databasePath, { readonly: true, fileMustExist: true });
		browser = await launchBrowser();
		mkdirSync('test-results', { recursive: true });
	});
	afterAll(async () => {
		for (const c of contexts) await c.close().catch(() => undefined);
		await browser?.close();
		clinic.db?.close();
		await clinic.server?.stop();
		if (dir !== '') rmSync(dir, { recursive: true, force: true });
	});
	clinic.newPage = async (touch = false, headers = {}) => {
		const context = await browser.newContext({ baseURL: clinic.server.url, locale: 'nb-NO', viewport: { width: 1280, height: 900 }, hasTouch: touch, extraHTTPHeaders: headers });
		context.setDefaultTimeout(10_000);
		contexts.push(context);
		return context.newPage();
	};
	return clinic;
}

/** The one-time setup links the server has printed so far. */
export function setupLinks(server: StartedServer): string[] {
	return [...server.output().matchAll(/(http:\/\/\S+\/setup\?token=[a-z2-7]{32})/g)].map((x) => x[1]!);
}

/** Loaded and hydrated: a field filled before the page's script runs can be reset by it. */
export async function settled(p: Page): Promise<void> {
	await p.waitForLoadState('networkidle');
}

/**
 * Signs in with the given password (this server has no demo accounts); an administrator passes the
 * second factor too, from the clinic's database once set up.
 */
export async function signInWith(p: Page, username: string, password: string, db?: Database.Database): Promise<void> {
	await p.goto('/login');
	await settled(p);
	await p.getByLabel('Brukernavn').fill(username);
	await p.getByLabel('Passord').fill(password);
	await p.getByRole('button', { name: 'Logg inn' }).click();
	await p.waitForURL((url) => !url.pathname.startsWith('/login') || url.pathname === TWO_FACTOR_PATH);
	if (onTwoFactorPage(p)) {
		await settled(p);
		if (db === undefined && (await p.locator('input[name="key"]').count()) === 0) throw new Error(`${username} owes a code: pass the clinic's database`);
		await passTwoFactor(p, username, db!);
	}
	await settled(p);
}
