import { afterAll, beforeAll, expect } from 'vitest';
import type Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext, readDatabase, signIn } from './browser';

/** The tablet tests' shared steps: how a clinician hands the tablet over and a patient rates. */
export const PIN = '2468';
export const TABLET = { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 };
export const TEAM_A = 'Poliklinikk voksne';
export const TEAM_B = 'Ungdom og døgn';

export interface TabletSuite {
	browser(): Browser;
	/** The test server's database, read-only. */
	db(): Database.Database;
	/** A fresh tablet: a touch browser context at a tablet's size, and a page in it. */
	tablet(): Promise<{ context: BrowserContext; page: Page }>;
	ratingsOf(appointmentId: number): StoredRating[];
	ongoing(team: string): number[];
}

/** One browser and a read-only view of the server's database for a test file, opened and closed with it. */
export function tabletSuite(): TabletSuite {
	let browser: Browser | undefined;
	let db: Database.Database | undefined;
	beforeAll(async () => {
		browser = await launchBrowser();
		db = readDatabase();
	});
	afterAll(async () => {
		db?.close();
		await browser?.close();
	});
	const suite: TabletSuite = {
		browser: () => browser!,
		db: () => db!,
		async tablet() {
			const context = await newContext(suite.browser(), TABLET);
			return { context, page: await context.newPage() };
		},
		ratingsOf: (appointmentId) => ratingsOf(suite.db(), appointmentId),
		ongoing: (team) => ongoing(suite.db(), team)
	};
	return suite;
}

export type StoredRating = { instrument_id: string; rater: string; source: string; total_tenths: number; client_id: string };

/** Totals in tenths (exact on the 0.1 grid) so that they compare as integers. */
export function ratingsOf(db: Database.Database, appointmentId: number): StoredRating[] {
	return db
		.prepare('SELECT instrument_id, rater, source, CAST(ROUND(total * 10) AS INTEGER) AS total_tenths, client_id FROM ratings WHERE appointment_id = ? ORDER BY id')
		.all(appointmentId) as StoredRating[];
}

/** Patients of a team with an open, non-group episode, in id order (the demo clinic's data). */
export function ongoing(db: Database.Database, team: string): number[] {
	return (
		db
			.prepare(
				`SELECT p.id FROM patients p JOIN teams t ON t.id = p.team_id JOIN episodes e ON e.patient_id = p.id
				 WHERE t.name = ? AND e.actual_end IS NULL AND e.setting != 'group' ORDER BY p.id`
			)
			.all(team) as { id: number }[]
	).map((r) => r.id);
}

/** Sets the clinician's PIN on the appointment page when it is not set yet. */
export async function ensurePin(page: Page): Promise<void> {
	if (!(await page.getByLabel('Ny PIN-kode').isVisible())) return;
	await page.getByLabel('Ny PIN-kode').fill(PIN);
	await page.getByLabel('Gjenta PIN-koden').fill(PIN);
	await page.getByRole('button', { name: 'Lagre PIN-kode' }).click();
	await page.getByText('PIN-koden din er lagret.').waitFor();
}

/** Signs in, opens a new appointment for the patient now, and sets the clinician's PIN if unset. */
export async function openAppointmentNow(page: Page, username: string, patientId: number): Promise<number> {
	await signIn(page, username);
	await page.goto(`/patients/${patientId}`);
	await page.getByRole('button', { name: 'Opprett time nå' }).click();
	await page.waitForURL(/\/appointments\/\d+$/);
	const id = Number(new URL(page.url()).pathname.split('/').pop());
	await ensurePin(page);
	return id;
}

export async function handOver(page: Page, button: string): Promise<void> {
	await page.getByRole('button', { name: button }).click();
	await page.waitForURL(/\/rate$/);
	await page.getByRole('heading', { level: 1 }).waitFor();
	// Hydrated: the lines answer to touch only once the page's script runs.
	await page.locator('main[data-ready]').waitFor();
}

/** Taps each line at the given fractions of its width (touch, as on the tablet). */
export async function tapLines(page: Page, fractions: number[]): Promise<void> {
	const sliders = page.getByRole('slider');
	expect(await sliders.count()).toBe(fractions.length);
	for (const [i, f] of fractions.entries()) {
		const slider = sliders.nth(i);
		const box = (await slider.boundingBox())!;
		// The line runs 24 px in from each end of the track.
		await slider.tap({ position: { x: 24 + (box.width - 48) * f, y: box.height / 2 } });
	}
}

export async function giveBack(page: Page, pin = PIN): Promise<void> {
	await page.getByRole('link', { name: 'Gi nettbrettet tilbake' }).click();
	await page.waitForURL(/\/rate\/unlock$/);
	await page.getByLabel('PIN-kode').fill(pin);
	await page.getByRole('button', { name: 'Lås opp' }).click();
}

/** The values the lines hold, as the screen reader is told them. */
export function sliderTexts(page: Page): Promise<(string | null)[]> {
	return page.getByRole('slider').evaluateAll((s) => s.map((e) => e.getAttribute('aria-valuetext')));
}
