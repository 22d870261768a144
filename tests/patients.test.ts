import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { accessibilityViolations, newContext, signIn, useBrowser } from './support/browser';
import { Client } from './support/http';

/**
 * Patients and episodes through the pages: a clinician registers a patient with a (synthetic but
 * valid) fødselsnummer, opens an episode, records a planned transition, ends the episode as a
 * drop-out, records two outreach attempts, reopens the episode (the task ends as re-engaged),
 * completes it, and the patient returns as a new episode with "earlier drop-out" filled in.
 * Screenshots for the README go to docs/screenshots/.
 */
const opened = useBrowser();
// Valid by both modulus-11 check digits (src/lib/domain/national-id.spec.ts).
const FNR = '01019012480';
const SHOTS = 'docs/screenshots';

const ymd = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const one = <T>(sql: string, ...params: unknown[]): T => opened.db.prepare(sql).get(...params) as T;

async function noViolations(page: Page, where: string): Promise<void> {
	expect([where, await accessibilityViolations(page)]).toEqual([where, []]);
}

describe('a patient from registration to a return after drop-out', () => {
	it('registers, opens, moves ahead, ends as drop-out, reaches out, reopens, completes and returns', async () => {
		mkdirSync(SHOTS, { recursive: true });
		const context = await newContext(opened.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'kari');
		// Sign-in lands on the day's list.
		await page.waitForURL('**/today');
		await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^I dag/);
		await noViolations(page, 'the day');
		await page.screenshot({ path: `${SHOTS}/today.png`, fullPage: true });

		// Register from the caseload.
		await page.goto('/patients');
		await page.getByRole('link', { name: 'Registrer pasient' }).click();
		await page.waitForURL('**/patients/new');
		await page.getByLabel('Navn som vises').fill('Tor Testesen');
		await page.getByLabel('Fødselsnummer eller D-nummer (valgfritt)').fill('010190 12481');
		await page.getByLabel('Språk på nettbrettet').selectOption('nn');
		await page.getByRole('button', { name: 'Registrer' }).click();
		// A check digit one off: refused, naming the field, nothing stored.
		await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/kontrollsifrene passer ikke/);
		expect(await page.getByLabel('Fødselsnummer eller D-nummer (valgfritt)').getAttribute('aria-invalid')).toBe('true');
		expect(one<{ n: number }>(`SELECT count(*) AS n FROM patients WHERE display_name = 'Tor Testesen'`).n).toBe(0);
		await page.getByLabel('Fødselsnummer eller D-nummer (valgfritt)').fill(FNR);
		await noViolations(page, 'registration');
		await page.screenshot({ path: `${SHOTS}/register-patient.png`, fullPage: true });
		await page.getByRole('button', { name: 'Registrer' }).click();
		await page.waitForURL(/\/patients\/\d+\/episodes\/new$/);
		const patientId = Number(new URL(page.url()).pathname.split('/')[2]);
		const stored = one<{ national_id: string; birth_date: string; code: string }>('SELECT national_id, birth_date, code FROM patients WHERE id = ?', patientId);
		expect([stored.national_id, stored.birth_date]).toEqual([FNR, '1990-01-01']);

		// A second registration of the same number is refused and names the record.
		const again = await context.newPage();
		await again.goto('/patients/new');
		await again.getByLabel('Navn som vises').fill('Tor T.');
		await again.getByLabel('Fødselsnummer eller D-nummer (valgfritt)').fill(FNR);
		await again.getByRole('button', { name: 'Registrer' }).click();
		await expect.poll(() => again.getByRole('alert').textContent()).toContain(`Allerede registrert: ${stored.code} (Tor Testesen)`);
		await again.close();

		// Open an outpatient episode.
		await noViolations(page, 'new episode');
		await page.getByLabel('Planlagt slutt').fill(ymd(120));
		await page.getByLabel('Planlagt dager mellom timene').fill('7');
		await page.getByLabel('Henvisningsgrunn').fill('Henvist fra fastlege etter innleggelse');
		await page.getByRole('button', { name: 'Åpne forløpet' }).click();
		await page.waitForURL(/\/patients\/\d+\/episodes\/\d+$/);
		const episodeId = Number(new URL(page.url()).pathname.split('/')[4]);
		await expect.poll(() => page.locator('dl').textContent()).toContain('Henvist fra fastlege etter innleggelse');

		// A planned transition ahead: recorded, shown as planned; the episode stays where it is.
		await page.getByLabel('Dato for overgangen').fill(ymd(10));
		await page.getByLabel('Hva slags overgang').selectOption('temporary-transfer');
		await page.getByLabel('Hvor (institusjon, fengsel, tjeneste)').fill('Avrusning, Lovisenberg');
		await page.getByRole('button', { name: 'Registrer overgangen' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Overgangen er registrert.');
		expect(await page.locator('section', { hasText: 'Overganger' }).textContent()).toMatch(/Midlertidig overføring til .*Avrusning, Lovisenberg.*planlagt/s);
		await noViolations(page, 'episode');
		await page.screenshot({ path: `${SHOTS}/episode.png`, fullPage: true });

		// Three sessions, each with both ratings given on paper, and a no-show.
		const kari = await new Client().signIn('kari');
		for (let i = 0; i < 3; i++) {
			const made = await kari.post(`/patients/${patientId}?/now`, { form: {} });
			const appointment = made.location!.split('/').pop()!;
			expect((await kari.post(`/appointments/${appointment}?/status`, { form: { status: 'attended' } })).status).toBe(200);
		}
		const noShow = (await kari.post(`/patients/${patientId}?/now`, { form: {} })).location!.split('/').pop()!;
		await kari.post(`/appointments/${noShow}?/status`, { form: { status: 'no_show' } });

		// End as drop-out: the page asks for the discharge plan and shows feedback use.
		await page.getByRole('link', { name: 'Avslutt forløpet' }).click();
		await page.waitForURL('**/end');
		expect(await page.locator('section', { hasText: 'Ble tilbakemeldingsverktøyet' }).textContent()).toContain('Begge skårer ved 0 av 3 timer');
		expect(await page.getByText('Forløpet har ingen utskrivingsplan.').count()).toBe(1);
		await page.getByLabel(/Pasienten sluttet å komme/).check();
		await page.getByLabel('Dato for siste time pasienten kom til').fill(ymd(0));
		await noViolations(page, 'ending');
		await page.screenshot({ path: `${SHOTS}/end-episode.png`, fullPage: true });
		await page.getByRole('button', { name: 'Avslutt forløpet' }).click();
		// Without the plan or the tick: refused, naming what is missing.
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('kryss av for å avslutte uten');
		await page.getByLabel(/Pasienten sluttet å komme/).check();
		await page.getByLabel('Avslutt uten utskrivingsplan').check();
		await page.getByRole('button', { name: 'Avslutt forløpet' }).click();
		await page.waitForURL(/\/outreach\/\d+$/);
		expect(one<{ end_reason: string }>('SELECT end_reason FROM episodes WHERE id = ?', episodeId).end_reason).toBe('dropout');

		// The outreach task: two attempts.
		await noViolations(page, 'outreach task');
		await page.getByLabel('Hvordan').selectOption('phone');
		await page.getByLabel('Resultat').selectOption('no-answer');
		await page.getByRole('button', { name: 'Registrer forsøket' }).click();
		await page.waitForURL(/\/outreach\/\d+$/);
		await page.getByLabel('Hvordan').selectOption('text-message');
		await page.getByLabel('Resultat').selectOption('appointment-agreed');
		await page.getByRole('button', { name: 'Registrer forsøket' }).click();
		await expect.poll(() => page.locator('ol li').count()).toBe(2);
		expect(await page.locator('ol').textContent()).toMatch(/Telefon · Ikke svar.*SMS · Avtalte ny time/s);
		const taskPath = new URL(page.url()).pathname;

		// The caseload and the meeting list show the open task.
		for (const path of ['/patients', '/meetings']) {
			await page.goto(path);
			expect([path, await page.locator('section', { hasText: 'Åpne oppsøkende oppgaver' }).textContent()]).toEqual([path, expect.stringContaining(stored.code)]);
		}

		// Re-engaged: the episode is reopened, and the task closes as such.
		await page.goto(`/patients/${patientId}/episodes/${episodeId}`);
		await page.getByLabel('Hvorfor forløpet gjenåpnes').fill('Pasienten svarte på SMS og kom tilbake');
		await page.getByRole('button', { name: 'Gjenåpne' }).click();
		await expect.poll(() => page.locator('dl').first().textContent()).toContain('Åpent');
		await page.goto(taskPath);
		await expect.poll(() => page.locator('dl').first().textContent()).toContain('Tilbake i behandling');

		// Completed as planned, then a return later as a new episode: "earlier drop-out" is pre-filled.
		expect((await kari.post(`/patients/${patientId}/episodes/${episodeId}/end`, { form: { reason: 'planned_completion', endDate: ymd(0), withoutPlan: 'on' } })).status).toBe(303);
		await page.goto(`/patients/${patientId}`);
		await page.getByRole('link', { name: 'Åpne nytt forløp' }).click();
		await page.waitForURL('**/episodes/new');
		await page.getByRole('button', { name: 'Åpne forløpet' }).click();
		await page.waitForURL(/\/episodes\/\d+(\?earlier=1)?$/);
		await expect.poll(() => page.getByRole('note').textContent()).toMatch(/Tidligere frafall: forløpet som sluttet/);
		const newEpisode = Number(new URL(page.url()).pathname.split('/')[4]);
		expect(one<{ answer: string; factor_date: string }>(`SELECT answer, factor_date FROM checklist_answers WHERE episode_id = ? AND factor_key = 'earlier-dropout'`, newEpisode)).toEqual({
			answer: 'yes',
			factor_date: ymd(0)
		});
		await noViolations(page, 'new episode page');

		// Found from the header by the number, shown masked.
		await page.getByRole('searchbox', { name: 'Finn pasient' }).fill(FNR);
		await page.getByRole('searchbox', { name: 'Finn pasient' }).press('Enter');
		await page.waitForURL('**/patients/search');
		expect(await page.locator('tbody').textContent()).toContain('010190 *****');
		expect(await page.content()).not.toContain(FNR);
		expect(page.url()).not.toContain(FNR);
		await noViolations(page, 'search');
		await context.close();
	});

	it('a transition to another team: the receiving team sees the whole episode, the sending team gets 404', async () => {
		const kari = await new Client().signIn('kari');
		const ingrid = await new Client().signIn('ingrid');
		const made = await kari.post('/patients/new', {
			form: {
				team: String(one<{ id: number }>(`SELECT m.team_id AS id FROM team_memberships m JOIN users u ON u.id = m.user_id WHERE u.username = 'kari'`).id),
				displayName: 'Flytt Testesen',
				birthYear: '1988'
			}
		});
		expect(made.status).toBe(303);
		const patientId = Number(made.location!.split('/')[2]);
		const teamB = one<{ id: number }>(`SELECT m.team_id AS id FROM team_memberships m JOIN users u ON u.id = m.user_id WHERE u.username = 'ingrid'`).id;
		expect((await ingrid.get(`/patients/${patientId}`)).status).toBe(404);
		const opened = await kari.post(`/patients/${patientId}/episodes/new`, {
			form: { team: String(one<{ id: number }>('SELECT team_id AS id FROM patients WHERE id = ?', patientId).id), setting: 'inpatient', startDate: ymd(-20) }
		});
		const episodePath = opened.location!;
		const appointment = (await kari.post(`/patients/${patientId}?/now`, { form: {} })).location!;
		// Kari no longer sees the patient: she is sent to her list, told where the patient went.
		const moved = await kari.post(`${episodePath}?/transition`, { form: { date: ymd(0), kind: 'team', toTeam: String(teamB), toSetting: 'outpatient' } });
		expect([moved.status, moved.location]).toEqual([303, '/patients?transferred=1']);
		expect((await kari.get(moved.location!)).body).toContain('Pasienten er overført til et annet team');
		for (const path of [`/patients/${patientId}`, episodePath, appointment]) {
			expect([path, (await ingrid.get(path)).status]).toEqual([path, 200]);
			expect([path, (await kari.get(path)).status]).toEqual([path, 404]);
		}
		expect(one<{ team_id: number; setting: string }>('SELECT team_id, setting FROM episodes WHERE id = ?', Number(episodePath.split('/').pop()))).toEqual({ team_id: teamB, setting: 'outpatient' });
	});
});
