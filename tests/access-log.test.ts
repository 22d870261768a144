import { describe, expect, it } from 'vitest';
import { accessibilityViolations, newContext, signIn, useBrowser } from './support/browser';

/**
 * The patient's access log: the treating clinician opens it from the patient page, the rows are
 * the patient's audit trail (the giving last), in the patient's language, and it prints on A4
 * without the navigation; the admin gets it by code, and the record is not opened.
 */
const opened = useBrowser();
const SHOTS = 'docs/screenshots';
const TITLE = { nb: 'Tilgangslogg for pasient', nn: 'Tilgangslogg for pasient', en: 'Access log for patient' } as const;

function trailCount(patientId: number): number {
	const row = opened.db.prepare('SELECT count(*) AS n FROM audit_events WHERE patient_id = ? OR id IN (SELECT event_id FROM audit_event_patients WHERE patient_id = ?)').get(patientId, patientId) as {
		n: number;
	};
	return row.n;
}

describe("the patient's access log", () => {
	const patient = () =>
		opened.db
			.prepare("SELECT p.id, p.code, p.preferred_locale AS locale FROM patients p JOIN teams t ON t.id = p.team_id WHERE t.name = 'Poliklinikk voksne' AND p.erased_at IS NULL ORDER BY p.id LIMIT 1")
			.get() as { id: number; code: string; locale: keyof typeof TITLE | null };

	it('the treating clinician opens it from the patient page; it is the trail row for row, and prints on A4', async () => {
		const p = patient();
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.goto(`/patients/${p.id}`);
		await page.getByRole('link', { name: 'Tilgangslogg' }).click();
		await page.waitForURL(`**/patients/${p.id}/access-log`);
		await expect.poll(() => page.locator('h1').textContent()).toBe(`${TITLE[p.locale ?? 'nb']} ${p.code}`);
		// Every event about the patient, the giving just now included.
		expect(await page.locator('tbody tr').count()).toBe(trailCount(p.id));
		const last = opened.db.prepare('SELECT action FROM audit_events WHERE patient_id = ? ORDER BY id DESC LIMIT 1').get(p.id) as { action: string };
		expect(last.action).toBe('gave_access_log');
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: `${SHOTS}/access-log.png`, fullPage: false });
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('.staff-header').isVisible()).toBe(false);
		expect(await page.getByRole('button', { name: 'Skriv ut' }).isVisible()).toBe(false);
		const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		await context.close();
	});

	it('the admin gets it by code, without a viewed_patient row', async () => {
		const p = patient();
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'admin');
		const admin = opened.db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: number };
		const viewed = () => (opened.db.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND patient_id = ? AND action = 'viewed_patient'").get(admin.id, p.id) as { n: number }).n;
		const before = viewed();
		await page.goto('/admin/access-log');
		await page.getByLabel('Pasientkode').fill('finnes-ikke');
		await page.getByRole('button', { name: 'Vis tilgangslogg' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toBe('Fant ingen pasient med koden finnes-ikke.');
		await page.getByLabel('Pasientkode').fill(p.code);
		await page.getByRole('button', { name: 'Vis tilgangslogg' }).click();
		await expect.poll(() => page.locator('h1').last().textContent()).toBe(`${TITLE[p.locale ?? 'nb']} ${p.code}`);
		expect(await page.locator('tbody tr').count()).toBe(trailCount(p.id));
		expect(viewed()).toBe(before);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: `${SHOTS}/admin-access-log.png`, fullPage: false });
		await context.close();
	});
});
