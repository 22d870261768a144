import { describe, expect, it } from 'vitest';
import { accessibilityViolations, baseURL, signIn } from '../support/browser';
import { giveBack, handOver, openAppointmentNow, tabletSuite, TEAM_A } from '../support/tablet';

/**
 * Who is asking, held on the server: patient mode is a state of the staff session, a page's data
 * is never loaded (and audited) for a link only hovered, and every audit event says where the
 * request came from.
 */
const suite = tabletSuite();
const { ongoing, tablet } = suite;

const count = (sql: string, ...args: unknown[]): number =>
	(
		suite
			.db()
			.prepare(sql)
			.get(...args) as { n: number }
	).n;
const userId = (username: string): number => (suite.db().prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number }).id;

describe('patient mode survives a browser restart (the session row holds it)', () => {
	it('refuses the caseload, a record and the JSON export to a browser that kept only the staff cookie', async () => {
		const { context, page } = await tablet();
		const patientId = ongoing(TEAM_A)[12]!;
		await openAppointmentNow(page, 'ola', patientId);
		await handOver(page, 'Gi til pasienten – start av timen');
		// A browser restart drops session cookies and keeps persistent ones: the staff cookie (12 h)
		// is all that is left. Before, a separate session cookie held patient mode and went with it.
		const cookies = await context.cookies();
		const persistent = cookies.filter((c) => c.expires > 0);
		expect(persistent.map((c) => c.name)).toContain('stemme_session');
		await context.close();

		const restarted = await suite.browser().newContext({ baseURL: baseURL(), locale: 'nb-NO' });
		await restarted.addCookies(persistent);
		const request = restarted.request;
		for (const path of ['/patients', `/patients/${patientId}`, `/patients/${patientId}/export`, '/meetings', '/account']) {
			const answer = await request.get(path, { maxRedirects: 0 });
			expect([path, answer.status(), answer.headers()['location']]).toEqual([path, 303, '/rate']);
		}
		const exported = count("SELECT count(*) AS n FROM audit_events WHERE action = 'exported_patient' AND patient_id = ?", patientId);
		expect(exported).toBe(0);
		// The restarted browser is shown the patient's form, and the PIN takes the tablet back.
		const again = await restarted.newPage();
		await again.goto('/patients');
		await again.waitForURL(/\/rate$/);
		await again.locator('main[data-ready]').waitFor();
		expect(await accessibilityViolations(again)).toEqual([]);
		await giveBack(again);
		await again.waitForURL(/\/appointments\/\d+$/);
		expect((await request.get(`/patients/${patientId}`, { maxRedirects: 0 })).status()).toBe(200);
		await restarted.close();
	});
});

describe('hovering over links opens no record', () => {
	it('writes no viewed_patient row for three hovered patients, and one for the patient opened', async () => {
		const { context, page } = await tablet();
		await signIn(page, 'kari');
		await page.goto('/patients');
		const kari = userId('kari');
		const views = (): number => count("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND action = 'viewed_patient'", kari);
		const before = views();
		const links = page.locator('main table a[href^="/patients/"]');
		expect(await links.count()).toBeGreaterThanOrEqual(3);
		const requests: string[] = [];
		page.on('request', (r) => requests.push(r.url()));
		for (let i = 0; i < 3; i++) {
			await links.nth(i).hover();
			// SvelteKit starts a hover preload after 20 ms; give it ample time to have happened.
			await page.waitForTimeout(400);
		}
		expect(requests.filter((u) => u.includes('__data.json'))).toEqual([]);
		expect(views()).toBe(before);
		const href = (await links.nth(1).getAttribute('href'))!;
		await links.nth(1).click();
		await page.waitForURL((url) => url.pathname === href.split('#')[0]);
		await page.getByRole('heading', { level: 1 }).waitFor();
		expect(views()).toBe(before + 1);
		await context.close();
	});
});

describe('list pages audit each patient they show, in one row per page view', () => {
	it('links the caseload row to every patient on the page, and the patient’s export finds it', async () => {
		const { context, page } = await tablet();
		await signIn(page, 'kari');
		await page.goto('/patients');
		const shownOnPage = await page.locator('main table a[href^="/patients/"]').evaluateAll((as) => [...new Set(as.map((a) => Number(new URL((a as HTMLAnchorElement).href).pathname.split('/')[2])))]);
		const row = suite.db().prepare("SELECT id, address FROM audit_events WHERE user_id = ? AND action = 'viewed_patient_list' ORDER BY id DESC LIMIT 1").get(userId('kari')) as {
			id: number;
			address: string | null;
		};
		const linked = (suite.db().prepare('SELECT patient_id AS id FROM audit_event_patients WHERE event_id = ? ORDER BY patient_id').all(row.id) as { id: number }[]).map((r) => r.id);
		expect(linked).toEqual([...shownOnPage].sort((a, b) => a - b));
		expect(row.address).not.toBeNull();
		// The patient's own access log (their export) lists the caseload view that showed them.
		const exported = await context.request.get(`/patients/${shownOnPage[0]}/export`);
		const log = ((await exported.json()) as { auditEvents: { id: number }[] }).auditEvents.map((e) => e.id);
		expect(log).toContain(row.id);
		await context.close();
	});

	it('records the client address on every event of a working session', async () => {
		const { context, page } = await tablet();
		const started = count('SELECT max(id) AS n FROM audit_events');
		const patientId = ongoing(TEAM_A)[13]!;
		await openAppointmentNow(page, 'ola', patientId);
		await page.goto('/meetings');
		await page.goto(`/patients/${patientId}`);
		const rows = suite.db().prepare('SELECT action, address FROM audit_events WHERE id > ? AND user_id IS NOT NULL ORDER BY id').all(started) as { action: string; address: string | null }[];
		expect(rows.length).toBeGreaterThanOrEqual(5);
		expect(rows.filter((r) => r.address === null)).toEqual([]);
		await context.close();
	});
});
