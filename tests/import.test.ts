import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Browser, Locator } from 'playwright-core';
import { accessibilityViolations, launchBrowser, newContext, readDatabase, signIn } from './support/browser';

/**
 * The clinic-from-empty's second acceptance test: a team lead imports the README's sample file
 * (docs/import-sample.csv) through the page — the dry run lists the one refused row by row
 * number and column and stores nothing; the run then imports the rest in one go.
 */
let browser: Browser;
let db: Database.Database;
beforeAll(async () => {
	browser = await launchBrowser();
	db = readDatabase();
	mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
	db?.close();
	await browser?.close();
});

/** Each row of a table as its cells' text, separated by single spaces. */
const cells = (table: Locator) => table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()).join(' ')));

const imported = () => db.prepare(`SELECT count(*) AS n FROM patients WHERE code LIKE 'IMP-%'`).get() as { n: number };

describe('importing a patient-record export', () => {
	it('dry run with one refused row and nothing stored, then the run: four patients with their episodes and six appointments', async () => {
		const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.getByRole('link', { name: 'Import' }).click();
		await page.waitForURL('**/import');
		await page.waitForLoadState('networkidle');
		await page.getByLabel('Team').selectOption({ label: 'Poliklinikk voksne' });
		await page.getByLabel('CSV-fil').setInputFiles('docs/import-sample.csv');
		await page.getByRole('button', { name: 'Prøvekjør' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Prøvekjøring ferdig 100 %');

		const report = page.locator('section', { has: page.getByRole('heading', { name: 'Resultat' }) });
		expect(await report.getByText('Blir opprettet: 4 pasienter med åpen episode og 6 timer.').count()).toBe(1);
		const refused = report.locator('table', { has: page.locator('caption', { hasText: 'Avviste rader' }) });
		expect(await refused.locator('caption').textContent()).toBe('Avviste rader: 1 (pasienten på en avvist rad importeres ikke)');
		expect(await cells(refused)).toEqual(['8 national_id kontrollsifferet stemmer ikke']);
		const created = report.locator('table', { has: page.locator('caption', { hasText: 'Pasienter som blir opprettet' }) });
		expect(await cells(created)).toEqual(['2 IMP-001 3', '5 IMP-002 2', '7 IMP-003 1', '9 IMP-005 0']);
		expect(imported().n).toBe(0);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/import-dry-run.png', fullPage: true });

		await page.getByRole('button', { name: 'Importer 4 pasienter' }).click();
		await expect.poll(() => report.locator('p.done').textContent()).toBe('Importert: 4 pasienter med åpen episode og 6 timer.');
		expect(imported().n).toBe(4);
		const rows = db
			.prepare(
				`SELECT p.code, e.setting, e.actual_end, (SELECT count(*) FROM appointments a WHERE a.episode_id = e.id) AS n FROM patients p JOIN episodes e ON e.patient_id = p.id WHERE p.code LIKE 'IMP-%' ORDER BY p.code`
			)
			.all();
		expect(rows).toEqual([
			{ code: 'IMP-001', setting: 'outpatient', actual_end: null, n: 3 },
			{ code: 'IMP-002', setting: 'outpatient', actual_end: null, n: 2 },
			{ code: 'IMP-003', setting: 'inpatient', actual_end: null, n: 1 },
			{ code: 'IMP-005', setting: 'group', actual_end: null, n: 0 }
		]);
		expect(db.prepare(`SELECT count(*) AS n FROM audit_events WHERE action = 'changed_record' AND detail LIKE 'import into team %: 4 patients with open episodes, 6 appointments'`).get()).toEqual({
			n: 1
		});
		expect(await accessibilityViolations(page)).toEqual([]);

		// The same file again: every patient is already registered, nothing more is stored.
		await page.reload();
		await page.waitForLoadState('networkidle');
		await page.getByLabel('CSV-fil').setInputFiles('docs/import-sample.csv');
		await page.getByRole('button', { name: 'Prøvekjør' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Prøvekjøring ferdig 100 %');
		expect(await refused.locator('caption').textContent()).toBe('Avviste rader: 5 (pasienten på en avvist rad importeres ikke)');
		expect(await page.getByRole('button', { name: /^Importer/ }).count()).toBe(0);
		expect(imported().n).toBe(4);
		await context.close();
	});
});
