import { describe, expect, it } from 'vitest';
import { accessibilityViolations, newContext, signIn, useBrowser } from './support/browser';

/**
 * The admin gives an account from before single sign-on its HPR number and e-mail (what a first
 * sign-on is matched by): a wrong one is named, a right one stored and audited.
 */
const opened = useBrowser();

describe("the admin's HPR number and e-mail for an account", () => {
	it('refuses a wrong HPR number by name, stores a right one with the e-mail, and audits it', async () => {
		const ola = opened.db.prepare("SELECT id, hpr_number AS hpr, email FROM users WHERE username = 'ola'").get() as { id: number; hpr: string | null; email: string | null };
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'admin');
		await page.goto(`/admin/users/${ola.id}`);
		const section = page.getByRole('region', { name: 'HPR-nummer og e-post for felles innlogging' });
		await section.getByLabel('HPR-nummer').fill('12a4567');
		await section.getByRole('button', { name: 'Lagre' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toBe('HPR-nummer skal bare ha sifre (høyst 10).');
		expect(await section.getByLabel('HPR-nummer').getAttribute('aria-invalid')).toBe('true');
		expect(await accessibilityViolations(page)).toEqual([]);

		await section.getByLabel('HPR-nummer').fill('9144900');
		await section.getByLabel('E-post').fill('Ola.Haugen@Klinikk.example');
		await section.getByRole('button', { name: 'Lagre' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toBe('HPR-nummer og e-post for ola er lagret.');
		const stored = opened.db.prepare('SELECT hpr_number AS hpr, email FROM users WHERE id = ?').get(ola.id) as { hpr: string; email: string };
		expect(stored).toEqual({ hpr: '9144900', email: 'ola.haugen@klinikk.example' });
		const audited = opened.db.prepare("SELECT detail FROM audit_events WHERE action = 'user_changed' ORDER BY id DESC LIMIT 1").get() as { detail: string };
		expect(audited.detail).toBe(`user ${ola.id}: HPR number ${ola.hpr ?? '–'} → 9144900, e-mail ${ola.email ?? '–'} → ola.haugen@klinikk.example`);
		expect(await section.getByLabel('HPR-nummer').inputValue()).toBe('9144900');
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'docs/screenshots/admin-user-identity.png', fullPage: true });
		await context.close();
	});
});
