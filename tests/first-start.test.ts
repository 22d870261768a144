import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityViolations } from './support/browser';
import { emptyClinic, setupLinks, signInWith as signIn } from './support/empty-clinic';

/**
 * A real clinic from an empty database (STEMME_DEMO=off, its own server): the one-time setup link
 * from the log creates the organisation and the first administrator; the admin makes a team and
 * a clinician on a one-time password, who must choose their own before anything else.
 */
const clinic = emptyClinic('first');

const ADMIN_PASSWORD = 'fjell og fjord i nord';
const ONE_TIME = 'morgen ved elva 2026';
const OWN = 'lise sitt eget passord';

function setupLink(): string {
	const links = setupLinks(clinic.server);
	expect(links).toHaveLength(1);
	return links[0]!;
}

describe('the first start without the demo', () => {
	let admin: Page;

	it('prints a one-time setup link; the page creates the organisation and the first admin, once', async () => {
		expect(clinic.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
		expect(clinic.server.output()).toContain('Stemme: no organisation yet. Open this one-time setup link within 24 hours');
		const link = setupLink();
		// Only its hash is stored.
		expect(JSON.stringify(clinic.db.prepare('SELECT * FROM setup_tokens').all())).not.toContain(new URL(link).searchParams.get('token'));
		const p = await clinic.newPage();
		expect((await p.goto(`${clinic.server.url}/setup?token=${'a'.repeat(32)}`))?.status()).toBe(404);
		expect((await p.goto(link))?.status()).toBe(200);
		expect(await accessibilityViolations(p)).toEqual([]);
		await p.screenshot({ path: 'test-results/setup.png', fullPage: true });

		await p.getByLabel('Navn på virksomheten').fill('Klinikk Nord');
		await p.getByLabel('Navn', { exact: true }).fill('Ada Admin');
		await p.getByLabel('Brukernavn').fill('ada');
		await p.getByLabel('Passord', { exact: true }).fill('sommer2024');
		await p.getByLabel('Gjenta passordet').fill('sommer2024');
		await p.getByRole('button', { name: 'Opprett virksomheten' }).click();
		await expect.poll(() => p.getByRole('alert').textContent()).toBe('Passord må ha minst 12 tegn. En passfrase av flere ord er lettest å huske.');
		expect(await p.getByLabel('Passord', { exact: true }).getAttribute('aria-invalid')).toBe('true');
		expect(await p.getByLabel('Navn på virksomheten').inputValue()).toBe('Klinikk Nord');
		expect(clinic.db.prepare('SELECT count(*) AS n FROM organisations').get()).toEqual({ n: 0 });
		expect(await accessibilityViolations(p)).toEqual([]);
		await p.screenshot({ path: 'test-results/setup-refused.png', fullPage: true });

		await p.getByLabel('Passord', { exact: true }).fill(ADMIN_PASSWORD);
		await p.getByLabel('Gjenta passordet').fill(ADMIN_PASSWORD);
		await p.getByRole('button', { name: 'Opprett virksomheten' }).click();
		await p.waitForURL(/\/login\?setup=done$/);
		expect(await p.getByRole('status').textContent()).toBe('Virksomheten er opprettet. Logg inn som administrator.');
		expect(clinic.db.prepare('SELECT o.name AS org, u.username, u.role FROM users u JOIN organisations o ON o.id = u.organisation_id').all()).toEqual([
			{ org: 'Klinikk Nord', username: 'ada', role: 'admin' }
		]);
		// Used once: the link is dead now.
		expect((await p.goto(link))?.status()).toBe(404);
		admin = p;
		await signIn(admin, 'ada', ADMIN_PASSWORD);
	});

	it('the admin makes a team and a clinician on a one-time password; the clinician must choose their own before any page', async () => {
		await admin.goto('/admin/teams');
		expect(await admin.getByText('Ingen team ennå.', { exact: false }).count()).toBe(1);
		await admin.getByLabel('Navn på teamet').fill('Poliklinikk rus');
		await admin.getByLabel('Vanlig behandlingsform').selectOption('outpatient');
		await admin.getByRole('button', { name: 'Opprett team' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('Teamet Poliklinikk rus er opprettet.');
		await admin.getByLabel('Navn på teamet', { exact: true }).last().fill('Døgn rus');
		await admin.getByLabel('Vanlig behandlingsform').last().selectOption('inpatient');
		await admin.getByRole('button', { name: 'Opprett team' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('Teamet Døgn rus er opprettet.');
		// The same name again is refused, naming the field.
		await admin.getByLabel('Navn på teamet', { exact: true }).last().fill('døgn RUS');
		await admin.getByRole('button', { name: 'Opprett team' }).click();
		await expect.poll(() => admin.getByRole('alert').textContent()).toBe('Navn på teamet: det finnes allerede et team som heter døgn RUS.');
		expect(await accessibilityViolations(admin)).toEqual([]);
		await admin.screenshot({ path: 'test-results/admin-teams.png', fullPage: true });
		expect(clinic.db.prepare('SELECT name, default_setting AS s FROM teams ORDER BY name').all()).toEqual([
			{ name: 'Døgn rus', s: 'inpatient' },
			{ name: 'Poliklinikk rus', s: 'outpatient' }
		]);

		await admin.goto('/admin/users');
		await admin.getByLabel('Brukernavn', { exact: true }).fill('lise');
		await admin.getByLabel('Navn', { exact: true }).fill('Lise Lund');
		await admin.getByLabel('Rolle', { exact: true }).selectOption('clinician');
		await admin.getByLabel('Poliklinikk rus').check();
		await admin.getByLabel('Døgn rus').check();
		await admin.getByLabel('Startpassord', { exact: true }).fill(ONE_TIME);
		await admin.getByRole('button', { name: 'Opprett bruker' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('Brukeren lise er opprettet.');
		expect(await admin.getByRole('row', { name: /Lise Lund lise/ }).textContent()).toMatch(/Døgn rus, Poliklinikk rus/);
		expect(await accessibilityViolations(admin)).toEqual([]);
		await admin.screenshot({ path: 'test-results/admin-users-new.png', fullPage: true });
		const lise = clinic.db.prepare("SELECT id, must_change_password AS m FROM users WHERE username = 'lise'").get() as { id: number; m: number };
		expect(lise.m).toBe(1);
		expect(clinic.db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'team_member_added' AND detail LIKE ?").get(`user ${lise.id} to team %`)).toEqual({ n: 2 });

		const clinician = await clinic.newPage();
		await signIn(clinician, 'lise', ONE_TIME);
		expect(new URL(clinician.url()).pathname).toBe('/password');
		await clinician.goto('/patients');
		expect(new URL(clinician.url()).pathname).toBe('/password');
		await clinician.getByLabel('Nytt passord', { exact: true }).fill(OWN);
		await clinician.getByLabel('Gjenta passordet').fill(OWN);
		await clinician.getByRole('button', { name: 'Lagre passordet' }).click();
		await clinician.waitForURL((url) => url.pathname === '/patients');
	});

	it('the user page edits, resets a password and deactivates after a confirmation', async () => {
		const lise = (clinic.db.prepare("SELECT id FROM users WHERE username = 'lise'").get() as { id: number }).id;
		await admin.goto('/admin/users');
		await admin.getByRole('link', { name: 'Lise Lund' }).click();
		await admin.waitForURL(`**/admin/users/${lise}`);
		await admin.getByLabel('Rolle', { exact: true }).selectOption('team_lead');
		await admin.getByLabel('Døgn rus').uncheck();
		await admin.getByRole('button', { name: 'Lagre endringene' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('lise er lagret.');
		expect(clinic.db.prepare('SELECT role FROM users WHERE id = ?').get(lise)).toEqual({ role: 'team_lead' });
		expect(clinic.db.prepare('SELECT count(*) AS n FROM team_memberships WHERE user_id = ?').get(lise)).toEqual({ n: 1 });
		expect(await accessibilityViolations(admin)).toEqual([]);
		await admin.screenshot({ path: 'test-results/admin-user-edit.png', fullPage: true });

		await admin.getByLabel('Engangspassord', { exact: true }).fill(ONE_TIME);
		await admin.getByRole('button', { name: 'Sett engangspassord' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('lise har fått et engangspassord og er logget ut overalt.');
		expect(clinic.db.prepare('SELECT must_change_password AS m FROM users WHERE id = ?').get(lise)).toEqual({ m: 1 });
		expect(clinic.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(lise)).toEqual({ n: 0 });

		await admin.getByRole('button', { name: 'Deaktiver Lise Lund' }).click();
		await admin.getByRole('heading', { name: 'Deaktivere Lise Lund?' }).waitFor();
		await admin.getByRole('button', { name: 'Ja, deaktiver Lise Lund' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('lise er deaktivert og logget ut overalt.');
		expect(clinic.db.prepare('SELECT disabled_at IS NOT NULL AS d FROM users WHERE id = ?').get(lise)).toEqual({ d: 1 });
		// The admin's audit trail: the events and the records, nothing clinical.
		const events = clinic.db
			.prepare('SELECT action FROM audit_events ORDER BY id')
			.all()
			.map((e) => (e as { action: string }).action);
		expect(events).toEqual(expect.arrayContaining(['setup_completed', 'team_created', 'user_created', 'team_member_added', 'team_member_removed', 'user_changed', 'password_reset', 'user_disabled']));
	});
});
