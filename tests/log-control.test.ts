import { describe, expect, it } from 'vitest';
import { accessibilityViolations, newContext, signIn, useBrowser } from './support/browser';

/**
 * Log control as the admin runs it: a clinician tries another team's patient (refused, and the
 * refusal is in the trail), the admin's report of today lists it under "outside own teams" with a
 * link to the trail, and the admin marks it reviewed with a note — stored and audited.
 */
const opened = useBrowser();
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

describe('log control', () => {
	it('the admin finds a read outside the reader’s teams, follows it to the trail, and marks it reviewed with a note', async () => {
		const kari = opened.db.prepare("SELECT id, display_name AS name FROM users WHERE username = 'kari'").get() as { id: number; name: string };
		const foreign = opened.db
			.prepare('SELECT p.id FROM patients p WHERE p.erased_at IS NULL AND p.team_id NOT IN (SELECT team_id FROM team_memberships WHERE user_id = ?) ORDER BY p.id LIMIT 1')
			.get(kari.id) as { id: number };
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		expect((await page.goto(`/patients/${foreign.id}`))!.status()).toBe(404);
		const refusal = opened.db.prepare("SELECT id FROM audit_events WHERE user_id = ? AND patient_id = ? AND action = 'denied_patient' ORDER BY id DESC LIMIT 1").get(kari.id, foreign.id) as
			{ id: number } | undefined;
		expect(refusal).toBeDefined();
		await context.clearCookies();

		await signIn(page, 'admin');
		await page.goto('/admin/log-control');
		await page.getByLabel('Fra dato').fill(today);
		await page.getByLabel('Til dato').fill(today);
		await page.getByRole('button', { name: 'Vis', exact: true }).click();
		await page.waitForURL(`**/admin/log-control?from=${today}&to=${today}`);
		const outside = page.getByRole('region', { name: /Utenfor egne team/ });
		const card = outside.getByRole('listitem').filter({ hasText: '(kari,' });
		await expect.poll(() => card.count()).toBe(1);
		expect(await card.getByRole('link', { name: 'Se oppslagene i revisjonssporet' }).getAttribute('href')).toBe(`/admin/audit?user=${kari.id}&from=${today}&to=${today}`);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'docs/screenshots/admin-log-control.png', fullPage: false });
		const viewed = opened.db.prepare("SELECT detail FROM audit_events WHERE action = 'viewed_log_control' ORDER BY id DESC LIMIT 1").get() as { detail: string };
		expect(viewed.detail).toBe(`period ${today} to ${today}`);

		// The keyboard path: the note, then the button, then Enter.
		await card.getByLabel('Merknad').focus();
		await page.keyboard.type('Feil pasient i søket, avklart med Kari.');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		await expect.poll(() => page.getByRole('status').textContent()).toBe('Funnet for kari er merket som gjennomgått.');
		await expect.poll(() => card.textContent()).toContain('Gjennomgått av');
		expect(await card.textContent()).toContain('Feil pasient i søket, avklart med Kari.');
		const review = opened.db.prepare("SELECT kind, event_ids AS events, note FROM log_control_reviews WHERE reader_id = ? AND kind = 'outside_team'").get(kari.id) as {
			kind: string;
			events: string;
			note: string;
		};
		expect(JSON.parse(review.events)).toContain(refusal!.id);
		expect(review.note).toBe('Feil pasient i søket, avklart med Kari.');
		const audited = opened.db.prepare("SELECT detail FROM audit_events WHERE action = 'log_control_reviewed' ORDER BY id DESC LIMIT 1").get() as { detail: string };
		expect(audited.detail).toMatch(new RegExp(`^outside_team by user ${kari.id}, events \\d+–${refusal!.id} \\(\\d+\\): Feil pasient i søket, avklart med Kari\\.$`));
		await page.screenshot({ path: 'docs/screenshots/admin-log-control-reviewed.png', fullPage: false });
		await context.close();
	});
});
