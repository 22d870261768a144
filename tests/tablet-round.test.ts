import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityViolations, signIn } from './support/browser';
import { ensurePin, giveBack, handOver, openAppointmentNow, PIN, sliderTexts, tabletSuite, tapLines, TEAM_A, TEAM_B } from './support/tablet';

/**
 * The tablet as the people in the room meet it: a group round that asks "is this you?" before
 * each form (so a member out of order is caught, and an absent one skipped), marks that survive a
 * reload, a form already filled in, the patient's language kept, and the together view's way back.
 * The database is read directly to show what was stored and under whom.
 */
const suite = tabletSuite();
const { ratingsOf, ongoing, tablet } = suite;

const firstName = (appointmentId: number): string =>
	(
		suite.db().prepare('SELECT p.display_name AS name FROM appointments a JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id WHERE a.id = ?').get(appointmentId) as {
			name: string;
		}
	).name.split(/\s+/)[0]!;

/** The draft marks kept in the tablet's session storage. */
const drafts = (page: Page): Promise<string[]> => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('stemme:draft:')));

describe('a group round', () => {
	it('asks each member "is this you?": the wrong person is caught, an absent member skipped, nothing filed under the wrong patient', async () => {
		const group = suite.db().prepare("SELECT id FROM group_sessions WHERE title = 'Mestringsgruppe'").get() as { id: number };
		const members = (
			suite.db().prepare('SELECT a.id FROM appointments a JOIN episodes e ON e.id = a.episode_id WHERE a.group_session_id = ? AND e.actual_end IS NULL ORDER BY a.id').all(group.id) as { id: number }[]
		).map((r) => r.id);
		expect(members.length).toBeGreaterThanOrEqual(3);
		const before = members.map((id) => ratingsOf(id).length);
		const { context, page } = await tablet();
		await signIn(page, 'sindre');
		await page.goto(`/appointments/${members[0]}`);
		await ensurePin(page);
		await handOver(page, 'Send rundt i gruppa – start');

		// Turn 1 is for the first member; the second member picks the tablet up out of order.
		await page.getByRole('heading', { name: 'Er dette deg?' }).waitFor();
		expect(await page.locator('[data-member]').textContent()).toBe(firstName(members[0]!));
		expect(await page.getByRole('slider').count()).toBe(0);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/round-is-this-you.png' });
		await page.getByRole('button', { name: 'Nei, det er ikke meg' }).tap();
		await page.getByText(`Da er det ikke din tur ennå. Gi nettbrettet til ${firstName(members[0]!)}.`).waitFor();
		expect(await page.getByRole('slider').count()).toBe(0);
		expect(await accessibilityViolations(page)).toEqual([]);
		// The first member takes it and answers.
		await page.getByRole('button', { name: 'Tilbake' }).tap();
		await page.getByRole('button', { name: 'Ja, det er meg' }).tap();
		await tapLines(page, [0.6, 0.6, 0.6, 0.6]);
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText('Lagret.', { exact: true }).waitFor();
		await page.getByRole('button', { name: 'Neste person' }).tap();

		// Turn 2: that member is not here today.
		await page.locator('[data-member]').getByText(firstName(members[1]!), { exact: true }).waitFor();
		await page.getByRole('button', { name: `${firstName(members[1]!)} er ikke her – hopp over` }).tap();
		// The remaining members: the next name, confirmed; the last one skipped too.
		for (let turn = 3; turn <= members.length; turn++) {
			const id = members[turn - 1]!;
			await page.locator('[data-member]').getByText(firstName(id), { exact: true }).waitFor();
			if (turn === members.length) {
				await page.getByRole('button', { name: `${firstName(id)} er ikke her – hopp over` }).tap();
				break;
			}
			await page.getByRole('button', { name: 'Ja, det er meg' }).tap();
			await tapLines(page, [0.3, 0.3, 0.3, 0.3]);
			await page.getByRole('button', { name: 'Send svarene' }).tap();
			await page.getByText('Lagret.', { exact: true }).waitFor();
			await page.getByRole('button', { name: 'Neste person' }).tap();
		}
		await page.getByRole('heading', { name: 'Alle har hatt sin tur. Gi nettbrettet tilbake til behandleren.' }).waitFor({ timeout: 30_000 });
		expect(await accessibilityViolations(page)).toEqual([]);

		const added = members.map((id, i) =>
			ratingsOf(id)
				.slice(before[i])
				.map((r) => r.total_tenths)
		);
		// 0.6 of each line is 6.0, four lines 24.0; 0.3 is 3.0, four lines 12.0.
		expect(added).toEqual(members.map((_, i) => (i === 0 ? [240] : i === 1 || i === members.length - 1 ? [] : [120])));
		const skipped = suite
			.db()
			.prepare(
				"SELECT count(*) AS n FROM audit_events a JOIN episodes e ON e.patient_id = a.patient_id JOIN appointments p ON p.episode_id = e.id WHERE p.id = ? AND a.detail LIKE '%skipped without a rating%'"
			)
			.get(members[1]) as { n: number };
		expect(skipped.n).toBe(1);
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${members[0]}\\?group=1$`));
		await context.close();
	}, 120_000);
});

describe('marks on the lines', () => {
	it('a vertical swipe from a line sets no mark; marks survive a reload; sent or given back, they are gone', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ingrid', ongoing(TEAM_B)[6]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		const slider = page.getByRole('slider').nth(0);
		const box = (await slider.boundingBox())!;
		const x = box.x + box.width / 2;
		const y = box.y + box.height / 2;
		const cdp = await context.newCDPSession(page);
		// A finger lands on the line and swipes up the page.
		await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
		for (const dy of [10, 25, 45, 70]) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + 2, y: y - dy }] });
		await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
		expect(await sliderTexts(page)).toEqual(Array(4).fill('ikke besvart'));

		await tapLines(page, [0.2, 0.7, 0.4, 0.9]);
		expect(await drafts(page)).toHaveLength(1);
		await page.reload();
		await page.locator('main[data-ready]').waitFor();
		expect(await sliderTexts(page)).toEqual(['2,0 av 10', '7,0 av 10', '4,0 av 10', '9,0 av 10']);
		expect(await accessibilityViolations(page)).toEqual([]);
		// Never on the server: nothing stored until the patient sends.
		expect(ratingsOf(appointmentId)).toEqual([]);
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText('Lagret.', { exact: true }).waitFor();
		expect(await drafts(page)).toEqual([]);
		expect(ratingsOf(appointmentId).map((r) => r.total_tenths)).toEqual([220]);

		// Marks made, then the tablet given back without sending: none stay behind.
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		await handOver(page, 'Gi til pasienten – slutten av timen');
		await tapLines(page, [0.5, 0.5, 0.5, 0.5]);
		expect(await drafts(page)).toHaveLength(1);
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		expect(await drafts(page)).toEqual([]);
		await context.close();
	});
});

describe('a form already filled in', () => {
	it('warns the clinician on the appointment page instead of thanking the patient', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[9]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		await tapLines(page, [0.5, 0.5, 0.5, 0.5]);
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText('Lagret.', { exact: true }).waitFor();
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		await page.getByRole('button', { name: 'Gi til pasienten – start av timen' }).click();
		await page.getByRole('alert').getByText('Skjemaet er allerede fylt ut for denne timen.', { exact: false }).waitFor();
		expect(new URL(page.url()).pathname).toBe(`/appointments/${appointmentId}`);
		expect(await page.getByText('Takk for svarene dine').count()).toBe(0);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/hand-over-already-filled-in.png', fullPage: true });
		expect(ratingsOf(appointmentId)).toHaveLength(1);
		await context.close();
	});
});

describe("the patient's language kept", () => {
	it('becomes the preferred language when the patient says so, audited, and the next appointment opens in it', async () => {
		const patientId = ongoing(TEAM_B)[7]!;
		const { context, page } = await tablet();
		await openAppointmentNow(page, 'ingrid', patientId);
		await handOver(page, 'Gi til pasienten – start av timen');
		await page.getByRole('button', { name: 'Nynorsk' }).click();
		await page.getByRole('heading', { name: 'Velkomen', exact: true }).waitFor();
		await tapLines(page, [0.4, 0.4, 0.4, 0.4]);
		await page.getByRole('button', { name: 'Bruk dette språket neste gong òg' }).click();
		await page.getByText('Lagra: skjemaa dine opnar på dette språket frå no av.').waitFor();
		// The marks already made stay.
		expect(await sliderTexts(page)).toEqual(Array(4).fill('4,0 av 10'));
		expect(await accessibilityViolations(page)).toEqual([]);
		const row = suite.db().prepare('SELECT preferred_locale AS l FROM patients WHERE id = ?').get(patientId) as { l: string };
		expect(row.l).toBe('nn');
		const audit = suite.db().prepare("SELECT detail FROM audit_events WHERE patient_id = ? AND action = 'patient_edited' ORDER BY id DESC LIMIT 1").get(patientId) as { detail: string };
		expect(audit.detail).toContain('→ nn');
		await page.getByRole('button', { name: 'Send svara' }).tap();
		await page.getByRole('heading', { name: 'Takk for svara dine' }).waitFor();
		await giveBack(page);
		await page.waitForURL(/\/appointments\/\d+$/);
		// Another appointment of this patient: the form opens in nynorsk before anyone chooses.
		await page.goto(`/patients/${patientId}`);
		await page.getByRole('button', { name: 'Opprett time nå' }).click();
		await page.waitForURL(/\/appointments\/\d+$/);
		await handOver(page, 'Gi til pasienten – start av timen');
		await page.getByRole('heading', { name: 'Velkomen', exact: true }).waitFor();
		expect(await page.getByRole('button', { name: 'Bruk dette språket neste gong òg' }).count()).toBe(0);
		await giveBack(page);
		await context.close();
	});
});

describe('the tablet PIN', () => {
	it('is changed on the account page, and the new PIN takes the tablet back', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[10]!);
		await page.goto('/account');
		await page.getByText('Endre PIN-koden').click();
		await page.getByLabel('Ny PIN-kode').fill('1357');
		await page.getByLabel('Gjenta PIN-koden').fill('1357');
		await page.getByRole('button', { name: 'Lagre PIN-kode' }).click();
		await page.getByText('PIN-koden din er lagret.').waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.goto(`/appointments/${appointmentId}`);
		await handOver(page, 'Gi til pasienten – start av timen');
		await giveBack(page, '1357');
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		// And back again on the appointment page, for the other tests.
		await page.getByText('Endre PIN-koden').click();
		await page.getByLabel('Ny PIN-kode').fill(PIN);
		await page.getByLabel('Gjenta PIN-koden').fill(PIN);
		await page.getByRole('button', { name: 'Lagre PIN-kode' }).click();
		await page.getByText('PIN-koden din er lagret.').waitFor();
		await context.close();
	});
});

describe('the together view', () => {
	it("locks the browser to it until the PIN, and shows the signals in the patient's words in nb, nn and en", async () => {
		const { context, page } = await tablet();
		const patientId = ongoing(TEAM_A)[1]!;
		const view = `/patients/${patientId}/together`;
		await openAppointmentNow(page, 'ola', patientId);
		await page.goto(`/patients/${patientId}`);
		await page.getByRole('button', { name: 'Se på det sammen' }).click();
		await page.waitForURL(new RegExp(`${view}$`));
		const session = () =>
			suite.db().prepare("SELECT s.together_patient_id AS patient FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'ola' AND s.together_patient_id IS NOT NULL").all();
		expect(session()).toEqual([{ patient: patientId }]);
		// Locked: the staff pages, another patient (their record and their together view) and the
		// appointment all lead back here, by the address bar and by a request alike.
		for (const path of ['/patients', '/today', `/patients/${ongoing(TEAM_A)[2]}`, `/patients/${ongoing(TEAM_A)[2]}/together`, '/account', '/meetings', '/admin', '/logout']) {
			await page.goto(path);
			expect([path, new URL(page.url()).pathname]).toEqual([path, view]);
		}
		const refused = await page.request.get(`/patients/${ongoing(TEAM_A)[2]}`, { maxRedirects: 0 });
		expect([refused.status(), refused.headers()['location']]).toEqual([303, view]);
		const posted = await page.request.post(`/patients/${ongoing(TEAM_A)[2]}/together?/start`, { form: { locale: 'nb' }, maxRedirects: 0, headers: { origin: new URL(page.url()).origin } });
		expect([posted.status(), posted.headers()['location']]).toEqual([303, view]);
		expect(session()).toEqual([{ patient: patientId }]);
		await page.getByLabel('Vis signalene').check();
		await page.getByRole('heading', { name: 'Slik ser det ut nå' }).waitFor();
		for (const [language, words] of [
			['Nynorsk', 'Slik ser det ut no'],
			['English', 'How it looks now'],
			['Bokmål', 'Slik ser det ut nå']
		] as const) {
			await page
				.getByRole('form', { name: /^(Språk i denne visningen|Språk i denne visinga|Language for this view)$/ })
				.getByRole('button', { name: language })
				.click();
			await page.locator('html[lang]').waitFor();
			await page.getByLabel(/Vis signalene|Vis signala|Show the signals/).check();
			const panel = page.getByRole('region', { name: words });
			await panel.waitFor();
			const text = await panel.innerText();
			expect(text).not.toMatch(/reliab|reliabel|endring er|\d,\d|\d\.\d|grense|cutoff|RCI/i);
			expect(await panel.locator('[data-plain="outcome"]').count()).toBe(1);
			expect(await accessibilityViolations(page)).toEqual([]);
			if (language === 'English') await page.screenshot({ path: 'test-results/together-plain-en.png', fullPage: true });
		}
		// The way back without the PIN, and with a wrong one, stays here (and still locked).
		await page.getByRole('button', { name: 'Tilbake', exact: true }).click();
		expect(new URL(page.url()).pathname).toBe(view);
		await page.locator('#back-pin').fill('0000');
		await page.getByRole('button', { name: 'Tilbake', exact: true }).click();
		await page.getByText('Feil PIN-kode.').waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.goto('/patients');
		expect(new URL(page.url()).pathname).toBe(view);
		await page.locator('#back-pin').fill(PIN);
		await page.getByRole('button', { name: 'Tilbake', exact: true }).click();
		await page.waitForURL(new RegExp(`/patients/${patientId}$`));
		// Unlocked: the staff pages again, and the trail says who turned the screen and took it back.
		expect(session()).toEqual([]);
		await page.goto('/patients');
		expect(new URL(page.url()).pathname).toBe('/patients');
		const trail = suite
			.db()
			.prepare("SELECT action, detail FROM audit_events WHERE patient_id = ? AND action IN ('handed_to_patient', 'pin_failed', 'took_tablet_back') ORDER BY id DESC LIMIT 3")
			.all(patientId);
		expect(trail.reverse()).toEqual([
			{ action: 'handed_to_patient', detail: 'together view' },
			{ action: 'pin_failed', detail: 'together view: attempt 1 of 3' },
			{ action: 'took_tablet_back', detail: 'together view' }
		]);
		await context.close();
	}, 120_000);
});
