import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityViolations, demoPassword, signIn } from './support/browser';
import { giveBack, handOver, openAppointmentNow, tabletSuite, tapLines, TEAM_A } from './support/tablet';

/**
 * "Never lost": answers stored on the tablet stay there until the server has stored them (or
 * refused them for good), whatever happens to the network or to the staff session behind the
 * tablet; then they are sent from the rating page, or from the staff pages once a clinician is
 * signed in there again. The database is read directly to count what was stored.
 */
const suite = tabletSuite();
const { ratingsOf, ongoing, tablet } = suite;

/** A tablet handed to the `patient`-th ongoing patient of team A by `clinician`, every line marked at `f`. */
async function marked(clinician: string, patient: number, f: number) {
	const { context, page } = await tablet();
	const appointmentId = await openAppointmentNow(page, clinician, ongoing(TEAM_A)[patient]!);
	await handOver(page, 'Gi til pasienten – start av timen');
	await tapLines(page, [f, f, f, f]);
	return { context, page, appointmentId };
}

/** What the tablet keeps in its outbox (waiting and refused answers). */
function kept(page: Page): Promise<string[]> {
	return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('stemme:')));
}

const WAITING_FOR_NETWORK = 'Lagret på dette nettbrettet – sendes når nettet er tilbake.';
const SENT_FROM_STAFF = 'Svar som ventet på dette nettbrettet er lagret: 1.';

describe('offline', () => {
	it('keeps the answers when the network drops mid-submission, and they arrive exactly once', async () => {
		const { context, page, appointmentId } = await marked('ola', 3, 0.6);
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

describe('answers that outlast the hand-back', () => {
	it('offline → submit → PIN unlock → back online: sent from the staff page, stored once', async () => {
		const { context, page, appointmentId } = await marked('ola', 8, 0.7);
		// The tablet's requests do not get through (its Wi-Fi drops them); pages still load, so the
		// clinician can take the tablet back meanwhile.
		await page.route('**/rate/submit', (route) => route.abort('internetdisconnected'));
		await page.route('**/tablet-answers', (route) => route.abort('internetdisconnected'));
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText(WAITING_FOR_NETWORK).waitFor();
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		await page.getByText('Svar som venter på dette nettbrettet: 1.', { exact: false }).waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);
		expect(ratingsOf(appointmentId)).toEqual([]);
		expect(await kept(page)).toHaveLength(1);

		// Back online.
		await page.unrouteAll();
		await context.setOffline(true);
		await context.setOffline(false);
		await page.getByText(SENT_FROM_STAFF).waitFor({ timeout: 15_000 });
		expect(ratingsOf(appointmentId)).toMatchObject([{ source: 'tablet', rater: 'patient', total_tenths: 280 }]);
		expect(await kept(page)).toEqual([]);
		const audit = suite.db().prepare("SELECT detail FROM audit_events WHERE action = 'rated' ORDER BY id DESC LIMIT 1").get() as { detail: string };
		expect(audit.detail).toBe('stemme-outcome-adult by patient (tablet); kept on the tablet, sent from the staff pages');
		await context.close();
	});

	it('three wrong PINs, then a fresh sign-in: an answer whose reply was lost is sent again and still stored once', async () => {
		const { context, page, appointmentId } = await marked('kari', 9, 0.4);
		// The first submission is stored, but its reply is lost; nothing gets through after it.
		let first = true;
		await page.route('**/rate/submit', async (route) => {
			if (first) await route.fetch();
			first = false;
			await route.abort('internetdisconnected');
		});
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText(WAITING_FOR_NETWORK).waitFor();
		expect(ratingsOf(appointmentId)).toHaveLength(1);
		await page.getByRole('link', { name: 'Gi nettbrettet tilbake' }).click();
		await page.waitForURL(/\/rate\/unlock$/);
		await page.getByText('Noen svar ligger ennå på dette nettbrettet.', { exact: false }).waitFor();
		for (let attempt = 0; attempt < 3; attempt++) {
			await page.getByLabel('PIN-kode').fill('0000');
			await page.getByRole('button', { name: 'Lås opp' }).click();
			if (attempt < 2) await page.getByText(/Feil PIN-kode/).waitFor();
		}
		await page.waitForURL(/\/login\?locked=1$/);
		expect(await kept(page)).toHaveLength(1);
		await signIn(page, 'kari');
		await page.getByText(SENT_FROM_STAFF).waitFor();
		expect(ratingsOf(appointmentId)).toMatchObject([{ total_tenths: 160 }]);
		expect(await kept(page)).toEqual([]);
		await context.close();
	});

	it('signed out everywhere while the patient answers: the tablet says it waits for the clinician; the next sign-in sends it', async () => {
		const { context, page, appointmentId } = await marked('kari', 10, 0.9);
		// Elsewhere, the clinician ends every session of theirs: the one behind the tablet too.
		const elsewhere = await tablet();
		await signIn(elsewhere.page, 'kari');
		await elsewhere.page.goto('/account');
		await elsewhere.page.getByRole('button', { name: 'Logg ut overalt' }).click();
		await elsewhere.page.waitForURL(/\/login/);
		await elsewhere.context.close();

		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText('Lagret på dette nettbrettet – sendes når behandleren har tatt nettbrettet tilbake.').waitFor();
		expect(await accessibilityViolations(page), 'waiting for the clinician').toEqual([]);
		expect(ratingsOf(appointmentId)).toEqual([]);
		await page.getByRole('link', { name: 'Gi nettbrettet tilbake' }).click();
		await page.waitForURL(/\/login/);
		await signIn(page, 'kari');
		await page.getByText(SENT_FROM_STAFF).waitFor();
		expect(ratingsOf(appointmentId)).toMatchObject([{ total_tenths: 360, source: 'tablet' }]);
		expect(await kept(page)).toEqual([]);
		await context.close();
	});

	it('a colleague of the team signs in fresh on the unlock page: the answer waiting on the tablet is sent under their name', async () => {
		const { context, page, appointmentId } = await marked('ola', 11, 0.3);
		await page.route('**/rate/submit', (route) => route.abort('internetdisconnected'));
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText(WAITING_FOR_NETWORK).waitFor();
		await page.getByRole('link', { name: 'Gi nettbrettet tilbake' }).click();
		await page.waitForURL(/\/rate\/unlock$/);
		await page.getByText('Eller logg inn på nytt').click();
		await page.getByLabel(/Brukernavn/).fill('kari');
		await page.getByLabel(/Passord/).fill(demoPassword());
		await page.getByRole('button', { name: 'Logg inn' }).click();
		await page.waitForURL(/\/patients$/);
		await page.getByText(SENT_FROM_STAFF).waitFor();
		expect(ratingsOf(appointmentId)).toMatchObject([{ total_tenths: 120 }]);
		const audit = suite.db().prepare("SELECT u.username FROM audit_events a JOIN users u ON u.id = a.user_id WHERE a.action = 'rated' ORDER BY a.id DESC LIMIT 1").get() as { username: string };
		expect(audit.username).toBe('kari');
		await context.close();
	});
});
