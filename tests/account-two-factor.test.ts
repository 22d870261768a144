import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityViolations } from './support/browser';
import { emptyClinic, settled, setupLinks, signInWith } from './support/empty-clinic';
import { codeFor, nextCode, scan, stepNow } from './support/two-factor';

/**
 * A clinician turns on two factors from the account page, and can then sign in from outside the
 * clinic's networks (docs/clinical/sign-in-and-logs.md: two factors over an outside network). The
 * server trusts an address header here, so one browser is inside the clinic (10.20.0.0/16) and
 * another outside; the phone reads the QR code (the PNG decoded and scanned).
 */
const clinic = emptyClinic('account-two-factor', { STEMME_CLINIC_NETWORKS: '10.20.0.0/16', ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
const INSIDE = { 'x-forwarded-for': '10.20.3.4' };
const OUTSIDE = { 'x-forwarded-for': '198.51.100.23' };
const ADMIN = { username: 'ada', password: 'fjell og fjord i nord' };
const NILS = { username: 'nils', password: 'elva renner mot havet' };
const ONE_TIME = 'et engangspassord fra admin';

async function passwordOnly(p: Page, who: { username: string; password: string }): Promise<void> {
	await p.goto('/login');
	await settled(p);
	await p.getByLabel('Brukernavn').fill(who.username);
	await p.getByLabel('Passord').fill(who.password);
	await p.getByRole('button', { name: 'Logg inn' }).click();
}

/** Audit rows of the action done by nils. */
const audited = (action: string): number =>
	(clinic.db.prepare("SELECT count(*) AS n FROM audit_events a JOIN users u ON u.id = a.user_id WHERE a.action = ? AND u.username = 'nils'").get(action) as { n: number }).n;

describe('two factors from the account page', { timeout: 90_000 }, () => {
	let admin: Page;
	let nils: Page;
	let secret = '';

	it('inside the clinic: the administrator makes a team and a clinician, who chooses a password', async () => {
		admin = await clinic.newPage(false, INSIDE);
		await admin.goto(setupLinks(clinic.server)[0]!);
		await admin.getByLabel('Navn på virksomheten').fill('Klinikk Øst');
		await admin.getByLabel('Navn', { exact: true }).fill('Ada Admin');
		await admin.getByLabel('Brukernavn').fill(ADMIN.username);
		await admin.getByLabel('Passord', { exact: true }).fill(ADMIN.password);
		await admin.getByLabel('Gjenta passordet').fill(ADMIN.password);
		await admin.getByRole('button', { name: 'Opprett virksomheten' }).click();
		// Hashing the admin's password and making the organisation: seconds on a busy machine.
		await admin.waitForURL(/\/login\?setup=done$/, { timeout: 30_000 });
		await signInWith(admin, ADMIN.username, ADMIN.password, clinic.db);
		await admin.goto('/admin/teams');
		await settled(admin);
		await admin.getByLabel('Navn på teamet').fill('Poliklinikk rus');
		await admin.getByLabel('Vanlig behandlingsform').selectOption('outpatient');
		await admin.getByRole('button', { name: 'Opprett team' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('Teamet Poliklinikk rus er opprettet.');
		await admin.goto('/admin/users');
		await settled(admin);
		await admin.getByLabel('Brukernavn', { exact: true }).fill(NILS.username);
		await admin.getByLabel('Navn', { exact: true }).fill('Nils Nes');
		await admin.getByLabel('Rolle', { exact: true }).selectOption('clinician');
		await admin.getByLabel('Poliklinikk rus').check();
		await admin.getByLabel('Startpassord', { exact: true }).fill(ONE_TIME);
		await admin.getByRole('button', { name: 'Opprett bruker' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('Brukeren nils er opprettet.');

		nils = await clinic.newPage(false, INSIDE);
		await signInWith(nils, NILS.username, ONE_TIME);
		await nils.getByLabel('Nytt passord', { exact: true }).fill(NILS.password);
		await nils.getByLabel('Gjenta passordet').fill(NILS.password);
		await nils.getByRole('button', { name: 'Lagre passordet' }).click();
		await nils.waitForURL((url) => url.pathname === '/today');
	});

	it('outside the clinic without a second factor, the password alone is refused', async () => {
		const away = await clinic.newPage(false, OUTSIDE);
		await passwordOnly(away, NILS);
		await expect.poll(() => away.getByRole('alert').textContent()).toMatch(/feil/i);
		expect(new URL(away.url()).pathname).toBe('/login');
	});

	it('on the account page: the QR code carries the key written out; a wrong code is refused, the right one turns it on', async () => {
		await nils.goto('/account');
		await settled(nils);
		await expect.poll(() => nils.getByText('Av. Uten den kan du bare logge inn fra klinikkens nettverk.').count()).toBe(1);
		await nils.getByText('Sett opp totrinnsbekreftelse').click();
		const uri = scan((await nils.getByRole('img', { name: 'QR-kode som legger Stemme til i autentiseringsappen' }).getAttribute('src'))!);
		expect([uri.protocol, uri.hostname, decodeURIComponent(uri.pathname), uri.searchParams.get('issuer')]).toEqual(['otpauth:', 'totp', '/Stemme:nils', 'Stemme']);
		secret = uri.searchParams.get('secret')!;
		expect((await nils.locator('.key code').textContent())!.replaceAll(' ', '')).toBe(secret);
		expect(await accessibilityViolations(nils)).toEqual([]);
		await nils.screenshot({ path: 'test-results/account-two-factor-setup.png', fullPage: true });

		await nils.getByLabel('Kode fra appen').fill(codeFor(secret, stepNow() + 4));
		await nils.getByRole('button', { name: 'Bekreft og slå på' }).click();
		await expect.poll(() => nils.getByRole('alert').textContent()).toBe('Kode fra appen: koden er feil eller allerede brukt. Skriv inn koden appen viser nå.');
		// The same key again (the app has it), and nothing stored.
		expect(scan((await nils.getByRole('img', { name: /QR-kode/ }).getAttribute('src'))!).searchParams.get('secret')).toBe(secret);
		expect(clinic.db.prepare("SELECT count(*) AS n FROM user_totp t JOIN users u ON u.id = t.user_id WHERE u.username = 'nils'").get()).toEqual({ n: 0 });

		const before = await nils.context().cookies();
		await nils.getByLabel('Kode fra appen').fill(codeFor(secret, stepNow()));
		await nils.getByRole('button', { name: 'Bekreft og slå på' }).click();
		await expect.poll(() => nils.locator('.codes li').count()).toBe(10);
		expect(await accessibilityViolations(nils)).toEqual([]);
		await nils.screenshot({ path: 'test-results/account-two-factor-codes.png', fullPage: true });
		// Turning it on renews the session's token.
		const after = await nils.context().cookies();
		expect(after.find((c) => c.name === 'stemme_session')!.value).not.toBe(before.find((c) => c.name === 'stemme_session')!.value);
		expect(audited('second_factor_enrolled')).toBe(1);
	});

	it('renewing the recovery codes shows a new set once; the page then tells how many are left', async () => {
		await nils.goto('/account');
		await settled(nils);
		await expect.poll(() => nils.getByText(/Ubrukte gjenopprettingskoder: 10\./).count()).toBe(1);
		await nils.getByRole('button', { name: 'Lag nye gjenopprettingskoder' }).click();
		await expect.poll(() => nils.locator('.codes li').count()).toBe(10);
		expect(audited('recovery_codes_renewed')).toBe(1);
		await nils.goto('/account');
		await settled(nils);
		expect(await nils.locator('.codes li').count()).toBe(0);
		expect(await accessibilityViolations(nils)).toEqual([]);
		await nils.screenshot({ path: 'test-results/account-two-factor-on.png', fullPage: true });
	});

	it('from outside the clinic, the password and then a code from the app let the clinician in', async () => {
		const away = await clinic.newPage(false, OUTSIDE);
		await passwordOnly(away, NILS);
		await away.waitForURL(/\/login\/two-factor/);
		await settled(away);
		const before = (await away.context().cookies()).find((c) => c.name === 'stemme_session')!;
		await away.getByLabel('Kode fra appen').fill(await nextCode(clinic.db, NILS.username));
		await away.getByRole('button', { name: 'Bekreft', exact: true }).click();
		await away.waitForURL((url) => url.pathname === '/today');
		// A new token after the code; the one from before it opens nothing.
		expect((await away.context().cookies()).find((c) => c.name === 'stemme_session')!.value).not.toBe(before.value);
		const stale = await clinic.newPage(false, OUTSIDE);
		await stale.context().addCookies([before]);
		await stale.goto('/today');
		expect(new URL(stale.url()).pathname).toBe('/login');
		const rows = clinic.db.prepare("SELECT a.action, a.address FROM audit_events a JOIN users u ON u.id = a.user_id WHERE u.username = 'nils' AND a.action = 'second_factor_passed'").all();
		expect(rows).toEqual([{ action: 'second_factor_passed', address: OUTSIDE['x-forwarded-for'] }]);
	});

	it('turning it off takes a current code; the administrator can reset it, and keeps their own', async () => {
		await nils.goto('/account');
		await settled(nils);
		await nils.getByLabel('Kode fra appen').fill('000000' === codeFor(secret, stepNow()) ? '111111' : '000000');
		await nils.getByRole('button', { name: 'Slå av totrinnsbekreftelse' }).click();
		await expect.poll(() => nils.getByRole('alert').textContent()).toBe('Kode fra appen: koden er feil eller allerede brukt. Skriv inn koden appen viser nå.');
		expect(clinic.db.prepare("SELECT count(*) AS n FROM user_totp t JOIN users u ON u.id = t.user_id WHERE u.username = 'nils'").get()).toEqual({ n: 1 });

		// The administrator's own account page: no way to turn it off.
		await admin.goto('/account');
		await settled(admin);
		await expect.poll(() => admin.getByText(/Administratorer må beholde totrinnsbekreftelse/).count()).toBe(1);
		expect(await admin.getByRole('button', { name: 'Slå av totrinnsbekreftelse' }).count()).toBe(0);

		const id = (clinic.db.prepare("SELECT id FROM users WHERE username = 'nils'").get() as { id: number }).id;
		await admin.goto(`/admin/users/${id}`);
		await settled(admin);
		await admin.getByRole('button', { name: 'Nullstill totrinnsbekreftelse' }).click();
		await expect.poll(() => admin.getByRole('status').textContent()).toBe('Totrinnsbekreftelsen til nils er nullstilt, og alle øktene er avsluttet.');
		expect(await accessibilityViolations(admin)).toEqual([]);
		expect(clinic.db.prepare("SELECT count(*) AS n FROM user_totp t JOIN users u ON u.id = t.user_id WHERE u.username = 'nils'").get()).toEqual({ n: 0 });
		expect(clinic.db.prepare("SELECT detail FROM audit_events WHERE action = 'second_factor_removed'").all()).toEqual([{ detail: `user ${id}: reset, sessions ended` }]);
		// Nils's session has ended with it.
		await nils.goto('/account');
		expect(new URL(nils.url()).pathname).toBe('/login');
	});
});
