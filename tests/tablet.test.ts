import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, launchBrowser, newContext, readDatabase, signIn } from './support/browser';

/**
 * Issue 4: a patient rates the session on a clinic tablet. A tablet viewport with touch, the way
 * it is used; the database is read directly to prove what was stored, and how many times.
 */
let browser: Browser;
let db: Database.Database;
const PIN = '2468';
const TABLET = { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 };

beforeAll(async () => {
	browser = await launchBrowser();
	db = readDatabase();
	mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
	db?.close();
	await browser?.close();
});

/** Totals in tenths (exact on the 0.1 grid) so that they compare as integers. */
function ratingsOf(appointmentId: number): { instrument_id: string; rater: string; source: string; total_tenths: number; client_id: string }[] {
	return db
		.prepare('SELECT instrument_id, rater, source, CAST(ROUND(total * 10) AS INTEGER) AS total_tenths, client_id FROM ratings WHERE appointment_id = ? ORDER BY id')
		.all(appointmentId) as never;
}

/** Patients of a team with an open, non-group episode, in id order (the demo clinic's data). */
function ongoing(team: string): number[] {
	return (
		db
			.prepare(
				`SELECT p.id FROM patients p JOIN teams t ON t.id = p.team_id JOIN episodes e ON e.patient_id = p.id
				 WHERE t.name = ? AND e.actual_end IS NULL AND e.setting != 'group' ORDER BY p.id`
			)
			.all(team) as { id: number }[]
	).map((r) => r.id);
}
const TEAM_A = 'Poliklinikk voksne';
const TEAM_B = 'Ungdom og døgn';

/** Signs in, opens a new appointment for the patient now, and sets the clinician's PIN if unset. */
async function openAppointmentNow(page: Page, username: string, patientId: number): Promise<number> {
	await signIn(page, username);
	await page.goto(`/patients/${patientId}`);
	await page.getByRole('button', { name: 'Opprett time nå' }).click();
	await page.waitForURL(/\/appointments\/\d+$/);
	const id = Number(new URL(page.url()).pathname.split('/').pop());
	if (await page.getByLabel('Ny PIN-kode').isVisible()) {
		await page.getByLabel('Ny PIN-kode').fill(PIN);
		await page.getByLabel('Gjenta PIN-koden').fill(PIN);
		await page.getByRole('button', { name: 'Lagre PIN-kode' }).click();
		await page.getByText('PIN-koden din er satt.').waitFor();
	}
	return id;
}

async function handOver(page: Page, button: string): Promise<void> {
	await page.getByRole('button', { name: button }).click();
	await page.waitForURL(/\/rate$/);
	await page.getByRole('heading', { level: 1 }).waitFor();
	// Hydrated: the lines answer to touch only once the page's script runs.
	await page.locator('main[data-ready]').waitFor();
}

/** Taps each line at the given fractions of its width (touch, as on the tablet). */
async function tapLines(page: Page, fractions: number[]): Promise<void> {
	const sliders = page.getByRole('slider');
	expect(await sliders.count()).toBe(fractions.length);
	for (const [i, f] of fractions.entries()) {
		const slider = sliders.nth(i);
		const box = (await slider.boundingBox())!;
		// The line runs 24 px in from each end of the track.
		await slider.tap({ position: { x: 24 + (box.width - 48) * f, y: box.height / 2 } });
	}
}

async function giveBack(page: Page, pin = PIN): Promise<void> {
	await page.getByRole('link', { name: 'Gi nettbrettet tilbake' }).click();
	await page.waitForURL(/\/rate\/unlock$/);
	await page.getByLabel('PIN-kode').fill(pin);
	await page.getByRole('button', { name: 'Lås opp' }).click();
}

async function tablet(): Promise<{ context: BrowserContext; page: Page }> {
	const context = await newContext(browser, TABLET);
	return { context, page: await context.newPage() };
}

describe('an individual session', () => {
	it('start to end: outcome by touch, alliance by keyboard, both stored once, nothing of the patient shown', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[0]!);
		const code = (await page.getByText(/^Pasient P-\d{4}/).textContent())!;
		const name = code.split('·')[1]!.trim();

		await handOver(page, 'Gi til pasienten – start av timen');
		const text = (await page.locator('body').innerText()).toLowerCase();
		expect(text).not.toContain(name.toLowerCase());
		expect(text).not.toMatch(/p-\d{4}/);
		expect(await page.getByRole('navigation').count()).toBe(0);
		expect(await accessibilityViolations(page)).toEqual([]);

		// Untouched lines show no mark and no number; submit waits for all four.
		expect(await page.locator('.mark').count()).toBe(0);
		const submit = page.getByRole('button', { name: 'Send svarene' });
		expect(await submit.isDisabled()).toBe(true);
		await tapLines(page, [0.2, 0.35, 0.5, 0.8]);
		expect(await page.getByRole('slider').evaluateAll((s) => s.map((e) => e.getAttribute('aria-valuenow')))).toEqual(['2', '3.5', '5', '8']);
		expect(await submit.isDisabled()).toBe(false);

		// Staff pages are out of reach in patient mode.
		const detour = await context.newPage();
		await detour.goto('/patients');
		expect(new URL(detour.url()).pathname).toBe('/rate');
		await detour.close();

		await submit.tap();
		await page.getByRole('heading', { name: 'Takk for svarene dine' }).waitFor();
		await page.getByText('Lagret.', { exact: true }).waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);
		expect(ratingsOf(appointmentId)).toMatchObject([{ instrument_id: 'stemme-outcome-adult', rater: 'patient', source: 'tablet', total_tenths: 185 }]);

		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		await page.getByText('Hvordan har du det? – 18,5 av 40').waitFor();

		// End of the session: the alliance measure, keyboard only.
		await handOver(page, 'Gi til pasienten – slutten av timen');
		await page.getByRole('heading', { name: 'Timen i dag' }).waitFor();
		await page.keyboard.press('Tab');
		for (let guard = 0; guard < 10 && (await page.evaluate(() => document.activeElement?.getAttribute('role'))) !== 'slider'; guard++) {
			await page.keyboard.press('Tab');
		}
		// First slider: End (10), then ArrowLeft ×3 → 9.7. Second: PageDown from untouched → 5,
		// then PageDown → 4. Third: Home → 0, PageUp ×8 → 8. Fourth: ArrowRight → 5 (the middle), ×2 → 5.1.
		const keys = [['End', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft'], ['PageDown', 'PageDown'], ['Home', ...Array(8).fill('PageUp')], ['ArrowRight', 'ArrowRight']];
		for (const [i, sequence] of keys.entries()) {
			for (const key of sequence) await page.keyboard.press(key);
			if (i < keys.length - 1) await page.keyboard.press('Tab');
		}
		expect(await page.getByRole('slider').evaluateAll((s) => s.map((e) => e.getAttribute('aria-valuetext')))).toEqual(['9.7 av 10', '4.0 av 10', '8.0 av 10', '5.1 av 10']);
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		await page.getByRole('heading', { name: 'Takk for svarene dine' }).waitFor();
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		await page.getByText('Timen i dag – 26,8 av 40').waitFor();
		expect(ratingsOf(appointmentId).map((r) => [r.instrument_id, r.total_tenths])).toEqual([
			['stemme-outcome-adult', 185],
			['stemme-alliance-adult', 268]
		]);
		await page.screenshot({ path: 'test-results/appointment-after.png', fullPage: true });
		await context.close();
	});

	it('a collateral rater rates the outcome about the patient, stored as collateral', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[1]!);
		await handOver(page, 'Gi til pårørende – hvordan det går');
		await page.getByText('Du svarer som pårørende').waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);
		await tapLines(page, [0.5, 0.5, 0.5, 0.5]);
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByRole('heading', { name: 'Takk for svarene dine' }).waitFor();
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		expect(ratingsOf(appointmentId)).toMatchObject([{ rater: 'collateral', total_tenths: 200 }]);
		await page.getByText(/pårørende, nettbrett/).waitFor();
		await context.close();
	});
});

describe('a group session', () => {
	it('three members rate the group alliance one after another, each on a clean form', async () => {
		const group = db.prepare("SELECT id FROM group_sessions WHERE title = 'Mestringsgruppe'").get() as { id: number };
		const members = db
			.prepare("SELECT a.id FROM appointments a JOIN episodes e ON e.id = a.episode_id WHERE a.group_session_id = ? AND e.actual_end IS NULL ORDER BY a.id")
			.all(group.id) as { id: number }[];
		expect(members.length).toBeGreaterThanOrEqual(3);
		const { context, page } = await tablet();
		await signIn(page, 'sindre');
		await page.goto(`/appointments/${members[0]!.id}`);
		if (await page.getByLabel('Ny PIN-kode').isVisible()) {
			await page.getByLabel('Ny PIN-kode').fill(PIN);
			await page.getByLabel('Gjenta PIN-koden').fill(PIN);
			await page.getByRole('button', { name: 'Lagre PIN-kode' }).click();
			await page.getByText('PIN-koden din er satt.').waitFor();
		}
		await handOver(page, 'Send rundt i gruppa – slutt');
		const totals: number[] = [];
		for (let turn = 1; turn <= members.length; turn++) {
			await page.getByText(`Person ${turn} av ${members.length}`).waitFor();
			expect(await page.locator('.mark').count(), `turn ${turn} starts untouched`).toBe(0);
			if (turn <= 3) expect(await accessibilityViolations(page)).toEqual([]);
			const f = 0.3 + turn * 0.1;
			await tapLines(page, [f, f, f, f]);
			totals.push(Math.round(f * 10 * 10) * 4);
			await page.getByRole('button', { name: 'Send svarene' }).tap();
			await page.getByText('Lagret.', { exact: true }).waitFor();
			if (turn < members.length) {
				await page.getByText('Gi nettbrettet videre til neste i gruppa.').waitFor();
				await page.getByRole('button', { name: 'Neste person' }).tap();
			}
		}
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${members[0]!.id}\\?group=1$`));
		const stored = members.map((m) => ratingsOf(m.id));
		expect(stored.map((r) => r.map((x) => [x.instrument_id, x.rater, x.total_tenths]))).toEqual(
			totals.map((t) => [['stemme-alliance-group', 'group-member', t]])
		);
		await context.close();
	});
});

describe('the PIN lock', () => {
	it('three wrong PINs end the staff session; the tablet then needs a fresh sign-in', async () => {
		const { context, page } = await tablet();
		await openAppointmentNow(page, 'kari', ongoing(TEAM_A)[2]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		await page.getByRole('link', { name: 'Gi nettbrettet tilbake' }).click();
		await page.waitForURL(/\/rate\/unlock$/);
		expect(await accessibilityViolations(page)).toEqual([]);
		for (const left of [2, 1]) {
			await page.getByLabel('PIN-kode').fill('0000');
			await page.getByRole('button', { name: 'Lås opp' }).click();
			await page.getByText(`Feil PIN-kode. ${left} forsøk igjen.`).waitFor();
		}
		await page.getByLabel('PIN-kode').fill('0000');
		await page.getByRole('button', { name: 'Lås opp' }).click();
		await page.waitForURL(/\/login\?locked=1$/);
		await page.getByText('Tre feil PIN-koder').waitFor();
		await page.goto('/patients');
		expect(new URL(page.url()).pathname).toBe('/login');
		await context.close();
	});
});

describe('offline', () => {
	it('keeps the answers when the network drops mid-submission, and they arrive exactly once', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[3]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		await tapLines(page, [0.6, 0.6, 0.6, 0.6]);
		// The first submission reaches the server, but the answer never comes back: the network drops.
		let first = true;
		await page.route('**/rate/submit', async (route) => {
			if (!first) return route.continue();
			first = false;
			await route.fetch();
			await context.setOffline(true);
			await route.abort('internetdisconnected');
		});
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText('Lagret på dette nettbrettet – sendes når nettet er tilbake.').waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);
		await context.setOffline(false);
		await page.getByText('Lagret.', { exact: true }).waitFor({ timeout: 15_000 });
		const stored = ratingsOf(appointmentId);
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({ total_tenths: 240, source: 'tablet' });
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		await context.close();
	});
});

describe('languages and sizes', () => {
	it('shows the rating screen in each language and on a 320 px phone, without violations', async () => {
		const { context, page } = await tablet();
		await openAppointmentNow(page, 'ingrid', ongoing(TEAM_B)[0]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		for (const [button, heading] of [
			['Nynorsk', 'Velkomen'],
			['English', 'Welcome'],
			['Bokmål', 'Velkommen']
		] as const) {
			await page.getByRole('button', { name: button }).click();
			await page.getByRole('heading', { name: heading, exact: true }).waitFor();
			expect(await accessibilityViolations(page), button).toEqual([]);
			await page.screenshot({ path: `test-results/tablet-${button.toLowerCase()}.png`, fullPage: true });
		}
		await page.setViewportSize({ width: 320, height: 640 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
		const box = (await page.getByRole('slider').first().boundingBox())!;
		// WCAG 2.5.8: targets at least 24 × 24 CSS px.
		expect(box.height).toBeGreaterThanOrEqual(24);
		expect(box.width).toBeGreaterThanOrEqual(24);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/tablet-phone-320.png', fullPage: true });
		await page.setViewportSize({ width: 1366, height: 1024 });
		await page.screenshot({ path: 'test-results/tablet-landscape.png' });
		await context.close();
	});
});

describe('paper forms and corrections', () => {
	it('enters a paper form in cm, names a wrong value, and corrects a rating with a reason, keeping the original', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[4]!);
		await page.getByText('Hvordan har du det? – pasienten').click();
		const cm = ['Meg selv – hvordan jeg har det inni meg', 'Mine nærmeste – og meg sammen med dem', 'Hverdagen min – det jeg fyller dagene med', 'Alt i alt'];
		for (const [i, value] of ['4,2', '5', '6.5', '11'].entries()) await page.getByLabel(`${cm[i]} (cm)`).first().fill(value);
		await page.getByRole('button', { name: 'Lagre papirskjema' }).first().click();
		await page.getByRole('alert').filter({ hasText: 'Alt i alt' }).waitFor();
		expect(ratingsOf(appointmentId)).toEqual([]);
		// The typed values are still there; only the wrong one needs changing.
		expect(await page.getByLabel(`${cm[0]} (cm)`).first().inputValue()).toBe('4.2');
		await page.getByLabel(`${cm[3]} (cm)`).first().fill('7');
		await page.getByRole('button', { name: 'Lagre papirskjema' }).first().click();
		await page.getByText('Hvordan har du det? – 22,7 av 40').waitFor();
		expect(ratingsOf(appointmentId)).toMatchObject([{ source: 'paper', total_tenths: 227 }]);

		const stored = page.getByRole('region', { name: 'Skårer i denne timen' });
		await stored.getByText('Rett denne skåren').click();
		await stored.getByLabel(`${cm[2]} (cm)`).fill('3,5');
		await page.getByLabel('Grunn til rettingen').fill('Feil avlest linjal');
		await page.getByRole('button', { name: 'Lagre retting' }).click();
		await page.getByText('Hvordan har du det? – 19,7 av 40').waitFor();
		await page.getByText('erstattet av en retting').waitFor();
		await page.getByText('rettet: Feil avlest linjal').waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);
		const rows = db.prepare('SELECT id, corrects_rating_id, correction_reason, entered_by_id, CAST(ROUND(total * 10) AS INTEGER) AS t FROM ratings WHERE appointment_id = ? ORDER BY id').all(appointmentId) as {
			id: number;
			corrects_rating_id: number | null;
			correction_reason: string | null;
			entered_by_id: number | null;
			t: number;
		}[];
		expect(rows.map((r) => [r.t, r.corrects_rating_id, r.correction_reason])).toEqual([
			[227, null, null],
			[197, rows[0]!.id, 'Feil avlest linjal']
		]);
		expect(rows.every((r) => r.entered_by_id !== null)).toBe(true);
		const audit = db.prepare("SELECT detail FROM audit_events WHERE action = 'changed_record' AND detail LIKE 'corrected rating%' ORDER BY id DESC LIMIT 1").get() as { detail: string };
		expect(audit.detail).toBe(`corrected rating ${rows[0]!.id}: Feil avlest linjal`);
		await page.screenshot({ path: 'test-results/appointment-corrected.png', fullPage: true });
		await context.close();
	});
});

describe('the submission endpoint', () => {
	it('answers signed-out, malformed and tampered requests with a clear 4xx in JSON', async () => {
		const { context, page } = await tablet();
		const signedOut = await page.request.post('/rate/submit', { data: { any: 1 } });
		expect([signedOut.status(), (await signedOut.json()).reason]).toEqual([401, 'signed_out']);
		await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[5]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		// What the tablet's own script would send, as a hostile script would build it.
		const latest = db.prepare('SELECT id, appointment_ids FROM tablet_handoffs ORDER BY created_at DESC, rowid DESC LIMIT 1').get() as { id: string; appointment_ids: string };
		const handoffId = latest.id;
		const appointmentId = (JSON.parse(latest.appointment_ids) as number[])[0]!;
		const post = (data: unknown) => page.request.post('/rate/submit', { data: data as object, headers: { origin: new URL(page.url()).origin } });
		const good = { handoffId, clientId: 'endpoint-test-1', appointmentId, values: { self: 5, close: 5, daily: 5, overall: 5 } };
		const other = ongoing(TEAM_B)[1]!;
		const cases: [string, unknown, number, string][] = [
			['value 11', { ...good, values: { ...good.values, daily: 11 } }, 400, 'invalid_values'],
			['missing item', { ...good, values: { self: 5, close: 5, daily: 5 } }, 400, 'invalid_values'],
			['another team’s appointment', { ...good, appointmentId: other }, 403, 'not_this_appointment'],
			['unknown handoff', { ...good, handoffId: 'x'.repeat(32) }, 404, 'unknown_handoff'],
			['script in the client id', { ...good, clientId: '<script>' }, 400, 'malformed']
		];
		for (const [name, data, status, reason] of cases) {
			const res = await post(data);
			expect([name, res.status(), (await res.json()).reason]).toEqual([name, status, reason]);
		}
		const notJson = await page.request.post('/rate/submit', { data: 'not json', headers: { 'content-type': 'application/json', origin: new URL(page.url()).origin } });
		expect(notJson.status()).toBe(400);
		expect(ratingsOf(appointmentId)).toEqual([]);
		const first = await post(good);
		const again = await post(good);
		expect([first.status(), again.status()]).toEqual([201, 200]);
		expect(ratingsOf(appointmentId)).toHaveLength(1);
		await giveBack(page);
		await context.close();
	});
});
