import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, launchBrowser, newContext, readDatabase, signIn } from './support/browser';

/**
 * Security: an admin creates a user (a weak password is refused, naming the field),
 * the user signs in elsewhere, changes their password and signs out everywhere; the admin
 * disables them and their open page lands on the sign-in page; the audit log filters; a patient's
 * data is exported and erased.
 */
let browser: Browser;
let db: Database.Database;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
	browser = await launchBrowser();
	db = readDatabase();
	mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
	for (const c of contexts) await c.close().catch(() => undefined);
	db?.close();
	await browser?.close();
});

async function signedIn(username: string, password?: string): Promise<Page> {
	const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
	contexts.push(context);
	const page = await context.newPage();
	await signIn(page, username, password);
	return page;
}

// Unique per run: the browser test files share one database.
const username = `test-${Date.now().toString(36)}`;
/** What the admin sets: a one-time password the user replaces with FIRST at the first sign-in. */
const ONE_TIME = 'gul sol over åsen';
const FIRST = 'grønn hest på taket';
const SECOND = 'blå fisk i fjæra nå';

describe('users and accounts', () => {
	let admin: Page;

	it('an admin creates a user; a weak password is refused with the field named', async () => {
		admin = await signedIn('admin');
		await admin.getByRole('link', { name: 'Administrasjon' }).click();
		await admin.waitForURL('**/admin/users');
		expect(await admin.locator('tbody tr').count()).toBeGreaterThanOrEqual(5);
		expect(await accessibilityViolations(admin)).toEqual([]);

		await admin.getByLabel('Brukernavn', { exact: true }).fill(username);
		await admin.getByLabel('Navn', { exact: true }).fill('Test Testesen');
		await admin.getByLabel('Rolle', { exact: true }).selectOption('clinician');
		await admin.getByLabel('Poliklinikk voksne', { exact: true }).check();
		await admin.getByLabel('Startpassord', { exact: true }).fill('sommer2024');
		await admin.getByRole('button', { name: 'Opprett bruker' }).click();
		await expect.poll(() => admin.getByRole('alert').textContent()).toBe('Startpassord må ha minst 12 tegn. En passfrase av flere ord er lettest å huske.');
		// The fields are kept, the password is not.
		expect(await admin.getByLabel('Brukernavn', { exact: true }).inputValue()).toBe(username);
		expect(await admin.getByLabel('Startpassord', { exact: true }).getAttribute('aria-invalid')).toBe('true');
		expect(await accessibilityViolations(admin)).toEqual([]);

		await admin.getByLabel('Startpassord', { exact: true }).fill('Velkommen12345');
		await admin.getByRole('button', { name: 'Opprett bruker' }).click();
		await expect.poll(() => admin.getByRole('alert').textContent()).toMatch(/^Startpassord er blant de vanligste passordene/);

		await admin.getByLabel('Startpassord', { exact: true }).fill(ONE_TIME);
		await admin.getByRole('button', { name: 'Opprett bruker' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe(`Brukeren ${username} er opprettet.`);
		expect(await admin.getByRole('row', { name: new RegExp(`Test Testesen ${username}`) }).textContent()).toMatch(/Behandler.*Poliklinikk voksne.*Aktiv/);
		await admin.screenshot({ path: 'test-results/admin-users.png', fullPage: true });
		const row = db.prepare('SELECT role, disabled_at, must_change_password FROM users WHERE username = ?').get(username);
		expect(row).toEqual({ role: 'clinician', disabled_at: null, must_change_password: 1 });
		// Joining the team is audited as such.
		expect(
			db
				.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'team_member_added' AND detail LIKE ?")
				.get(`user ${(db.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number }).id} to team %`)
		).toEqual({ n: 1 });
	});

	it('the password the admin chose opens nothing but the page that replaces it: no patient, no export', async () => {
		const user = await signedIn(username, ONE_TIME);
		expect(new URL(user.url()).pathname).toBe('/password');
		const patient = (db.prepare("SELECT p.id FROM patients p JOIN teams t ON t.id = p.team_id WHERE t.name = 'Poliklinikk voksne' ORDER BY p.id LIMIT 1").get() as { id: number }).id;
		for (const path of ['/patients', `/patients/${patient}`, '/meetings', '/account']) {
			await user.goto(path);
			expect([path, new URL(user.url()).pathname]).toEqual([path, '/password']);
		}
		const exported = await user.request.get(`/patients/${patient}/export`, { maxRedirects: 0 });
		expect(exported.status()).toBe(303);
		expect(exported.headers()['location']).toMatch(/^\/password\?next=/);
		expect(exported.headers()['content-type'] ?? '').not.toContain('json');
		expect(await accessibilityViolations(user)).toEqual([]);
		await user.screenshot({ path: 'test-results/password-change.png', fullPage: true });
		// Keeping the admin's password is refused.
		await user.getByLabel('Nytt passord', { exact: true }).fill(ONE_TIME);
		await user.getByLabel('Gjenta passordet', { exact: true }).fill(ONE_TIME);
		await user.getByRole('button', { name: 'Lagre passordet' }).click();
		await expect.poll(() => user.getByRole('alert').textContent()).toBe('Nytt passord: velg et annet enn engangspassordet.');
		await user.getByLabel('Nytt passord', { exact: true }).fill(FIRST);
		await user.getByLabel('Gjenta passordet', { exact: true }).fill(FIRST);
		await user.getByRole('button', { name: 'Lagre passordet' }).click();
		// Back to where the user was going (the last page asked for).
		await user.waitForURL((url) => url.pathname === '/account');
		expect(db.prepare('SELECT must_change_password AS m FROM users WHERE username = ?').get(username)).toEqual({ m: 0 });
		expect((await user.request.get(`/patients/${patient}/export`, { maxRedirects: 0 })).status()).toBe(200);
		// The admin's one-time password opens nothing any more.
		const again = await newContext(browser);
		contexts.push(again);
		const page = await again.newPage();
		await page.goto('/login');
		await page.getByLabel('Brukernavn').fill(username);
		await page.getByLabel('Passord').fill(ONE_TIME);
		await page.getByRole('button', { name: 'Logg inn' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toBe('Feil brukernavn eller passord.');
	});

	it('the new user signs in elsewhere, has no admin area, changes the password and signs out everywhere', async () => {
		const user = await signedIn(username, FIRST);
		expect(await user.getByRole('link', { name: 'Administrasjon' }).count()).toBe(0);
		expect((await user.goto('/admin/users'))?.status()).toBe(403);
		await user.goto('/patients');
		await user.getByRole('link', { name: 'Min konto' }).click();
		await user.waitForURL('**/account');
		expect(await accessibilityViolations(user)).toEqual([]);

		await user.getByLabel('Nåværende passord').fill(FIRST);
		await user.getByLabel('Nytt passord', { exact: true }).fill(username);
		await user.getByLabel('Gjenta nytt passord').fill(username);
		await user.getByRole('button', { name: 'Bytt passord' }).click();
		await expect.poll(() => user.getByRole('alert').textContent()).toBe('Nytt passord kan ikke være det samme som brukernavnet.');

		// A second device, signed in with the first password, is signed out by the change.
		const other = await signedIn(username, FIRST);
		await user.getByLabel('Nåværende passord').fill(FIRST);
		await user.getByLabel('Nytt passord', { exact: true }).fill(SECOND);
		await user.getByLabel('Gjenta nytt passord').fill(SECOND);
		await user.getByRole('button', { name: 'Bytt passord' }).click();
		await expect.poll(() => user.getByRole('status').textContent()).toBe('Passordet er byttet. Du er logget ut på alle andre enheter.');
		await user.screenshot({ path: 'test-results/account.png', fullPage: true });
		await other.goto('/patients');
		expect(new URL(other.url()).pathname).toBe('/login');

		// Signed in again on the other device; "sign out everywhere" ends both.
		await signIn(other, username, SECOND);
		await user.getByRole('button', { name: 'Logg ut overalt' }).click();
		await user.waitForURL('**/login');
		await other.goto('/patients');
		expect(new URL(other.url()).pathname).toBe('/login');
		const actions = db
			.prepare("SELECT action FROM audit_events WHERE user_id = (SELECT id FROM users WHERE username = ?) AND action IN ('password_changed', 'signed_out_everywhere') ORDER BY id")
			.all(username);
		// The first change replaced the admin's one-time password.
		expect(actions).toEqual([{ action: 'password_changed' }, { action: 'password_changed' }, { action: 'signed_out_everywhere' }]);
	});

	it('disabling the user ends their session: the next request lands on sign-in', async () => {
		const user = await signedIn(username, SECOND);
		await admin.goto('/admin/users');
		await admin.getByRole('button', { name: 'Deaktiver Test Testesen' }).click();
		// It asks first, saying what will happen; nothing is changed until confirmed.
		await admin.getByRole('heading', { name: 'Deaktivere Test Testesen?' }).waitFor();
		expect(db.prepare('SELECT disabled_at FROM users WHERE username = ?').get(username)).toEqual({ disabled_at: null });
		expect(await accessibilityViolations(admin)).toEqual([]);
		await admin.getByRole('button', { name: 'Ja, deaktiver Test Testesen' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe(`${username} er deaktivert og logget ut overalt.`);
		expect(await admin.getByRole('row', { name: new RegExp(username) }).textContent()).toMatch(/Deaktivert/);
		await user.goto('/patients');
		expect(new URL(user.url()).pathname).toBe('/login');
		expect(db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)').get(username)).toEqual({ n: 0 });
	});

	it('the audit log filters by action and user, and its view is audited', async () => {
		await admin.getByRole('link', { name: 'Hendelseslogg' }).click();
		await admin.waitForURL('**/admin/audit');
		expect(await accessibilityViolations(admin)).toEqual([]);
		await admin.getByLabel('Hendelse', { exact: true }).selectOption('user_disabled');
		await admin.getByRole('button', { name: 'Vis' }).click();
		await admin.waitForURL(/action=user_disabled/);
		const rows = admin.locator('tbody tr');
		await expect.poll(() => rows.first().textContent()).toContain(`user_disabled`);
		expect(await rows.first().textContent()).toContain(username);
		expect(await rows.allTextContents()).toEqual((await rows.allTextContents()).filter((t) => t.includes('user_disabled')));
		await admin.getByLabel('Bruker', { exact: true }).selectOption({ label: `Test Testesen (${username})` });
		await admin.getByLabel('Hendelse', { exact: true }).selectOption('');
		await admin.getByRole('button', { name: 'Vis' }).click();
		await admin.waitForURL(/user=\d+/);
		expect((await rows.allTextContents()).some((t) => t.includes('signed_out_everywhere'))).toBe(true);
		expect(await accessibilityViolations(admin)).toEqual([]);
		await admin.screenshot({ path: 'test-results/admin-audit.png', fullPage: true });
		const viewed = db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'viewed_audit_log' AND user_id = (SELECT id FROM users WHERE username = 'admin')").get() as { n: number };
		expect(viewed.n).toBeGreaterThanOrEqual(3);
	});
});

describe('the patient’s data rights', () => {
	it('exports everything as a download, and erases the patient for good after confirmation', async () => {
		// A team B patient that no other browser test uses, outside any group session.
		const target = db
			.prepare(
				`SELECT p.id, p.code FROM patients p JOIN teams t ON t.id = p.team_id
				 WHERE t.name != 'Poliklinikk voksne' AND p.erased_at IS NULL AND p.id NOT IN (1, 2, 3, 11, 12, 23, 30)
				 AND NOT EXISTS (SELECT 1 FROM appointments a JOIN episodes e ON e.id = a.episode_id WHERE e.patient_id = p.id AND (a.is_group = 1 OR a.group_session_id IS NOT NULL))
				 ORDER BY p.id DESC LIMIT 1`
			)
			.get() as { id: number; code: string };
		// The treating team downloads everything for the patient (the right of access).
		const lead = await signedIn('ingrid');
		await lead.goto(`/patients/${target.id}`);
		const [download] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('link', { name: 'Last ned alle data (JSON)' }).click()]);
		const data = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { patient: { code: string }; episodes: unknown[]; ratings: unknown[]; auditEvents: { action: string }[] };
		expect(data.patient.code).toBe(target.code);
		expect(data.episodes.length).toBeGreaterThan(0);
		expect(data.ratings.length).toBeGreaterThan(0);
		expect(data.auditEvents.at(-1)?.action).toBe('exported_patient');
		const response = await lead.request.get(`/patients/${target.id}/export`);
		expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="stemme-/);
		expect(response.headers()['cache-control']).toBe('no-store');

		// The administrator erases by code, without ever opening the record.
		const admin = await signedIn('admin');
		expect((await admin.goto(`/patients/${target.id}`))?.status()).toBe(404);
		await admin.goto('/admin/patients');
		await admin.getByLabel('Pasientkode', { exact: true }).fill(target.code);
		await admin.getByLabel('Skriv pasientkoden på nytt for å bekrefte').fill('feil-kode');
		await admin.getByLabel('Begrunnelse').fill('Pasienten ba skriftlig om sletting.');
		await admin.getByRole('button', { name: 'Slett pasientens data for godt' }).click();
		await expect.poll(() => admin.locator('#erase-error').textContent()).toBe('Skriv pasientkoden på nytt for å bekrefte: kodene er ikke like.');
		expect(await accessibilityViolations(admin)).toEqual([]);
		await admin.screenshot({ path: 'test-results/admin-erase.png', fullPage: true });
		expect(await admin.getByLabel('Begrunnelse').inputValue()).toBe('Pasienten ba skriftlig om sletting.');
		expect(await admin.getByLabel('Pasientkode', { exact: true }).inputValue()).toBe(target.code);
		await admin.getByLabel('Skriv pasientkoden på nytt for å bekrefte').fill(target.code);
		await admin.getByRole('button', { name: 'Slett pasientens data for godt' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe(`Dataene til pasienten med koden ${target.code} er slettet.`);
		expect((await lead.goto(`/patients/${target.id}`))?.status()).toBe(404);
		expect(db.prepare('SELECT count(*) AS n FROM episodes WHERE patient_id = ?').get(target.id)).toEqual({ n: 0 });
		expect(db.prepare('SELECT code, erased_at IS NOT NULL AS erased FROM patients WHERE id = ?').get(target.id)).toEqual({ code: `slettet-${target.id}`, erased: 1 });
		const erased = db.prepare("SELECT detail FROM audit_events WHERE patient_id = ? AND action = 'erased_patient'").get(target.id) as { detail: string };
		// The erasure names its reason; the erased code is gone from the trail as from the record.
		expect(erased.detail).toBe('reason: Pasienten ba skriftlig om sletting.');
		expect(erased.detail).not.toContain(target.code);
	});
});
