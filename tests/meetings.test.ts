import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { accessibilityViolations, launchBrowser, newContext, readDatabase, signIn } from './support/browser';

/**
 * A milestone meeting for a demo patient, from the team's meeting list to the recorded
 * decision and the printed page (one A4 page, counted in Chromium's PDF).
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

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
function pdfPages(pdf: Buffer): number {
	return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

describe('a milestone meeting', () => {
	it('lists due meetings most at-risk first, holds one, records it as a version, and prints on one A4 page', async () => {
		const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.getByRole('link', { name: 'Milepælsmøter' }).click();
		await page.waitForURL('**/meetings');
		await page.getByLabel('Uker framover').selectOption('8');
		await page.getByRole('button', { name: 'Vis' }).click();
		await page.waitForURL(/weeks=8/);
		const rows = page.locator('tbody tr');
		expect(await rows.count()).toBeGreaterThan(3);
		const order = ['unacknowledged', 'overdue', 'open', 'none'];
		const attention = await rows.evaluateAll((trs) => trs.map((tr) => tr.className.match(/attention-(\w+)/)?.[1] ?? ''));
		expect(attention.map((a) => order.indexOf(a))).toEqual([...attention.map((a) => order.indexOf(a))].sort((a, b) => a - b));
		expect(await accessibilityViolations(page)).toEqual([]);

		// P-1011, whose alliance sags, is among them.
		await page.locator('a[href="/patients/11/meeting"]').click();
		await page.waitForURL('**/patients/11/meeting');
		await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Milepælsmøte( [^·]+)? · P-1011$/);
		expect(await page.locator('section', { has: page.getByRole('heading', { name: 'Flagg og hva som ble gjort' }) }).textContent()).toMatch(/Samarbeidet .* under grensen 36,0/);
		expect(await accessibilityViolations(page)).toEqual([]);

		// Plan it with a presenter outside the daily team (not the responsible clinician, Kari).
		await page.getByLabel(/Legger fram/).selectOption({ label: 'Ola Haugen' });
		await page.getByRole('button', { name: 'Planlegg' }).click();
		await expect.poll(() => page.getByText('Legger fram: Ola Haugen').count()).toBe(1);

		// A goal in the patient's words.
		await page.getByPlaceholder('Målet med pasientens egne ord').fill('Komme meg på jobb tre dager i uka');
		await page.getByRole('button', { name: 'Legg til mål' }).click();
		await expect.poll(() => page.locator('ul.goals input[name="text"]').first().inputValue()).toBe('Komme meg på jobb tre dager i uka');

		// The record.
		// Who took part: ticked from the team, the others in free rows.
		await page.getByRole('group', { name: 'Fra teamet' }).getByLabel('Ola Haugen').check();
		await page.getByPlaceholder('Rolle', { exact: true }).first().fill('mor');
		await page.getByPlaceholder('Navn', { exact: true }).first().fill('Anne Berg');
		// An action agreed in the meeting, in the same form: what, who, by when.
		const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
		await page.getByLabel('Hva 1', { exact: true }).fill('Ringe NAV om bolig');
		await page.getByLabel('Ansvarlig 1', { exact: true }).selectOption({ label: 'Ola Haugen' });
		await page.getByLabel('Frist 1', { exact: true }).fill(due);
		await page.getByLabel('Opplever pasienten behandlingen som nyttig?').fill('Delvis: samtalene ja, gruppen nei.');
		await page.getByLabel('Beslutninger (endringer i planen)').fill('Bytte gruppe mot individuelle timer hver uke; ringe dagen før hver time.');
		await page.getByLabel('Pasientens egne ord', { exact: true }).fill('Jeg vil ikke gi opp denne gangen.');
		const next = new Date(Date.now() + 28 * 86_400_000).toISOString().slice(0, 10);
		await page.getByLabel('Neste møte', { exact: true }).fill(next);
		await page.getByRole('button', { name: 'Lagre møtet' }).click();
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Møtet er lagret (versjon 1).' }).count()).toBe(1);
		// The stored action's row is emptied, so saving again does not agree it twice.
		expect(await page.getByLabel('Hva 1', { exact: true }).inputValue()).toBe('');
		const meeting = db.prepare(`SELECT m.id, m.held_at, m.presenter_id FROM milestone_meetings m JOIN episodes e ON e.id = m.episode_id WHERE e.patient_id = 11 AND m.held_at IS NOT NULL`).get() as {
			id: number;
			held_at: number;
		};
		expect(meeting.held_at).toBeGreaterThan(0);
		const v1 = db.prepare('SELECT * FROM meeting_records WHERE meeting_id = ?').all(meeting.id) as {
			version: number;
			decisions: string;
			patient_words: string;
			participants: string;
			answers: string;
		}[];
		expect(v1).toHaveLength(1);
		expect(v1[0]).toMatchObject({ version: 1, patient_words: 'Jeg vil ikke gi opp denne gangen.' });
		const ola = (db.prepare(`SELECT id FROM users WHERE display_name = 'Ola Haugen'`).get() as { id: number }).id;
		expect(JSON.parse(v1[0]!.participants)).toEqual({
			patientPresent: true,
			people: [
				{ role: '', name: 'Ola Haugen', userId: ola },
				{ role: 'mor', name: 'Anne Berg' }
			]
		});
		// The action was stored with the record, in the same save.
		expect(db.prepare('SELECT note, owner_id AS owner, due_date AS due FROM risk_actions WHERE meeting_id = ?').all(meeting.id)).toEqual([{ note: 'Ringe NAV om bolig', owner: ola, due }]);
		expect(JSON.parse(v1[0]!.answers)).toEqual({ useful: 'Delvis: samtalene ja, gruppen nei.' });
		// The next meeting is planned on the agreed date.
		const planned = db.prepare(`SELECT m.scheduled_date FROM milestone_meetings m JOIN episodes e ON e.id = m.episode_id WHERE e.patient_id = 11 AND m.held_at IS NULL`).get() as {
			scheduled_date: string;
		};
		expect(planned.scheduled_date).toBe(next);

		// A later edit is a new version; the first is kept.
		await page.goto(`/patients/11/meeting?m=${meeting.id}`);
		await page.getByLabel('Beslutninger (endringer i planen)').fill('Individuelle timer hver uke; ringe dagen før; nettverksmøte med NAV.');
		await page.getByRole('button', { name: 'Lagre møtet' }).click();
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Møtet er lagret (versjon 2).' }).count()).toBe(1);
		const versions = db.prepare('SELECT version, decisions FROM meeting_records WHERE meeting_id = ? ORDER BY version').all(meeting.id) as { version: number; decisions: string }[];
		expect(versions.map((x) => x.version)).toEqual([1, 2]);
		expect(versions[0]!.decisions).toBe('Bytte gruppe mot individuelle timer hver uke; ringe dagen før hver time.');
		const audits = db.prepare(`SELECT detail FROM audit_events WHERE patient_id = 11 AND action = 'meeting_recorded' ORDER BY id`).all() as { detail: string }[];
		expect(audits.map((a) => a.detail)).toEqual([`meeting ${meeting.id} version 1`, `meeting ${meeting.id} version 2`]);

		// The meeting's actions are listed; the second save added none (its rows were empty).
		const actions = page.locator('section', { has: page.getByRole('heading', { name: 'Tiltak fra møtet' }) });
		expect(await actions.textContent()).toMatch(/Ringe NAV om bolig\s+–\s+Ola Haugen/);
		expect(db.prepare('SELECT count(*) AS n FROM risk_actions WHERE meeting_id = ?').get(meeting.id)).toEqual({ n: 1 });
		// A begun action row without its owner names the field and stores nothing.
		await page.getByLabel('Hva 1', { exact: true }).fill('Nettverksmøte');
		await page.getByRole('button', { name: 'Lagre møtet' }).click();
		await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Ansvarlig 1 må fylles ut.' }).count()).toBe(1);
		await page.locator('section.record').screenshot({ path: 'docs/screenshots/meeting-record.png' });
		expect(db.prepare('SELECT count(*) AS n FROM meeting_records WHERE meeting_id = ?').get(meeting.id)).toEqual({ n: 2 });

		// Printed: audited however the print starts (Ctrl+P fires beforeprint like the button does),
		// and one A4 page with the decision on it.
		const printed = () => (db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'printed' AND patient_id = 11 AND detail = 'milestone meeting page'").get() as { n: number }).n;
		const printedBefore = printed();
		await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
		await expect.poll(printed).toBe(printedBefore + 1);
		await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
		await page.emulateMedia({ media: 'print' });
		await page.screenshot({ path: 'test-results/meeting-print.png', fullPage: true });
		const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
		writeFileSync('test-results/meeting.pdf', pdf);
		expect(pdfPages(pdf)).toBe(1);
		await page.emulateMedia({ media: 'screen' });

		// The goal is read on the patient page and in the together view too.
		for (const path of ['/patients/11', '/patients/11/together']) {
			await page.goto(path);
			expect([path, await page.locator('[data-goals]').textContent()]).toEqual([path, expect.stringContaining('«Komme meg på jobb tre dager i uka»')]);
			expect(await accessibilityViolations(page)).toEqual([]);
		}
		await context.close();
	});

	it('refuses a presenter who is the responsible clinician, naming the field, and stores nothing', async () => {
		const context = await newContext(browser);
		const page = await context.newPage();
		await signIn(page, 'kari');
		const responsible = db.prepare(`SELECT responsible_id AS id FROM episodes WHERE patient_id = 12 AND actual_end IS NULL`).get() as { id: number };
		const before = db.prepare('SELECT count(*) AS n FROM milestone_meetings').get();
		await page.goto('/patients/12/meeting');
		const result = await page.evaluate(async (presenter) => {
			const body = new FormData();
			body.set('date', new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
			body.set('presenter', String(presenter));
			const r = await fetch('?/plan', { method: 'POST', body, headers: { 'x-sveltekit-action': 'true' } });
			return r.json();
		}, responsible.id);
		expect(result).toMatchObject({ type: 'failure', status: 400 });
		expect(result.data).toMatch(/Den som legger fram må være i teamet, men ikke behandlingsansvarlig/);
		expect(db.prepare('SELECT count(*) AS n FROM milestone_meetings').get()).toEqual(before);
		await context.close();
	});
});
