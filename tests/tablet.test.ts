import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { accessibilityViolations, signIn } from './support/browser';
import { ensurePin, giveBack, handOver, openAppointmentNow, sliderTexts, tabletSuite, tapLines, TEAM_A, TEAM_B } from './support/tablet';

/**
 * A patient rates the session on a clinic tablet. A tablet viewport with touch, the way
 * it is used; the database is read directly to prove what was stored, and how many times.
 */
const suite = tabletSuite();
const { ratingsOf, ongoing, tablet } = suite;

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

		// Untouched lines show no mark and no number, and claim no value; submit waits for all four.
		expect(await page.locator('.mark').count()).toBe(0);
		expect(await page.getByRole('slider').evaluateAll((s) => s.map((e) => e.hasAttribute('aria-valuenow')))).toEqual([false, false, false, false]);
		expect(await sliderTexts(page)).toEqual(Array(4).fill('ikke besvart'));
		const submit = page.getByRole('button', { name: 'Send svarene' });
		expect(await submit.isDisabled()).toBe(true);
		await tapLines(page, [0.2, 0.35, 0.5, 0.8]);
		expect(await page.getByRole('slider').evaluateAll((s) => s.map((e) => e.getAttribute('aria-valuenow')))).toEqual(['2', '3.5', '5', '8']);
		// Spoken with the Norwegian decimal comma.
		expect(await sliderTexts(page)).toEqual(['2,0 av 10', '3,5 av 10', '5,0 av 10', '8,0 av 10']);
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
		const keys = [
			['End', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft'],
			['PageDown', 'PageDown'],
			['Home', ...Array(8).fill('PageUp')],
			['ArrowRight', 'ArrowRight']
		];
		for (const [i, sequence] of keys.entries()) {
			for (const key of sequence) await page.keyboard.press(key);
			if (i < keys.length - 1) await page.keyboard.press('Tab');
		}
		expect(await sliderTexts(page)).toEqual(['9,7 av 10', '4,0 av 10', '8,0 av 10', '5,1 av 10']);
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
		// The relative is asked about the patient, under a privacy text for relatives.
		const lines = await page.locator('main [role="slider"]').evaluateAll((els) => els.map((e) => document.getElementById(e.getAttribute('aria-labelledby') ?? '')?.textContent?.trim() ?? ''));
		expect(lines.join(' | ')).toMatch(/^Personen selv – hvordan personen har det inni seg/);
		expect(await page.locator('main').textContent()).not.toMatch(/Meg selv|hvordan jeg har det/);
		expect(await page.locator('p.privacy').textContent()).toMatch(/personen du er pårørende til/);
		await page.getByRole('heading', { name: 'Hvordan har personen det?' }).waitFor();
		mkdirSync('test-results', { recursive: true });
		await page.screenshot({ path: 'test-results/collateral-form.png', fullPage: true });
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
		const group = suite.db().prepare("SELECT id FROM group_sessions WHERE title = 'Mestringsgruppe'").get() as { id: number };
		const members = suite.db().prepare('SELECT a.id FROM appointments a JOIN episodes e ON e.id = a.episode_id WHERE a.group_session_id = ? AND e.actual_end IS NULL ORDER BY a.id').all(group.id) as {
			id: number;
		}[];
		expect(members.length).toBeGreaterThanOrEqual(3);
		const { context, page } = await tablet();
		await signIn(page, 'sindre');
		await page.goto(`/appointments/${members[0]!.id}`);
		await ensurePin(page);
		await handOver(page, 'Send rundt i gruppa – slutt');
		const totals: number[] = [];
		for (let turn = 1; turn <= members.length; turn++) {
			await page.getByText(`Person ${turn} av ${members.length}`).waitFor();
			// Each turn starts by asking whether the right member holds the tablet (tablet-round.test.ts).
			await page.getByRole('button', { name: 'Ja, det er meg' }).tap();
			expect(await page.locator('.mark').count(), `turn ${turn} starts untouched`).toBe(0);
			if (turn <= 3) expect(await accessibilityViolations(page)).toEqual([]);
			const f = 0.3 + turn * 0.1;
			await tapLines(page, [f, f, f, f]);
			totals.push(Math.round(f * 10 * 10) * 4);
			await page.getByRole('button', { name: 'Send svarene' }).tap();
			await page.getByText('Lagret.', { exact: true }).waitFor();
			if (turn < members.length) {
				await page.getByText('Gi nettbrettet videre til neste i gruppa.').waitFor();
				if (turn === 1) expect(await accessibilityViolations(page), 'between turns').toEqual([]);
				await page.getByRole('button', { name: 'Neste person' }).tap();
			}
		}
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${members[0]!.id}\\?group=1$`));
		const stored = members.map((m) => ratingsOf(m.id));
		expect(stored.map((r) => r.map((x) => [x.instrument_id, x.rater, x.total_tenths]))).toEqual(totals.map((t) => [['stemme-alliance-group', 'group-member', t]]));
		// The clinician lands on the group: every member's rating, each beside its appointment.
		const round = await page.getByRole('region', { name: 'Gruppa i dag' }).innerText();
		for (const t of totals) expect(round).toContain(`${(t / 10).toFixed(1).replace('.', ',')} av 40`);
		expect(await page.getByRole('region', { name: 'Gruppa i dag' }).getByRole('link').count()).toBeGreaterThanOrEqual(members.length - 1);
		expect(await accessibilityViolations(page)).toEqual([]);
		await context.close();
	});
});

describe("the patient's language", () => {
	it('holds for the whole appointment: the alliance form at the end opens in the language chosen at the start', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ingrid', ongoing(TEAM_B)[4]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		await page.getByRole('button', { name: 'Nynorsk' }).click();
		await page.getByRole('heading', { name: 'Velkomen', exact: true }).waitFor();
		await tapLines(page, [0.5, 0.5, 0.5, 0.5]);
		await page.getByRole('button', { name: 'Send svara' }).tap();
		await page.getByRole('heading', { name: 'Takk for svara dine' }).waitFor();
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		await handOver(page, 'Gi til pasienten – slutten av timen');
		await page.getByRole('heading', { name: 'Velkomen', exact: true }).waitFor();
		expect(await page.locator('main').getAttribute('lang')).toBe('nn');
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
		for (let attempt = 1; attempt <= 2; attempt++) {
			await page.getByLabel('PIN-kode').fill('0000');
			await page.getByRole('button', { name: 'Lås opp' }).click();
			// Whoever holds the tablet is not told how many tries are left.
			await page.getByText('Feil PIN-kode.', { exact: true }).waitFor();
			expect(await page.locator('main').innerText()).not.toMatch(/forsøk|igjen|\d+ (av|of)/i);
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

describe('languages and sizes', () => {
	it('shows the rating screen in each language, keeping the marks made, on a 320 px phone and a 12.9″ tablet, without violations', async () => {
		const { context, page } = await tablet();
		await openAppointmentNow(page, 'ingrid', ongoing(TEAM_B)[0]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		// Two lines marked before the patient changes language: the marks stay.
		await page.getByRole('slider').nth(0).focus();
		await page.keyboard.press('Home');
		await page.keyboard.press('PageUp');
		await page.keyboard.press('PageUp');
		await page.keyboard.press('PageUp');
		await page.getByRole('slider').nth(1).focus();
		await page.keyboard.press('End');
		const valuesNow = () => page.getByRole('slider').evaluateAll((s) => s.map((e) => e.getAttribute('aria-valuenow')));
		for (const [button, heading, spoken] of [
			['Nynorsk', 'Velkomen', ['3,0 av 10', '10,0 av 10', 'ikkje svart på']],
			['English', 'Welcome', ['3.0 of 10', '10.0 of 10', 'not answered']],
			['Bokmål', 'Velkommen', ['3,0 av 10', '10,0 av 10', 'ikke besvart']]
		] as const) {
			await page.getByRole('button', { name: button }).click();
			await page.getByRole('heading', { name: heading, exact: true }).waitFor();
			expect(await valuesNow(), button).toEqual(['3', '10', null, null]);
			expect((await sliderTexts(page)).slice(0, 3), button).toEqual(spoken);
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
		// A 12.9″ tablet upright: nothing wider than the screen.
		await page.setViewportSize({ width: 1024, height: 1366 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/tablet-portrait-12.9.png', fullPage: true });
		await page.setViewportSize({ width: 1366, height: 1024 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
		await page.screenshot({ path: 'test-results/tablet-landscape.png' });
		await context.close();
	});

	it('a finger dragged along a line leaves the mark where it lifts', async () => {
		const { context, page } = await tablet();
		await openAppointmentNow(page, 'ingrid', ongoing(TEAM_B)[1]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		const slider = page.getByRole('slider').nth(2);
		const box = (await slider.boundingBox())!;
		// The line runs 24 px in from each end of the track; a fraction f of it is the value 10·f.
		const at = (f: number) => ({ x: box.x + 24 + (box.width - 48) * f, y: box.y + box.height / 2 });
		const cdp = await context.newCDPSession(page);
		await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(0.1)] });
		// A finger's landing is not yet a mark: it may be the start of a swipe up or down the page.
		expect(await slider.getAttribute('aria-valuenow')).toBeNull();
		for (const f of [0.3, 0.5, 0.7, 0.85]) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(f)] });
		await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
		expect(await slider.getAttribute('aria-valuenow')).toBe('8.5');
		expect(await slider.getAttribute('aria-valuetext')).toBe('8,5 av 10');
		// The page did not scroll sideways with the finger, and the other lines are untouched.
		expect(await page.evaluate(() => window.scrollX)).toBe(0);
		expect(await page.getByRole('slider').evaluateAll((s) => s.map((e) => e.hasAttribute('aria-valuenow')))).toEqual([false, false, true, false]);
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
		const rows = suite
			.db()
			.prepare('SELECT id, corrects_rating_id, correction_reason, entered_by_id, CAST(ROUND(total * 10) AS INTEGER) AS t FROM ratings WHERE appointment_id = ? ORDER BY id')
			.all(appointmentId) as {
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
		const audit = suite.db().prepare("SELECT detail FROM audit_events WHERE action = 'changed_record' AND detail LIKE 'corrected rating%' ORDER BY id DESC LIMIT 1").get() as { detail: string };
		expect(audit.detail).toBe(`corrected rating ${rows[0]!.id}: Feil avlest linjal`);
		await page.screenshot({ path: 'test-results/appointment-corrected.png', fullPage: true });
		await context.close();
	});
});
