import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityViolations } from './support/browser';
import { ensurePin, giveBack, handOver, tapLines } from './support/tablet';
import { emptyClinic, settled, setupLinks, signInWith } from './support/empty-clinic';

/**
 * Acceptance: a clinic put to work from an empty database (STEMME_DEMO=off, its own
 * server), only through the pages. The setup link makes the organisation and its administrator;
 * the administrator a team and two clinicians; one of them registers a patient, opens an episode,
 * books a weekly series, and has three sessions rated on the tablet and a no-show; the episode
 * ends as a drop-out, the outreach task records two attempts, the patient comes back and the
 * episode is reopened, two more sessions, a planned completion; then the patient returns as a new
 * episode with "earlier drop-out" filled in from their own history.
 */
const clinic = emptyClinic('acceptance');

const ADMIN = { username: 'vera', password: 'vinter over vidda 7' };
const ONE_TIME = 'et startpassord fra vera';
const MONA = 'monas egen lange passfrase';
// A valid test fødselsnummer (both modulus-11 check digits hold).
const FNR = '01019012480';

const one = <T>(sql: string, ...params: unknown[]): T => clinic.db.prepare(sql).get(...params) as T;
const ymd = (days: number) => {
	const d = new Date(Date.now() + days * 86_400_000);
	return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(d);
};

async function noViolations(p: Page, where: string): Promise<void> {
	expect([where, await accessibilityViolations(p)]).toEqual([where, []]);
}

/** One session on the tablet: an appointment now, the outcome at the start, the alliance at the end. */
async function ratedSession(p: Page, patientId: number, outcome: number[], alliance: number[]): Promise<number> {
	await p.goto(`/patients/${patientId}`);
	await settled(p);
	await p.getByRole('button', { name: 'Opprett time nå' }).click();
	await p.waitForURL(/\/appointments\/\d+$/);
	await settled(p);
	const appointment = Number(new URL(p.url()).pathname.split('/').pop());
	await ensurePin(p);
	await handOver(p, 'Gi til pasienten – start av timen');
	await tapLines(p, outcome);
	await p.getByRole('button', { name: 'Send svarene' }).tap();
	await p.getByRole('heading', { name: 'Takk for svarene dine' }).waitFor();
	await giveBack(p);
	await p.waitForURL(new RegExp(`/appointments/${appointment}$`));
	await settled(p);
	await handOver(p, 'Gi til pasienten – slutten av timen');
	await tapLines(p, alliance);
	await p.getByRole('button', { name: 'Send svarene' }).tap();
	await p.getByRole('heading', { name: 'Takk for svarene dine' }).waitFor();
	await giveBack(p);
	await p.waitForURL(new RegExp(`/appointments/${appointment}$`));
	await settled(p);
	return appointment;
}

describe('a clinic from an empty database, through the pages only', () => {
	it('setup, a team and two clinicians, a patient from registration through drop-out, outreach and return, to a new episode', async () => {
		// The setup link from the log: the organisation and its administrator.
		expect(one<{ n: number }>('SELECT count(*) AS n FROM users').n).toBe(0);
		const link = setupLinks(clinic.server);
		expect(link).toHaveLength(1);
		const admin = await clinic.newPage();
		await admin.goto(link[0]!);
		await settled(admin);
		await admin.getByLabel('Navn på virksomheten').fill('Klinikk Vest');
		await admin.getByLabel('Navn', { exact: true }).fill('Vera Vik');
		await admin.getByLabel('Brukernavn').fill(ADMIN.username);
		await admin.getByLabel('Passord', { exact: true }).fill(ADMIN.password);
		await admin.getByLabel('Gjenta passordet').fill(ADMIN.password);
		await admin.getByRole('button', { name: 'Opprett virksomheten' }).click();
		await admin.waitForURL(/\/login\?setup=done$/);
		await settled(admin);
		await signInWith(admin, ADMIN.username, ADMIN.password);

		// A team, and two clinicians on it with one-time passwords.
		await admin.goto('/admin/teams');
		await settled(admin);
		await admin.getByLabel('Navn på teamet').fill('Poliklinikk rus');
		await admin.getByLabel('Vanlig behandlingsform').selectOption('outpatient');
		await admin.getByRole('button', { name: 'Opprett team' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('Teamet Poliklinikk rus er opprettet.');
		for (const [username, name] of [
			['mona', 'Mona Moe'],
			['nils', 'Nils Nes']
		] as const) {
			await admin.goto('/admin/users');
			await settled(admin);
			await admin.getByLabel('Brukernavn', { exact: true }).fill(username);
			await admin.getByLabel('Navn', { exact: true }).fill(name);
			await admin.getByLabel('Rolle', { exact: true }).selectOption('clinician');
			await admin.getByLabel('Poliklinikk rus').check();
			await admin.getByLabel('Startpassord', { exact: true }).fill(ONE_TIME);
			await admin.getByRole('button', { name: 'Opprett bruker' }).click();
			await expect.poll(() => admin.getByRole('status').textContent()).toBe(`Brukeren ${username} er opprettet.`);
		}
		expect(one<{ n: number }>(`SELECT count(*) AS n FROM team_memberships m JOIN teams t ON t.id = m.team_id WHERE t.name = 'Poliklinikk rus'`).n).toBe(2);

		// Mona replaces the one-time password and lands on her day.
		const mona = await clinic.newPage(true);
		await signInWith(mona, 'mona', ONE_TIME);
		expect(new URL(mona.url()).pathname).toBe('/password');
		await mona.getByLabel('Nytt passord', { exact: true }).fill(MONA);
		await mona.getByLabel('Gjenta passordet').fill(MONA);
		await mona.getByRole('button', { name: 'Lagre passordet' }).click();
		await mona.waitForURL((url) => url.pathname === '/today');
		await settled(mona);
		await noViolations(mona, 'an empty day');

		// Registers a patient with a fødselsnummer, and opens an outpatient episode.
		await mona.goto('/patients');
		await settled(mona);
		await mona.getByRole('link', { name: 'Registrer pasient' }).click();
		await mona.waitForURL('**/patients/new');
		await settled(mona);
		await mona.getByLabel('Navn som vises').fill('Siri Strand');
		await mona.getByLabel('Fødselsnummer eller D-nummer (valgfritt)').fill(FNR);
		await mona.getByRole('button', { name: 'Registrer' }).click();
		await mona.waitForURL(/\/patients\/\d+\/episodes\/new$/);
		await settled(mona);
		const patientId = Number(new URL(mona.url()).pathname.split('/')[2]);
		expect(one<{ national_id: string; birth_date: string }>('SELECT national_id, birth_date FROM patients WHERE id = ?', patientId)).toEqual({ national_id: FNR, birth_date: '1990-01-01' });
		await mona.getByLabel('Planlagt slutt').fill(ymd(180));
		await mona.getByLabel('Planlagt dager mellom timene').fill('7');
		await mona.getByRole('button', { name: 'Åpne forløpet' }).click();
		await mona.waitForURL(/\/patients\/\d+\/episodes\/\d+$/);
		await settled(mona);
		const episodeId = Number(new URL(mona.url()).pathname.split('/')[4]);
		expect(one<{ setting: string; responsible: string }>('SELECT e.setting, u.username AS responsible FROM episodes e JOIN users u ON u.id = e.responsible_id WHERE e.id = ?', episodeId)).toEqual({
			setting: 'outpatient',
			responsible: 'mona'
		});

		// Books a weekly series of ten from tomorrow.
		await mona.goto(`/patients/${patientId}`);
		await settled(mona);
		await mona.getByRole('link', { name: 'Bestill eller se kommende timer' }).click();
		await mona.waitForURL(`**/patients/${patientId}/appointments`);
		await settled(mona);
		await mona.getByLabel('Dato', { exact: true }).fill(ymd(1));
		await mona.getByLabel('Klokkeslett', { exact: true }).fill('10:00');
		await mona.getByLabel('Hver uke', { exact: true }).check();
		await mona.getByLabel('Etter et antall timer').check();
		await mona.getByLabel('Antall timer', { exact: true }).fill('10');
		await mona.getByRole('button', { name: 'Bestill', exact: true }).click();
		await mona.waitForURL(/\?booked=10$/);
		await settled(mona);
		await noViolations(mona, 'booking');
		expect(one<{ n: number }>(`SELECT count(*) AS n FROM appointments WHERE episode_id = ? AND status = 'scheduled'`, episodeId).n).toBe(10);

		// Three sessions rated on the tablet, and a no-show.
		for (const marks of [
			[0.2, 0.3, 0.3, 0.3],
			[0.3, 0.4, 0.4, 0.4],
			[0.4, 0.5, 0.4, 0.5]
		]) {
			await ratedSession(mona, patientId, marks, [0.9, 0.9, 0.85, 0.9]);
		}
		expect(
			one<{ n: number }>(`SELECT count(*) AS n FROM ratings r JOIN appointments a ON a.id = r.appointment_id WHERE a.episode_id = ? AND r.source = 'tablet' AND r.rater = 'patient'`, episodeId).n
		).toBe(6);
		await mona.goto(`/patients/${patientId}`);
		await settled(mona);
		await mona.getByRole('button', { name: 'Opprett time nå' }).click();
		await mona.waitForURL(/\/appointments\/\d+$/);
		await settled(mona);
		await mona.getByLabel('Oppmøte').selectOption('no_show');
		await mona.getByRole('button', { name: 'Lagre oppmøte' }).click();
		await expect.poll(() => mona.getByRole('status').first().textContent()).toBeTruthy();
		expect(one<{ n: number }>(`SELECT count(*) AS n FROM appointments WHERE episode_id = ? AND status = 'no_show'`, episodeId).n).toBe(1);

		// Ended as a drop-out: the ending shows feedback use, asks for the discharge plan, and opens an outreach task.
		await mona.goto(`/patients/${patientId}/episodes/${episodeId}`);
		await settled(mona);
		await mona.getByRole('link', { name: 'Avslutt forløpet' }).click();
		await mona.waitForURL('**/end');
		await settled(mona);
		expect(await mona.locator('section', { hasText: 'Ble tilbakemeldingsverktøyet' }).textContent()).toContain('Begge skårer ved 3 av 3 timer');
		await mona.getByLabel(/Pasienten sluttet å komme/).check();
		await mona.getByLabel('Dato for siste time pasienten kom til').fill(ymd(0));
		await mona.getByLabel('Avslutt uten utskrivingsplan').check();
		await noViolations(mona, 'ending');
		await mona.screenshot({ path: 'test-results/acceptance-ending.png', fullPage: true });
		await mona.getByRole('button', { name: 'Avslutt forløpet' }).click();
		await mona.waitForURL(/\/outreach\/\d+$/);
		await settled(mona);
		const taskPath = new URL(mona.url()).pathname;
		expect(one<{ end_reason: string; last_attended_date: string }>('SELECT end_reason, last_attended_date FROM episodes WHERE id = ?', episodeId)).toEqual({
			end_reason: 'dropout',
			last_attended_date: ymd(0)
		});
		// The booked series after the end is cancelled by the clinic.
		expect(one<{ n: number }>(`SELECT count(*) AS n FROM appointments WHERE episode_id = ? AND status = 'scheduled'`, episodeId).n).toBe(0);

		// Two contact attempts on the outreach task.
		await mona.getByLabel('Hvordan').selectOption('phone');
		await mona.getByLabel('Resultat').selectOption('no-answer');
		await mona.getByRole('button', { name: 'Registrer forsøket' }).click();
		await mona.waitForURL(/\/outreach\/\d+$/);
		await settled(mona);
		await mona.getByLabel('Hvordan').selectOption('peer-worker');
		await mona.getByLabel('Resultat').selectOption('appointment-agreed');
		await mona.getByRole('button', { name: 'Registrer forsøket' }).click();
		await expect.poll(() => mona.locator('ol li').count()).toBe(2);
		await noViolations(mona, 'outreach');

		// Re-engaged: the episode is reopened with a reason, and the task closes as such.
		await mona.goto(`/patients/${patientId}/episodes/${episodeId}`);
		await settled(mona);
		await mona.getByLabel('Hvorfor forløpet gjenåpnes').fill('Kom tilbake etter samtale med erfaringskonsulent');
		await mona.getByRole('button', { name: 'Gjenåpne' }).click();
		await expect.poll(() => mona.locator('dl').first().textContent()).toContain('Åpent');
		await mona.goto(taskPath);
		await settled(mona);
		await expect.poll(() => mona.locator('dl').first().textContent()).toContain('Tilbake i behandling');

		// Two more sessions, then a planned completion.
		await ratedSession(mona, patientId, [0.5, 0.6, 0.5, 0.6], [0.9, 0.95, 0.9, 0.9]);
		await ratedSession(mona, patientId, [0.6, 0.7, 0.6, 0.7], [0.95, 0.95, 0.9, 0.95]);
		await mona.goto(`/patients/${patientId}/episodes/${episodeId}/end`);
		await settled(mona);
		expect(await mona.locator('section', { hasText: 'Ble tilbakemeldingsverktøyet' }).textContent()).toContain('Begge skårer ved 5 av 5 timer');
		await mona.getByLabel(/Planlagt avslutning/).check();
		await mona.getByLabel('Avslutt uten utskrivingsplan').check();
		await mona.getByRole('button', { name: 'Avslutt forløpet' }).click();
		await mona.waitForURL(new RegExp(`/patients/${patientId}/episodes/${episodeId}$`));
		await settled(mona);
		expect(one<{ end_reason: string }>('SELECT end_reason FROM episodes WHERE id = ?', episodeId).end_reason).toBe('planned_completion');

		// The patient returns: a new episode, "earlier drop-out" filled in from their history.
		await mona.goto(`/patients/${patientId}`);
		await settled(mona);
		await mona.getByRole('link', { name: 'Åpne nytt forløp' }).click();
		await mona.waitForURL('**/episodes/new');
		await settled(mona);
		await mona.getByRole('button', { name: 'Åpne forløpet' }).click();
		await mona.waitForURL(/\/episodes\/\d+(\?earlier=1)?$/);
		await settled(mona);
		await expect.poll(() => mona.getByRole('note').textContent()).toMatch(/Tidligere frafall: forløpet som sluttet/);
		const returned = Number(new URL(mona.url()).pathname.split('/')[4]);
		expect(one<{ answer: string; factor_date: string }>(`SELECT answer, factor_date FROM checklist_answers WHERE episode_id = ? AND factor_key = 'earlier-dropout'`, returned)).toEqual({
			answer: 'yes',
			factor_date: ymd(0)
		});
		await noViolations(mona, 'the new episode');

		// Nils, of the same team, sees the patient; the administrator does not.
		const nils = await clinic.newPage();
		await signInWith(nils, 'nils', ONE_TIME);
		await nils.getByLabel('Nytt passord', { exact: true }).fill('nils sin egen passfrase');
		await nils.getByLabel('Gjenta passordet').fill('nils sin egen passfrase');
		await nils.getByRole('button', { name: 'Lagre passordet' }).click();
		await nils.waitForURL((url) => url.pathname === '/today');
		await settled(nils);
		expect((await nils.goto(`/patients/${patientId}`))?.status()).toBe(200);
		expect((await admin.goto(`/patients/${patientId}`))?.status()).toBe(404);
		// Every read and change of the patient is in the trail.
		const actions = (clinic.db.prepare('SELECT DISTINCT action FROM audit_events WHERE patient_id = ? ORDER BY action').all(patientId) as { action: string }[]).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['patient_registered', 'episode_opened', 'episode_ended', 'episode_reopened', 'viewed_patient']));
	}, 180_000);
});
