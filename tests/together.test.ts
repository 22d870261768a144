import { describe, expect, it } from 'vitest';
import { accessibilityViolations, newContext, signIn, useBrowser } from './support/browser';
import { drawn, drawnWhen, tooltip } from './support/chart';
import { Client } from './support/http';
import { ensurePin, PIN } from './support/tablet';
import type { Page } from 'playwright-core';

/**
 * "Look at it together": the course for the patient's eyes — no navigation, no signals
 * until the clinician shows them, plain words, and the patient's language for this view only.
 */
const opened = useBrowser();

/** The way back to the record: with the clinician's PIN when they have one (tablet-round.test.ts shows it is asked). */
async function backToRecord(page: Page, button: string): Promise<void> {
	const pin = page.locator('#back-pin');
	if (await pin.isVisible()) await pin.fill(PIN);
	await page.getByRole('button', { name: button, exact: true }).click();
}

// Demo patient 10 (shape 'deterioration', team A): the outcome has fallen reliably since intake.
const DETERIORATING = 10;

describe('look at it together', () => {
	it('shows the course larger without navigation or signals until the clinician shows them', async () => {
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		// The screen is turned to the patient only by a clinician with a PIN to take it back.
		await page.goto('/account');
		await ensurePin(page);
		await page.goto('/patients/3');
		await page.getByRole('button', { name: 'Se på det sammen' }).click();
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
		await page.getByRole('heading', { name: 'Slik ser det ut nå' }).waitFor();
		const shown = await drawnWhen(page, 'outcome', (d) => new Set(d.datasets[0]!.pointBackgroundColor).size > 1);
		expect(shown.datasets[0]!.id).toBe('outcome-total');
		await backToRecord(page, 'Tilbake');
		await page.waitForURL(/\/patients\/3$/);
		await context.close();
		// The PIN is set first, and the screen turned and taken back: more pages than the default 30 s allow on a busy machine.
	}, 90_000);

	it('gives no signal, reason or reliable-change mark away — not even in a tooltip — until shown', async () => {
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.goto(`/patients/${DETERIORATING}/together`);
		const off = await drawn(page, 'outcome');
		const total = off.datasets.find((d) => d.id === 'outcome-total')!;
		expect(total.meta!.every((p) => p.level === null && p.reasons.length === 0)).toBe(true);
		expect(Object.keys(off.annotations).filter((k) => k.startsWith('reliable-change'))).toEqual([]);
		// Plain words: the lines are described, no "critical", no "clinical cutoff".
		expect(off.annotations.cutoff?.label?.content).toBe('De fleste som ikke går i behandling, skårer over denne linja');
		expect(JSON.stringify(off)).not.toMatch(/Kritisk|Klinisk/);
		// Every point's tooltip: the session, the value, and nothing after it.
		for (let i = 0; i < total.data.length; i++) {
			if (total.data[i]!.y === null) continue;
			const tip = await tooltip(page, 'outcome', i);
			expect(tip.title[0]).toMatch(/^Time \d+ · /);
			expect(tip.body).toEqual([`Hvordan det går (0–40): ${total.data[i]!.y!.toFixed(1).replace('.', ',')}`]);
			expect(tip.after, `point ${i}`).toEqual([]);
		}
		const allianceTip = await tooltip(page, 'alliance', 1);
		expect(allianceTip.after).toEqual([]);

		// Choices made before the signals are shown are kept: the chart is updated, not rebuilt.
		await page.getByLabel('Dato', { exact: true }).check();
		await drawnWhen(page, 'outcome', (d) => (d.datasets[0]?.data[0]?.x ?? 0) > 1e12);
		await page.getByLabel('Vis signalene').check();
		const on = await drawnWhen(page, 'outcome', (d) => Object.keys(d.annotations).some((k) => k.startsWith('reliable-change')));
		expect(on.datasets[0]!.data[0]!.x).toBeGreaterThan(1e12);
		expect(await page.getByLabel('Dato', { exact: true }).isChecked()).toBe(true);
		expect(on.annotations['reliable-change-deteriorated']?.direction).toBe('deteriorated');
		const last = on.datasets[0]!.data.length - 1;
		expect((await tooltip(page, 'outcome', last)).after.length).toBeGreaterThan(0);
		await context.close();
	});

	it("speaks the patient's language in this view only, and the clinician's pages stay in theirs", async () => {
		const preferred = () => (opened.db.prepare("SELECT preferred_locale AS l FROM users WHERE username = 'kari'").get() as { l: string }).l;
		const before = preferred();
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.goto('/patients/3/together');
		await page.getByRole('form', { name: 'Språk i denne visningen' }).getByRole('button', { name: 'English' }).click();
		await page.getByRole('heading', { name: 'How it has gone' }).waitFor();
		await page.getByText('Most people who are not in treatment score above the dashed blue line.').waitFor();
		const chart = await drawn(page, 'outcome');
		expect(chart.annotations.cutoff?.label?.content).toBe('Most people not in treatment score above this line');
		expect(chart.datasets[0]!.label).toBe('How things are going (0–40)');
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/together-en.png', fullPage: true });
		// Hydrated in English too: the page's own script speaks the language it was served in.
		await page.getByLabel('Show the signals').check();
		await page.getByRole('heading', { name: 'How it looks now' }).waitFor();

		await backToRecord(page, 'Back');
		await page.waitForURL(/\/patients\/3$/);
		await page.getByRole('button', { name: 'Skriv ut' }).waitFor();
		await page.goto('/patients');
		await page.getByRole('link', { name: 'Pasienter' }).first().waitFor();
		expect(preferred()).toBe(before);
		const cookies = await context.cookies();
		expect(cookies.find((c) => c.name === 'PARAGLIDE_LOCALE')?.value ?? 'nb').toBe('nb');
		// The choice stays with this patient's together view, and only there.
		await page.goto('/patients/3/together');
		await page.getByRole('heading', { name: 'How it has gone' }).waitFor();
		await page.goto('/patients/1/together');
		await page.getByRole('heading', { name: 'Slik har det gått' }).waitFor();
		await context.close();
	});

	it('refuses a language it does not have, naming the field', async () => {
		const kari = await new Client().signIn('kari');
		const answer = await kari.post('/patients/3/together?/language', { form: { locale: 'xx' } });
		expect(answer.status).toBe(400);
		expect(answer.body).toContain('Språk har en ugyldig verdi.');
		expect(answer.headers.getSetCookie().join()).not.toContain('stemme_together_lang');
	});
});
