import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessibilityViolations } from './support/browser';
import { tabletSuite, tapLines } from './support/tablet';
import { startServer } from '../scripts/lib/server.js';
import { openDatabase } from '../src/lib/server/db/open';
import { seedDemoClinic } from '../src/lib/server/demo/seed';
import { createSession, SESSION_COOKIE, type SessionUser } from '../src/lib/server/auth/session';
import { getRegistry } from '../src/lib/server/instruments';
import { recordConsent } from '../src/lib/server/links/outbox';
import { planFollowUps, queueFollowUps } from '../src/lib/server/links/follow-ups';
import { addMonths } from '../src/lib/domain/follow-up';
import { osloDate } from '../src/lib/domain/oslo-day';
import { addDays } from '../src/lib/domain/booking';

/**
 * A follow-up after discharge on the patient's phone: an episode ended a month ago, its first
 * follow-up goes out today as the outcome form alone, the patient answers on a 390 × 844 phone,
 * and the clinician sees the point after the end on the chart and the team's follow-up card.
 */
const suite = tabletSuite();
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1, locale: 'nb-NO' };
const MONTHS = { outpatient: [1, 3, 6], inpatient: [1, 3, 6], group: [1, 3, 6] };

describe('a follow-up after discharge', () => {
	it('reaches the patient’s phone as the outcome form alone, and its answer the chart after the end', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-follow-up-'));
		const databasePath = join(dir, 'stemme.db');
		const now = new Date();
		const made = openDatabase(databasePath);
		await seedDemoClinic(made, now);
		const client = made.$client;
		const ola = client.prepare("SELECT id, username, display_name AS displayName, role, organisation_id AS organisationId FROM users WHERE username = 'ola'").get() as SessionUser;
		const episode = client
			.prepare(
				`SELECT e.id, e.patient_id AS patientId FROM episodes e JOIN appointments a ON a.episode_id = e.id
				 WHERE e.responsible_id = ? AND e.actual_end IS NULL AND e.setting = 'outpatient'
				 AND (SELECT count(*) FROM episodes o WHERE o.patient_id = e.patient_id) = 1 ORDER BY e.id LIMIT 1`
			)
			.get(ola.id) as { id: number; patientId: number };
		// The episode ended a month before yesterday (Oslo), so its first follow-up is due whatever the hour; the patient chose e-mail.
		const ended = addMonths(addDays(osloDate(now), -1), -1);
		client.prepare("UPDATE episodes SET actual_end = ?, end_reason = 'planned_completion', ended_by_id = ? WHERE id = ?").run(ended, ola.id, episode.id);
		recordConsent(made, { ...ola, preferredLocale: 'nb' }, episode.patientId, { channel: 'email', address: 'pasient@example.test' }, now, null);
		// The demo clinic's other recent endings get theirs too; this episode gets 1, 3 and 6 months.
		planFollowUps(made, MONTHS, now);
		expect(client.prepare('SELECT months FROM follow_up_points WHERE episode_id = ? ORDER BY due_on').all(episode.id)).toEqual([{ months: 1 }, { months: 3 }, { months: 6 }]);
		const origin = 'http://stemme.invalid';
		expect(queueFollowUps(made, getRegistry(), { origin, smtpUrl: null, mailFrom: 'x', sms: null, followUpMonths: MONTHS, askBirthDate: false }, [], now)).toBe(1);
		// The message waits in the outbox (no mail server here); its link is the patient's.
		const body = (client.prepare('SELECT body FROM outbox_messages ORDER BY id DESC LIMIT 1').get() as { body: string }).body;
		const path = /\/r\/[a-z2-7]{26}/.exec(body)![0];
		const patient = client.prepare('SELECT code, display_name AS name FROM patients WHERE id = ?').get(episode.patientId) as { code: string; name: string };
		const { token } = createSession(made, ola.id, now);
		client.close();

		const server = await startServer({ databasePath, env: { STEMME_DEMO: 'off' } });
		try {
			const phone = await suite.browser().newContext({ baseURL: server.url, ...PHONE });
			const page = await phone.newPage();
			await page.goto(path);
			await page.locator('main[data-ready][data-place="phone"]').waitFor();
			const text = await page.locator('body').innerText();
			expect(text).not.toContain(patient.code);
			expect(text).not.toContain(patient.name);
			expect(text).toContain('116 117');
			// The outcome form alone: four lines.
			expect(await page.getByRole('slider').count()).toBe(4);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
			expect(await accessibilityViolations(page)).toEqual([]);
			await tapLines(page, [0.6, 0.7, 0.5, 0.6]);
			await page.getByRole('button', { name: 'Send svarene' }).tap();
			await page.getByText('Takk for svarene dine').waitFor();
			await page.screenshot({ path: 'test-results/follow-up-phone.png', fullPage: true });
			await page.goto(path);
			await page.getByRole('heading', { name: 'Allerede besvart' }).waitFor();
			await phone.close();

			const desk = await suite.browser().newContext({ baseURL: server.url, locale: 'nb-NO', viewport: { width: 1280, height: 900 } });
			await desk.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url }]);
			const staff = await desk.newPage();
			await staff.goto(`/patients/${episode.patientId}`);
			await staff.locator('[data-key="follow-up"]').waitFor();
			await staff.locator('canvas').first().waitFor();
			expect(await accessibilityViolations(staff)).toEqual([]);
			await staff.screenshot({ path: 'test-results/follow-up-chart.png', fullPage: false });
			await staff.goto('/today');
			const row = staff.locator('[data-card="follow-ups"] tr[data-state="answered"]');
			await row.waitFor();
			expect(await row.innerText()).toContain(patient.code);
			expect(await row.innerText()).toContain('1 mnd. etter slutt');
			expect(await accessibilityViolations(staff)).toEqual([]);
			await staff.locator('[data-card="follow-ups"]').screenshot({ path: 'test-results/follow-up-today.png' });
			await desk.close();
		} finally {
			await server.stop();
		}
		rmSync(dir, { recursive: true, force: true });
		// Seeding a demo clinic of its own and starting a server for it take most of the time.
	}, 120_000);
});
