import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { accessibilityViolations, newContext } from './support/browser';
import { openAppointmentNow, ratingsOf, tabletSuite, tapLines, TEAM_A } from './support/tablet';

/**
 * The patient rates on their own phone: the clinician shows a QR code on the appointment page,
 * the phone opens the address the code holds (read back from the page's own image with a QR
 * decoder, as a camera would), the patient rates without signing in, and the clinician's page
 * says "answered". A used link says so; a replaced one says whom to contact; a made-up one is
 * a 404 that the audit trail notes.
 */
const suite = tabletSuite();
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 };

/** The address in the QR code on the page, decoded from the image's pixels. */
async function qrAddress(page: Page): Promise<string> {
	const src = await page.getByRole('img', { name: 'QR-kode til skjemaet på pasientens telefon' }).getAttribute('src');
	expect(src).toMatch(/^data:image\/png;base64,/);
	const png = PNG.sync.read(Buffer.from(src!.split(',')[1]!, 'base64'));
	const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
	expect(code).not.toBeNull();
	return code!.data;
}

async function makeCode(page: Page, form: 'Utfall (ved start)' | 'Allianse (ved slutt)' = 'Utfall (ved start)'): Promise<string> {
	await page.getByLabel(form).check();
	const before = await page
		.getByRole('img', { name: 'QR-kode til skjemaet på pasientens telefon' })
		.getAttribute('src')
		.catch(() => null);
	await page.getByRole('button', { name: 'Vis kode for skjemaet' }).click();
	await page.waitForFunction((old) => document.querySelector('img[alt^="QR-kode"]')?.getAttribute('src') !== old && document.querySelector('img[alt^="QR-kode"]') !== null, before);
	return qrAddress(page);
}

async function phone() {
	const context = await newContext(suite.browser(), PHONE);
	return { context, page: await context.newPage() };
}

describe("the patient's own phone", () => {
	it('scan, rate privately, and the clinician sees it answered; the used link says so', async () => {
		const clinic = await newContext(suite.browser());
		const staff = await clinic.newPage();
		const patientId = suite.ongoing(TEAM_A)[5]!;
		const appointmentId = await openAppointmentNow(staff, 'ola', patientId);
		const address = await makeCode(staff);
		expect(new URL(address).pathname).toMatch(/^\/r\/[a-z2-7]{26}$/);
		await staff.getByText('Venter på svar').first().waitFor();
		expect(await accessibilityViolations(staff)).toEqual([]);
		await staff.locator('section[aria-labelledby="phone-title"]').screenshot({ path: 'test-results/phone-qr-code.png' });

		const { context, page } = await phone();
		await page.goto(address);
		await page.locator('main[data-ready][data-place="phone"]').waitFor();
		const code = suite.db().prepare('SELECT code, display_name AS name FROM patients WHERE id = ?').get(patientId) as { code: string; name: string };
		const text = await page.locator('body').innerText();
		// No name, no code, no history: only the form and where to call in a crisis.
		expect(text).not.toContain(code.code);
		expect(text).not.toContain(code.name);
		expect(text).toContain('116 117');
		// One thumb on a 390 px phone: nothing wider than the screen.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/phone-form.png', fullPage: true });
		await tapLines(page, [0.3, 0.5, 0.6, 0.4]);
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText('Takk for svarene dine').waitFor();
		await page.getByText('Svarene er sendt til behandlingsstedet ditt.', { exact: false }).waitFor();

		const stored = ratingsOf(suite.db(), appointmentId);
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({ source: 'phone', rater: 'patient', instrument_id: 'stemme-outcome-adult' });
		// The opening and the rating are the patient's own actions in the trail: no staff user.
		const trail = suite
			.db()
			.prepare("SELECT action, user_id AS userId FROM audit_events WHERE patient_id = ? AND action IN ('rating_link_opened', 'rated') ORDER BY id DESC LIMIT 2")
			.all(patientId) as { action: string; userId: number | null }[];
		expect(trail).toEqual([
			{ action: 'rated', userId: null },
			{ action: 'rating_link_opened', userId: null }
		]);

		// The clinician's page asks every 3 s and says it is answered, with the rating in its list.
		await staff.locator('tr[data-state="answered"]').waitFor({ timeout: 15_000 });
		await staff
			.getByText(/egen telefon/)
			.first()
			.waitFor();

		// The same link again (a reload, a second scan): already answered, no form.
		await page.goto(address);
		await page.getByRole('heading', { name: 'Allerede besvart' }).waitFor();
		expect(await page.getByRole('slider').count()).toBe(0);
		expect(await accessibilityViolations(page)).toEqual([]);
		await context.close();
		await clinic.close();
	}, 120_000);

	it('a replaced link opens nothing and says whom to contact; a made-up one is a 404 the trail notes', async () => {
		const clinic = await newContext(suite.browser());
		const staff = await clinic.newPage();
		await openAppointmentNow(staff, 'ola', suite.ongoing(TEAM_A)[6]!);
		const first = await makeCode(staff, 'Allianse (ved slutt)');
		const second = await makeCode(staff, 'Allianse (ved slutt)');
		expect(second).not.toBe(first);
		await staff.locator('tr[data-state="withdrawn"]').waitFor();

		const { context, page } = await phone();
		await page.goto(first);
		await page.getByRole('heading', { name: 'Lenken er ikke lenger i bruk' }).waitFor();
		await page.getByText('Ta kontakt med behandlingsstedet ditt', { exact: false }).waitFor();
		expect(await page.getByRole('slider').count()).toBe(0);
		// The patient's language buttons work on this page too.
		await page.getByRole('button', { name: 'English' }).tap();
		await page.getByRole('heading', { name: 'This link is no longer open' }).waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);

		const before = (suite.db().prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'rating_link_unknown'").get() as { n: number }).n;
		const made = await page.goto(`${new URL(first).origin}/r/${'a'.repeat(26)}`);
		expect(made?.status()).toBe(404);
		const posted = await page.request.post(`/r/${'b'.repeat(26)}/submit`, { data: { clientId: 'guess-00000001', values: {} }, headers: { origin: new URL(first).origin } });
		expect(posted.status()).toBe(404);
		const after = (suite.db().prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'rating_link_unknown'").get() as { n: number }).n;
		expect(after - before).toBe(2);
		await context.close();
		await clinic.close();
	}, 120_000);

	it('the clinician records the consent to messages; the patient stops them from the link in a message', async () => {
		const clinic = await newContext(suite.browser());
		const staff = await clinic.newPage();
		const patientId = suite.ongoing(TEAM_A)[7]!;
		await openAppointmentNow(staff, 'ola', patientId);
		const address = await makeCode(staff);
		await staff.goto(`/patients/${patientId}`);
		const section = staff.locator('section[aria-labelledby="messages-title"]');
		await section.getByText('Pasienten har ikke samtykket til meldinger.').waitFor();
		// A number that is no mobile number: refused, naming the field, nothing stored.
		await section.getByLabel('Mobilnummer').fill('2212345');
		await section.getByRole('button', { name: 'Registrer samtykke' }).click();
		await staff.getByRole('alert').filter({ hasText: 'Mobilnummer' }).waitFor();
		expect((suite.db().prepare('SELECT count(*) AS n FROM contact_consents WHERE patient_id = ?').get(patientId) as { n: number }).n).toBe(0);
		await staff.locator('section[aria-labelledby="messages-title"]').getByLabel('Mobilnummer').fill('912 34 567');
		await staff.locator('section[aria-labelledby="messages-title"]').getByRole('button', { name: 'Registrer samtykke' }).click();
		await staff.getByText(/Samtykke: SMS til \+4791234567/).waitFor();
		expect(await accessibilityViolations(staff)).toEqual([]);
		await staff.locator('section[aria-labelledby="messages-title"]').screenshot({ path: 'test-results/phone-consent.png' });

		// The stop link every message carries: it asks first, then stops, as the patient's own action.
		const { context, page } = await phone();
		await page.goto(`${address}/stop`);
		await page.getByRole('heading', { name: 'Ingen flere meldinger' }).waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.getByRole('button', { name: 'Ja, stopp meldingene' }).tap();
		await page.getByText('Du får ikke flere meldinger.', { exact: false }).waitFor();
		await staff.reload();
		await staff.getByText(/Meldingene ble stoppet .* av pasienten selv/).waitFor();
		const stopped = suite.db().prepare("SELECT user_id AS userId FROM audit_events WHERE patient_id = ? AND action = 'contact_consent_stopped'").all(patientId);
		expect(stopped).toEqual([{ userId: null }]);
		await context.close();
		await clinic.close();
	}, 120_000);
});
