import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, launchBrowser, newContext, readDatabase, signIn } from './support/browser';

/**
 * Issue 5: the patient's trajectory. What is drawn is read back from the Chart.js instances and
 * compared with the database, not just that a canvas exists.
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

interface Drawn {
	datasets: { id: string; data: { x: number; y: number | null }[]; spanGaps: boolean; pointBackgroundColor?: string[] }[];
	annotations: Record<string, { type: string; xValue?: number; yMin?: number }>;
	yMax: number;
}

/** The datasets and annotations of one panel, read from its Chart.js instance. */
async function drawn(page: Page, panel: 'outcome' | 'alliance'): Promise<Drawn> {
	const canvas = page.locator(`canvas[data-panel="${panel}"][data-drawn]`).first();
	await canvas.waitFor({ state: 'attached' });
	return canvas.evaluate((el) => {
		const chart = (el as HTMLCanvasElement & { stemmeChart: { data: { datasets: unknown[] }; options: { plugins: { annotation: { annotations: unknown } }; scales: { y: { max: number } } } } }).stemmeChart;
		return JSON.parse(
			JSON.stringify({ datasets: chart.data.datasets, annotations: chart.options.plugins.annotation.annotations, yMax: chart.options.scales.y.max })
		) as never;
	});
}

/** The current episode's appointments (not 'scheduled') with the patient's outcome total, in order. */
function currentEpisode(patientId: number): { status: string; outcome: number | null }[] {
	const episode = db.prepare('SELECT id FROM episodes WHERE patient_id = ? ORDER BY start_date DESC, id DESC LIMIT 1').get(patientId) as { id: number };
	return db
		.prepare(
			`SELECT a.status, (SELECT r.total FROM ratings r WHERE r.appointment_id = a.id AND r.rater = 'patient' AND r.instrument_id LIKE '%outcome%'
			   AND NOT EXISTS (SELECT 1 FROM ratings c WHERE c.corrects_rating_id = r.id)) AS outcome
			 FROM appointments a WHERE a.episode_id = ? AND a.status != 'scheduled' ORDER BY a.scheduled_at`
		)
		.all(episode.id) as never;
}

describe('the trajectory chart on the patient page', () => {
	it('draws every shape of the demo clinic exactly as stored: totals, gaps, missed marks, cutoff', async () => {
		const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		// Patients 1–6 of team A carry the six trajectory shapes of the demo clinic (shapes.ts).
		for (const id of [1, 2, 3, 4, 5, 6]) {
			await page.goto(`/patients/${id}`);
			const outcome = await drawn(page, 'outcome');
			const stored = currentEpisode(id);
			const attended = stored.filter((a) => a.status === 'attended');
			const total = outcome.datasets.find((d) => d.id === 'outcome-total')!;
			// x = session number 1…n; y = the stored total, null (a gap) where none was given.
			expect(total.data, `patient ${id}`).toEqual(attended.map((a, i) => ({ x: i + 1, y: a.outcome })));
			expect(total.spanGaps).toBe(false);
			expect(outcome.annotations.cutoff?.yMin).toBe(25);
			// One mark per appointment that did not take place, between sessions.
			const missed = Object.keys(outcome.annotations).filter((k) => k.startsWith('missed-'));
			expect(missed.length, `patient ${id} missed`).toBe(stored.length - attended.length);
			for (const k of missed) expect(Number(outcome.annotations[k]!.xValue) % 1).toBe(0.5);
			const alliance = await drawn(page, 'alliance');
			expect(alliance.annotations.cutoff?.yMin).toBe(36);
			await page.screenshot({ path: `test-results/trajectory-${id}.png`, fullPage: false });
		}
		expect(await accessibilityViolations(page)).toEqual([]);
		await context.close();
	});

	it('leaves a gap where a session had no rating, and never joins across it', async () => {
		const gap = db
			.prepare(
				`SELECT e.patient_id AS id FROM appointments a JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id JOIN teams t ON t.id = p.team_id
				 WHERE t.name = 'Poliklinikk voksne' AND a.status = 'attended' AND e.actual_end IS NULL
				   AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.appointment_id = a.id AND r.rater = 'patient' AND r.instrument_id LIKE '%outcome%')
				   AND e.id = (SELECT id FROM episodes WHERE patient_id = e.patient_id ORDER BY start_date DESC, id DESC LIMIT 1)
				 LIMIT 1`
			)
			.get() as { id: number } | undefined;
		expect(gap, 'the demo clinic has a session without an outcome rating').toBeDefined();
		const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'ola');
		await page.goto(`/patients/${gap!.id}`);
		const total = (await drawn(page, 'outcome')).datasets.find((d) => d.id === 'outcome-total')!;
		const nulls = total.data.filter((p) => p.y === null);
		expect(nulls.length).toBeGreaterThan(0);
		expect(total.spanGaps).toBe(false);
		// The accessible table says the same: a dash in that session's outcome column.
		const session = nulls[0]!.x;
		const row = page.locator('table tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${session}$`) }) });
		expect(await row.locator('td.total').first().textContent()).toBe('–');
		await context.close();
	});

	it('switches to the four item lines and to calendar dates', async () => {
		const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.goto('/patients/1');
		await drawn(page, 'outcome');
		await page.getByLabel('Linjene i «Hvordan har du det?»').check();
		await page.waitForFunction(() => {
			const c = document.querySelector('canvas[data-panel="outcome"]') as HTMLCanvasElement & { stemmeChart?: { data: { datasets: { id: string }[] } } };
			return c.stemmeChart?.data.datasets.length === 4;
		});
		const items = await drawn(page, 'outcome');
		expect(items.datasets.map((d) => d.id)).toEqual(['outcome-item-self', 'outcome-item-close', 'outcome-item-daily', 'outcome-item-overall']);
		expect(items.yMax).toBe(10);
		await page.screenshot({ path: 'test-results/trajectory-items.png' });
		await page.getByLabel('Totalskårer').check();
		await page.getByLabel('Dato', { exact: true }).check();
		await page.waitForFunction(() => {
			const c = document.querySelector('canvas[data-panel="outcome"]') as HTMLCanvasElement & { stemmeChart?: { data: { datasets: { data: { x: number }[] }[] } } };
			return (c.stemmeChart?.data.datasets[0]?.data[0]?.x ?? 0) > 1e12;
		});
		expect(await accessibilityViolations(page)).toEqual([]);
		await context.close();
	});

	it('explains the lines: the legend says which expected course is used, and why', async () => {
		const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.goto('/patients/2');
		const legend = page.locator('[data-expected]');
		expect(['rules', 'fitted', 'table']).toContain(await legend.getAttribute('data-expected'));
		await page.getByText('Hvorfor er denne linja her?').click();
		await page.getByText(/Klinisk grense 25,0 .*kilde/).waitFor();
		await context.close();
	});
});

describe('look at it together', () => {
	it('shows the course larger without navigation or signals until the clinician shows them', async () => {
		const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.goto('/patients/3');
		await page.getByRole('link', { name: 'Se på det sammen' }).click();
		await page.waitForURL(/\/patients\/3\/together$/);
		await page.getByRole('heading', { name: 'Slik har det gått' }).waitFor();
		expect(await page.getByRole('navigation').count()).toBe(0);
		expect(await page.getByRole('link', { name: 'Pasienter' }).count()).toBe(0);
		const hidden = (await drawn(page, 'outcome')).datasets.find((d) => d.id === 'outcome-total')!;
		expect(new Set(hidden.pointBackgroundColor)).toEqual(new Set(['#57606a']));
		expect(await page.getByText('Ikke på sporet').count()).toBe(0);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/together.png', fullPage: true });
		await page.getByLabel('Vis signalene').check();
		await page.getByRole('heading', { name: 'Nå' }).waitFor();
		const shown = (await drawn(page, 'outcome')).datasets.find((d) => d.id === 'outcome-total')!;
		expect(new Set(shown.pointBackgroundColor).size).toBeGreaterThan(1);
		await page.getByRole('link', { name: 'Tilbake' }).click();
		await page.waitForURL(/\/patients\/3$/);
		await context.close();
	});
});

describe('printing', () => {
	it('prints on one A4 page with who printed it and when, and the printing is audited', async () => {
		const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		const longest = db
			.prepare(
				`SELECT e.patient_id AS id FROM appointments a JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id JOIN teams t ON t.id = p.team_id
				 WHERE t.name = 'Poliklinikk voksne' GROUP BY e.id ORDER BY count(*) DESC LIMIT 1`
			)
			.get() as { id: number };
		await page.goto(`/patients/${longest.id}`);
		await drawn(page, 'outcome');
		await page.evaluate(() => {
			window.print = () => undefined;
		});
		const before = (db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'printed' AND patient_id = ?").get(longest.id) as { n: number }).n;
		await page.getByRole('button', { name: 'Skriv ut' }).click();
		await expect.poll(() => (db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'printed' AND patient_id = ?").get(longest.id) as { n: number }).n).toBe(before + 1);
		await page.emulateMedia({ media: 'print' });
		expect(await page.getByText(/Skrevet ut .* av Kari/).isVisible()).toBe(true);
		await page.screenshot({ path: 'test-results/trajectory-print.png', fullPage: true });
		const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
		writeFileSync('test-results/trajectory-print.pdf', pdf);
		const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
		expect(pages).toBe(1);
		await context.close();
	});
});
