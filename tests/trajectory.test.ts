import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { accessibilityViolations, newContext, signIn, useBrowser } from './support/browser';
import { drawn } from './support/chart';

/**
 * The patient's trajectory. What is drawn is read back from the Chart.js instances and
 * compared with the database, not just that a canvas exists.
 */
const opened = useBrowser();

/** The current episode's appointments (not 'scheduled') with the patient's outcome total, in order. */
function currentEpisode(patientId: number): { status: string; outcome: number | null }[] {
	const episode = opened.db.prepare('SELECT id FROM episodes WHERE patient_id = ? ORDER BY start_date DESC, id DESC LIMIT 1').get(patientId) as { id: number };
	return opened.db
		.prepare(
			`SELECT a.status, (SELECT r.total FROM ratings r WHERE r.appointment_id = a.id AND r.rater = 'patient' AND r.instrument_id LIKE '%outcome%'
			   AND NOT EXISTS (SELECT 1 FROM ratings c WHERE c.corrects_rating_id = r.id)) AS outcome
			 FROM appointments a WHERE a.episode_id = ? AND a.status != 'scheduled' ORDER BY a.scheduled_at`
		)
		.all(episode.id) as never;
}

/** The signal level of every rated session in the session table, in order. */
const signalColumn = (page: Page): Promise<(string | null)[]> => page.locator('table td[data-level]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-level')));

describe('the trajectory chart on the patient page', () => {
	it('draws every shape of the demo clinic exactly as stored: totals, gaps, missed marks, cutoff', async () => {
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
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
			// Labelled at the right end, past the latest point, so the label covers no rating.
			expect(outcome.annotations.cutoff?.label?.position).toBe('end');
			// One mark per appointment that did not take place, between sessions.
			const missed = Object.keys(outcome.annotations).filter((k) => k.startsWith('missed-'));
			expect(missed.length, `patient ${id} missed`).toBe(stored.length - attended.length);
			// Between sessions, and never two on one spot.
			const spots = missed.map((k) => Number(outcome.annotations[k]!.xValue));
			for (const x of spots) expect(x % 1).not.toBe(0);
			expect(new Set(spots).size).toBe(spots.length);
			// The marks are explained beside the chart (a point annotation's own label is never drawn).
			expect(await page.locator('[data-key="missed"]').count(), `patient ${id} key`).toBe(missed.length > 0 ? 1 : 0);
			const alliance = await drawn(page, 'alliance');
			expect(alliance.annotations.cutoff?.yMin).toBe(36);
			await page.screenshot({ path: `test-results/trajectory-${id}.png`, fullPage: false });
		}
		expect(await accessibilityViolations(page)).toEqual([]);
		await context.close();
	});

	it('leaves a gap where a session had no rating, and never joins across it', async () => {
		const gap = opened.db
			.prepare(
				`SELECT e.patient_id AS id FROM appointments a JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id JOIN teams t ON t.id = p.team_id
				 WHERE t.name = 'Poliklinikk voksne' AND a.status = 'attended' AND e.actual_end IS NULL
				   AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.appointment_id = a.id AND r.rater = 'patient' AND r.instrument_id LIKE '%outcome%')
				   AND e.id = (SELECT id FROM episodes WHERE patient_id = e.patient_id ORDER BY start_date DESC, id DESC LIMIT 1)
				 LIMIT 1`
			)
			.get() as { id: number } | undefined;
		expect(gap, 'the demo clinic has a session without an outcome rating').toBeDefined();
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
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
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		// The signal column is in the HTML the server sends, before any script has run.
		const html = await (await page.request.get('/patients/1')).text();
		const served = [...html.matchAll(/<td data-level="([a-z-]+)"/g)].map((x) => x[1]);
		expect(served.length).toBeGreaterThan(3);
		expect(served).toContain('on-track');
		await page.goto('/patients/1');
		await drawn(page, 'outcome');
		expect(await signalColumn(page)).toEqual(served);
		await page.getByLabel('Linjene i «Hvordan har du det?»').check();
		await page.waitForFunction(() => {
			const c = document.querySelector('canvas[data-panel="outcome"]') as HTMLCanvasElement & { stemmeChart?: { data: { datasets: { id: string }[] } } };
			return c.stemmeChart?.data.datasets.length === 4;
		});
		const items = await drawn(page, 'outcome');
		expect(items.datasets.map((d) => d.id)).toEqual(['outcome-item-self', 'outcome-item-close', 'outcome-item-daily', 'outcome-item-overall']);
		expect(items.yMax).toBe(10);
		// The table's signal column does not depend on what the chart shows.
		expect(await signalColumn(page)).toEqual(served);
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
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
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

describe('printing', () => {
	it('prints on one A4 page with who printed it and when, and every print is audited however it is started', async () => {
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		const longest = opened.db
			.prepare(
				`SELECT e.patient_id AS id FROM appointments a JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id JOIN teams t ON t.id = p.team_id
				 WHERE t.name = 'Poliklinikk voksne' GROUP BY e.id ORDER BY count(*) DESC LIMIT 1`
			)
			.get() as { id: number };
		await page.goto(`/patients/${longest.id}`);
		await drawn(page, 'outcome');
		const printed = () => (opened.db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'printed' AND patient_id = ?").get(longest.id) as { n: number }).n;
		const before = printed();
		const posts: string[] = [];
		page.on('request', (r) => {
			if (new URL(r.url()).pathname.endsWith('/printed')) posts.push(r.method());
		});
		// Ctrl+P and the browser's menu fire beforeprint just as the button's window.print() does.
		await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
		await expect.poll(printed).toBe(before + 1);
		// Once per print: a second beforeprint before afterprint is the same print.
		await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
		await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
		await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
		await expect.poll(printed).toBe(before + 2);
		await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
		// The button prints (here a stand-in for the dialog fires the events) and is audited the same way.
		await page.evaluate(() => {
			window.print = () => {
				window.dispatchEvent(new Event('beforeprint'));
				window.dispatchEvent(new Event('afterprint'));
			};
		});
		await page.getByRole('button', { name: 'Skriv ut' }).click();
		await expect.poll(printed).toBe(before + 3);
		expect(posts).toEqual(['POST', 'POST', 'POST']);
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
