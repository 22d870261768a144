import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoPassword, launchBrowser, newContext, signIn } from './support/browser';
import { drawn } from './support/chart';
import { startServer, type StartedServer } from '../scripts/lib/server.js';
import { addLongCourse } from '../scripts/lib/long-course.js';
import { openDatabase } from '../src/lib/server/db/open';
import { seedDemoClinic } from '../src/lib/server/demo/seed';
import { SIGNAL_STYLE } from '../src/lib/trajectory/chart-data';

/**
 * The trajectory with expected lines: a server of its own (the shared one has too few closed episodes
 * for a model), on the demo clinic plus a 60-session course, with the model's minimum lowered so
 * that it is fitted on the demo's 13 closed episodes. Nothing here touches the shared server.
 */
const MIN_EPISODES = '10';
// Demo patient 10 (shape 'deterioration', team A): the outcome has fallen reliably since intake.
const DETERIORATING = 10;
let dir: string;
let server: StartedServer;
let browser: Browser;
let db: Database.Database;
let context: BrowserContext;
let page: Page;
let longCourse: number;

/** Waits until the server has said `text` (the fit and the flag sweep run after it answers). */
async function said(text: string): Promise<void> {
	for (let i = 0; i < 300 && !server.output().includes(text); i++) await new Promise((r) => setTimeout(r, 100));
	expect(server.output()).toContain(text);
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'stemme-band-'));
	const databasePath = join(dir, 'stemme.db');
	const seeding = openDatabase(databasePath);
	await seedDemoClinic(seeding, new Date());
	seeding.$client.close();
	longCourse = addLongCourse(databasePath, { sessions: 60 });
	server = await startServer({ databasePath, env: { STEMME_DEMO: 'on', STEMME_MODEL_MIN_EPISODES: MIN_EPISODES } });
	await said('expected trajectories fitted');
	await said('drop-out flags checked');
	db = new Database(databasePath, { readonly: true, fileMustExist: true });
	browser = await launchBrowser();
	context = await newContext(browser, { baseURL: server.url, viewport: { width: 1280, height: 900 } });
	page = await context.newPage();
	await signIn(page, 'kari', demoPassword(databasePath));
	mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
	await context?.close();
	await browser?.close();
	db?.close();
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

describe('the expected band, from a model fitted on local episodes', () => {
	it('draws target and critical lines for the intake, marks reliable deterioration and colours points by the stored signal', async () => {
		await page.goto(`/patients/${DETERIORATING}`);
		expect(await page.locator('[data-expected]').getAttribute('data-expected')).toBe('fitted');
		const outcome = await drawn(page, 'outcome');
		const byId = Object.fromEntries(outcome.datasets.map((d) => [d.id, d]));
		const total = byId['outcome-total']!;
		const target = byId.target!;
		const critical = byId.critical!;
		// The band is the area between critical and target: critical first, target filled to it.
		expect(outcome.datasets.map((d) => d.id)).toEqual(['outcome-total', 'critical', 'target', 'expected']);
		// Sessions 1 … latest + 2; at session 1 all lines start from the intake itself.
		const latest = total.data.at(-1)!.x;
		expect(target.data.map((p) => p.x)).toEqual(Array.from({ length: latest + 2 }, (_, i) => i + 1));
		expect(target.data[0]!.y).toBe(total.data[0]!.y);
		expect(critical.data[0]!.y).toBe(total.data[0]!.y);
		// The critical line never above the target after the intake, both on the scale (0–40): the
		// lines of a high intake are held at the scale's top, where the band closes
		// (docs/clinical/change.md), and below it the critical line is strictly lower.
		for (let i = 1; i < target.data.length; i++) {
			const [t, c] = [target.data[i]!.y!, critical.data[i]!.y!];
			const inOrder = Number.isFinite(t) && c >= 0 && t <= 40 && (c < t || (c === t && t === 40));
			expect([i + 1, inOrder]).toEqual([i + 1, true]);
		}

		// docs/clinical/measures.md: reliable change is 5 points; the first session at least 5 below the intake.
		const intake = total.data[0]!.y!;
		const firstDown = total.data.find((p) => p.y !== null && p.x > 1 && intake - p.y >= 5)!;
		expect(firstDown, 'the demo patient has deteriorated reliably').toBeDefined();
		expect(outcome.annotations['reliable-change-deteriorated']).toMatchObject({ direction: 'deteriorated', session: firstDown.x, xValue: firstDown.x });

		// The signal now (the server's, beside the chart) and the flag the server stored agree with the latest point.
		const level = (await page.locator('[data-signal="outcome"]').getAttribute('data-level'))!;
		expect(level).toBe('not-on-track');
		const flags = db.prepare(`SELECT f.key FROM flags f JOIN episodes e ON e.id = f.episode_id WHERE e.patient_id = ? AND f.resolved_at IS NULL AND f.source = 'signal'`).all(DETERIORATING) as {
			key: string;
		}[];
		expect(flags.map((f) => f.key)).toContain('signal:reliable-deterioration');
		const lastRated = total.data.findLastIndex((p) => p.y !== null);
		expect(total.pointBackgroundColor![lastRated]).toBe(SIGNAL_STYLE[level as keyof typeof SIGNAL_STYLE].color);
		expect(total.meta![lastRated]!.level).toBe(level);
		// Every point's colour is its own session's signal, as the table beside it says.
		const column = await page.locator('table td[data-level]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-level')));
		const rated = total.meta!.filter((p) => p.level !== null);
		expect(rated.map((p) => p.level)).toEqual(column);
		total.meta!.forEach((p, i) => expect(total.pointBackgroundColor![i]).toBe(SIGNAL_STYLE[(p.level ?? 'unrated') as keyof typeof SIGNAL_STYLE].color));

		// "Why is this line here?": this patient's intake, and the next session's numbers, as drawn.
		await page.getByText('Hvorfor er denne linja her?').click();
		const next = latest + 1;
		const fmt = (n: number) => n.toFixed(1).replace('.', ',');
		await expect.poll(() => page.locator('[data-why="intake"]').textContent()).toContain(fmt(intake));
		const why = (await page.locator('[data-why="next"]').textContent())!;
		expect(why).toContain(`For time ${next}`);
		expect(why).toContain(`mål ${fmt(target.data[next - 1]!.y!)}`);
		expect(why).toContain(`kritisk ${fmt(critical.data[next - 1]!.y!)}`);
		expect(await page.locator('[data-why="alliance"]').textContent()).toContain('36,0');
		// Which method drew the line, and on how many episodes: the legend's count (docs/clinical/change.md).
		const episodes = /tilpasset (\d+) avsluttede forløp/.exec((await page.locator('[data-expected]').textContent())!)![1];
		const method = (await page.locator('[data-why="method"]').textContent())!;
		expect(method).toMatch(/^Tegnet av en blandet modell/);
		expect(method).toContain(`tilpasset ${episodes} avsluttede forløp`);
		// The sources in the reader's language: no English, no file name on a Norwegian page.
		const card = (await page.locator('details.why').textContent())!;
		expect(card).toContain('Miller mfl. 2003');
		expect(card).toContain('OpenFITs beskrivelse av SRS');
		expect(card).not.toMatch(/convention|documentation|reliable change|points|\.md\b/);
		await page.screenshot({ path: 'test-results/trajectory-band.png' });
	});
});

describe('printing a long course', () => {
	it('prints all 60 sessions of a course on one A4 page', async () => {
		await page.goto(`/patients/${longCourse}`);
		await drawn(page, 'outcome');
		await page.emulateMedia({ media: 'print' });
		// Every session is on paper: none is dropped to make it fit.
		const sessions = await page.locator('table tbody th[scope="row"]').evaluateAll((cells) => cells.filter((c) => c.checkVisibility()).map((c) => c.textContent));
		expect(sessions).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1)));
		// A4 at 96 dpi, to look at.
		await page.setViewportSize({ width: 794, height: 1123 });
		await page.screenshot({ path: 'test-results/trajectory-print-60.png', fullPage: true });
		const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
		writeFileSync('test-results/trajectory-print-60.pdf', pdf);
		expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBe(1);
		await page.emulateMedia({ media: 'screen' });
	});
});
