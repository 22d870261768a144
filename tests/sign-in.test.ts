import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { accessibilityViolations, baseURL, launchBrowser, newContext, readDatabase, signIn } from './support/browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
	mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
	await browser?.close();
});

describe('signing in', () => {
	it('sends a signed-out visit to a patient page to sign-in, and back there afterwards', async () => {
		const context = await newContext(browser);
		const page = await context.newPage();
		await page.goto('/patients/3');
		expect(new URL(page.url()).pathname).toBe('/login');
		await expect(page.getByRole('heading', { name: 'Logg inn' }).isVisible()).resolves.toBe(true);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/login.png', fullPage: true });
		await signIn(page, 'kari');
		expect(new URL(page.url()).pathname).toBe('/patients/3');
		await context.close();
	});

	it('says clearly when the password is wrong, and keeps the user name', async () => {
		const context = await newContext(browser);
		const page = await context.newPage();
		await page.goto('/login');
		await page.getByLabel('Brukernavn').fill('ola');
		await page.getByLabel('Passord').fill('not-the-password');
		await page.getByRole('button', { name: 'Logg inn' }).click();
		await page.getByRole('alert').waitFor();
		expect(await page.getByRole('alert').textContent()).toContain('Feil brukernavn eller passord');
		expect(await page.getByLabel('Brukernavn').inputValue()).toBe('ola');
		expect(new URL(page.url()).pathname).toBe('/login');
		await context.close();
	});
});

describe('the patient list', () => {
	it('shows a clinician their team’s patients, with no accessibility violations', async () => {
		const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'ola');
		// A clinician lands on the day's list; the caseload is one click away.
		expect(new URL(page.url()).pathname).toBe('/today');
		await page.getByRole('navigation').getByRole('link', { name: 'Pasienter', exact: true }).click();
		await page.waitForURL(/\/patients$/);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Pasientene i teamet');
		// The caseload: team A's 20 patients in treatment (two of its 22 have ended their episode).
		const rows = page.locator('table.caseload tbody tr');
		expect(await rows.count()).toBe(20);
		const headers = await page.locator('table.caseload thead th').allTextContents();
		expect(headers).toEqual(expect.arrayContaining(['Kode', 'Forløp startet', 'Timer så langt', 'Siste time']));
		// Every row: an episode start date and a whole number of sessions (the demo gives 2–30 each).
		const startColumn = headers.indexOf('Forløp startet');
		const sessionColumn = headers.indexOf('Timer så langt');
		for (const cells of await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? '')))) {
			expect(cells[startColumn]).toMatch(/\d{4}/);
			expect(Number(cells[sessionColumn])).toBeGreaterThanOrEqual(1);
		}
		// Only team "Poliklinikk voksne": ola is not in the other team.
		const teams = await page.locator('tbody tr th .setting').allTextContents();
		expect(new Set(teams.map((t) => t.split(' · ')[1]))).toEqual(new Set(['Poliklinikk voksne']));
		// The others are a click away.
		await page.getByRole('link', { name: 'Vis pasienter uten åpent forløp' }).click();
		await expect.poll(() => page.locator('#others li').count()).toBe(2);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/patient-list.png', fullPage: true });

		await rows.first().getByRole('link').click();
		await page.waitForURL(/\/patients\/\d+(\?from=[^#]*)?$/);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Pasient P-\d{4}/);
		expect(await page.locator('table tbody tr').count()).toBeGreaterThan(1);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/patient-page.png', fullPage: true });
		await context.close();
	});

	it('answers another team’s patient as not found', async () => {
		const context = await newContext(browser);
		const page = await context.newPage();
		await signIn(page, 'ola');
		// Patients P-1023 onwards (ids 23–40) belong to the other team in the demo clinic.
		const response = await page.goto('/patients/30');
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Fant ikke siden');
		await context.close();
	});

	it('switches language to English and nynorsk, and signs out', async () => {
		const context = await newContext(browser);
		const page = await context.newPage();
		await signIn(page, 'ingrid');
		await page.goto('/patients');
		await page.getByRole('button', { name: 'English' }).click();
		await page.getByRole('heading', { name: 'Your team’s patients' }).waitFor();
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		await page.getByRole('button', { name: 'Nynorsk' }).click();
		await page.getByRole('heading', { name: 'Pasientane i teamet' }).waitFor();
		// Each choice is kept as her preferred language: back to bokmål, as the later files
		// (tablet-round.test.ts) find her, whose pages they read in bokmål.
		await page.getByRole('button', { name: 'Bokmål' }).click();
		await page.getByRole('heading', { name: 'Pasientene i teamet' }).waitFor();
		const db = readDatabase();
		expect(db.prepare("SELECT preferred_locale AS l FROM users WHERE username = 'ingrid'").get()).toEqual({ l: 'nb' });
		db.close();
		await page.getByRole('button', { name: 'Logg ut' }).click();
		await page.waitForURL(/\/login$/);
		const again = await page.goto('/patients');
		expect(new URL(again!.url()).pathname).toBe('/login');
		await context.close();
	});
});

describe('health', () => {
	it('reports the version and the database', async () => {
		const res = await fetch(`${baseURL()}/health`);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ app: 'stemme', database: 'ok' });
	});
});

describe('the Content Security Policy', () => {
	it('blocks a script injected into the page, and the tests see the violation', async () => {
		const context = await newContext(browser);
		const page = await context.newPage();
		await signIn(page, 'ola');
		const ran = await page.evaluate(async () => {
			const script = document.createElement('script');
			script.textContent = 'window.__injected = true';
			document.body.append(script);
			await new Promise((r) => setTimeout(r, 50));
			return (window as unknown as { __injected?: boolean }).__injected === true;
		});
		expect(ran).toBe(false);
		expect((await accessibilityViolations(page)).map((v) => v.id)).toEqual(['content-security-policy']);
		await context.close();
	});
});
