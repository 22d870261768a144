import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { accessibilityViolations, newContext, signIn, useBrowser } from './support/browser';

/**
 * The statistics page as each role meets it: the team lead sees the team's figures (checked
 * against the database counted here, independently) and downloads a CSV; the service leader sees
 * every team and no patient record; the clinician sees their own caseload only; the administrator none.
 */
const t = useBrowser();

const teamOf = (username: string) => (t.db.prepare(`SELECT m.team_id AS id FROM team_memberships m JOIN users u ON u.id = m.user_id WHERE u.username = ?`).get(username) as { id: number }).id;

/** Closed episodes of a team (or of all teams) that ended in the default period: the last 365 days up to today (Oslo). */
function closedInPeriod(page: { from: string; to: string }, teamId: number | null): Record<string, number> {
	const rows = t.db
		.prepare(
			`SELECT e.end_reason AS reason, count(*) AS n FROM episodes e JOIN patients p ON p.id = e.patient_id
			 WHERE e.actual_end BETWEEN ? AND ? AND (? IS NULL OR coalesce(e.team_id, p.team_id) = ?) GROUP BY e.end_reason`
		)
		.all(page.from, page.to, teamId, teamId) as { reason: string; n: number }[];
	return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}

const shown = (n: number) => (n < 5 ? '< 5' : String(n));

async function period(page: Page): Promise<{ from: string; to: string }> {
	return { from: await page.getByLabel('Fra dato').inputValue(), to: await page.getByLabel('Til dato').inputValue() };
}

/** The ending table's count column, row by row. */
async function endingCounts(page: Page): Promise<string[]> {
	const table = page
		.locator('section', { has: page.getByRole('heading', { name: 'Avslutning og frafall', exact: true }) })
		.locator('table')
		.first();
	return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[0]?.textContent?.trim() ?? ''));
}

describe('statistics', () => {
	it('team lead: the team’s figures as the database counts them, small cells as "< 5", accessible, and a CSV download', async () => {
		const context = await newContext(t.browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.getByRole('link', { name: 'Statistikk' }).click();
		await page.waitForURL('**/statistics');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Statistikk: Team Poliklinikk voksne');
		const p = await period(page);
		const counts = closedInPeriod(p, teamOf('kari'));
		const total = Object.values(counts).reduce((a, b) => a + b, 0);
		const raw = ['planned_completion', 'dropout', 'transfer', 'other'].map((r) => counts[r] ?? 0);
		const got = await endingCounts(page);
		expect(got.at(-1)).toBe(shown(total));
		// Each count is shown as the database has it, or hidden: under 5, or hidden with the one it would give away.
		raw.forEach((n, i) => expect([i, got[i] === shown(n) || got[i] === '< 5']).toEqual([i, true]));
		expect(got.slice(0, 4).filter((g) => g === '< 5').length).not.toBe(1);
		expect(await page.getByRole('heading', { name: 'Per behandler' }).count()).toBe(1);
		expect(await page.getByText('Dette er samvariasjon i tjenestens egne data, ikke bevis for effekt.', { exact: false }).count()).toBe(1);
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/statistics-team.png', fullPage: true });
		// The alliance, the trend by month (drawn, with its table) and the lead's list of open episodes off track.
		expect(await page.getByRole('heading', { name: 'Allianse', exact: true, level: 2 }).count()).toBe(1);
		const trend = page.locator('section', { has: page.getByRole('heading', { name: 'Utvikling per måned' }) });
		expect(await trend.locator('canvas[data-drawn="1"]').count()).toBe(1);
		// One row per month of the default period: the twelve months up to today and the one it starts in.
		expect(await trend.locator('tbody tr').count()).toBe(13);
		const offTrack = page.locator('section', { has: page.getByRole('heading', { name: 'Ikke i rute eller med alliansevarsel' }) });
		expect(await offTrack.count()).toBe(1);
		const links = await offTrack.locator('tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
		expect(links.every((href) => /^\/patients\/\d+$/.test(href))).toBe(true);
		await page.screenshot({ path: 'docs/screenshots/statistics-team-lead.png', fullPage: true });

		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Last ned CSV: Avslutning og frafall' }).click()]);
		expect(download.suggestedFilename()).toBe(`stemme-endings-${p.from}-${p.to}.csv`);
		const csv = readFileSync((await download.path())!, 'utf8')
			.trim()
			.split('\r\n');
		expect(csv[0]).toBe('Avslutning,Antall,Andel');
		expect(csv.slice(1, 5).map((line) => line.split(',')[1])).toEqual(got.slice(0, 4));
		expect(csv[5]).toBe(`Totalt,${shown(total)},`);
		await context.close();
	});

	it('team lead: downloads the team’s rows, one per episode and one per rating, as the database has them, and the download is audited', async () => {
		const context = await newContext(t.browser, { acceptDownloads: true });
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.goto('/statistics');
		const p = await period(page);
		const team = teamOf('kari');
		const fetchCsv = async (name: string) => {
			const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
			return {
				name: download.suggestedFilename(),
				lines: readFileSync((await download.path())!, 'utf8')
					.trimEnd()
					.split('\r\n')
			};
		};
		const episodes = await fetchCsv('Last ned CSV: én rad per forløp');
		expect(episodes.name).toBe(`stemme-episodes-${p.from}-${p.to}.csv`);
		expect(episodes.lines[0]).toBe(
			'patient_code,episode,setting,start_date,end_date,end_reason,outcome_instrument,intake_score,last_score,last_session,change,change_class,not_judged_because,sessions,sessions_with_outcome,sessions_with_alliance'
		);
		// The team's episodes in treatment some time in the period, counted here from the tables.
		const inPeriod = t.db
			.prepare(
				`SELECT e.id, p.code, e.actual_end AS end FROM episodes e JOIN patients p ON p.id = e.patient_id
				 WHERE coalesce(e.team_id, p.team_id) = ? AND e.start_date <= ? AND (e.actual_end IS NULL OR e.actual_end >= ?)`
			)
			.all(team, p.to, p.from) as { id: number; code: string; end: string | null }[];
		expect(inPeriod.length).toBeGreaterThan(0);
		const rows = episodes.lines.slice(1).map((l) => l.split(','));
		expect(rows.map((r) => Number(r[1])).sort((a, b) => a - b)).toEqual(inPeriod.map((e) => e.id).sort((a, b) => a - b));
		const first = inPeriod[0]!;
		const row = rows.find((r) => Number(r[1]) === first.id)!;
		expect([row[0], row[4]]).toEqual([first.code, first.end ?? '']);

		const ratings = await fetchCsv('Last ned CSV: én rad per skåring');
		// Ratings in force (none corrects them) of those episodes, at appointments on a day of the period (Oslo).
		const osloDay = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
		const given = (
			t.db
				.prepare(
					`SELECT a.scheduled_at AS at FROM ratings r JOIN appointments a ON a.id = r.appointment_id
					 WHERE a.episode_id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM ratings c WHERE c.corrects_rating_id = r.id)`
				)
				.all(JSON.stringify(inPeriod.map((e) => e.id))) as { at: number }[]
		).filter((r) => osloDay(r.at) >= p.from && osloDay(r.at) <= p.to);
		expect(given.length).toBeGreaterThan(0);
		expect(ratings.lines[0]!.startsWith('patient_code,episode,session,date,instrument,version,rater,source,total,signal,item_1,')).toBe(true);
		expect(ratings.lines.length - 1).toBe(given.length);
		const audit = t.db
			.prepare(`SELECT e.detail, (SELECT count(*) FROM audit_event_patients x WHERE x.event_id = e.id) AS patients FROM audit_events e WHERE e.action = 'exported_csv' ORDER BY e.id DESC LIMIT 2`)
			.all() as {
			detail: string;
			patients: number;
		}[];
		expect(audit.map((a) => a.detail.split(' ')[0])).toEqual(['ratings', 'episodes']);
		expect(audit[1]!.patients).toBe(new Set(inPeriod.map((e) => e.code)).size);
		await context.close();
	});

	it('team lead: the period can be chosen with the keyboard, and a bad date is refused naming the field', async () => {
		const context = await newContext(t.browser);
		const page = await context.newPage();
		await signIn(page, 'kari');
		await page.goto('/statistics');
		await page.getByLabel('Fra dato').fill('2020-01-01');
		await page.getByLabel('Fra dato').press('Enter');
		await page.waitForURL((url) => url.searchParams.get('from') === '2020-01-01');
		expect(await page.locator('.period').textContent()).toContain('2020');
		const answer = await page.goto('/statistics?from=2026-02-31');
		expect(answer?.status()).toBe(400);
		expect(await page.locator('main').textContent()).toContain('Fra dato');
		await context.close();
	});

	it('service leader: every team and the service, aggregates only, no patient record', async () => {
		const context = await newContext(t.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'tone');
		await page.goto('/statistics');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Statistikk: Hele tjenesten');
		// No caseload, patients, groups or meetings to offer a role that opens no record; no patient search.
		expect(await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link').allTextContents()).toEqual(['Statistikk']);
		expect(await page.getByRole('search').count()).toBe(0);
		const p = await period(page);
		const total = Object.values(closedInPeriod(p, null)).reduce((a, b) => a + b, 0);
		expect((await endingCounts(page)).at(-1)).toBe(shown(total));
		const teams = page.locator('section', { has: page.getByRole('heading', { name: 'Per team' }) }).locator('tbody th');
		expect(await teams.allTextContents()).toEqual(['Poliklinikk voksne', 'Ungdom og døgn']);
		// Rows with patient codes are the treating team's: none for a service leader.
		expect(await page.getByRole('link', { name: /én rad per/ }).count()).toBe(0);
		expect((await page.goto('/statistics/export?kind=episodes'))?.status()).toBe(403);
		await page.goBack();
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/statistics-service.png', fullPage: true });
		// Aggregates only: no list of patients for the service leader.
		expect(await page.getByRole('heading', { name: 'Ikke i rute eller med alliansevarsel' }).count()).toBe(0);
		// The selects by their ids (a select inside its label is named by the label and its chosen option).
		await page.locator('#st-scope').selectOption({ label: 'Teamet' });
		await page.locator('#st-team').selectOption({ label: 'Ungdom og døgn' });
		await page.getByRole('button', { name: 'Vis' }).click();
		await page.waitForURL((url) => url.searchParams.get('scope') === 'team');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Statistikk: Team Ungdom og døgn');
		const patient = t.db.prepare(`SELECT id FROM patients ORDER BY id LIMIT 1`).get() as { id: number };
		expect((await page.goto(`/patients/${patient.id}`))?.status()).toBe(404);
		await context.close();
	});

	it('service leader: the rater filter reads the collateral raters through the page', async () => {
		const context = await newContext(t.browser, { viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'tone');
		await page.goto('/statistics');
		await page.locator('#st-rater').selectOption({ label: 'Pårørende' });
		await page.getByRole('button', { name: 'Vis' }).click();
		await page.waitForURL((url) => url.searchParams.get('rater') === 'collateral');
		expect(await page.getByText('Pårørende: bare forløpene der en pårørende', { exact: false }).count()).toBe(1);
		expect(await page.locator('#st-rater').inputValue()).toBe('collateral');
		expect(await accessibilityViolations(page)).toEqual([]);
		await context.close();
	});

	it('clinician: their own caseload only; the administrator: no statistics, but grants the role', async () => {
		const context = await newContext(t.browser);
		const page = await context.newPage();
		await signIn(page, 'ola');
		await page.goto('/statistics');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Statistikk: Mine pasienter');
		expect(await page.getByRole('combobox', { name: /^Omfang/ }).count()).toBe(0);
		expect((await page.goto('/statistics?scope=team'))?.status()).toBe(403);
		await context.close();

		const admin = await newContext(t.browser);
		const adminPage = await admin.newPage();
		await signIn(adminPage, 'admin');
		expect(await adminPage.getByRole('link', { name: 'Statistikk' }).count()).toBe(0);
		expect((await adminPage.goto('/statistics'))?.status()).toBe(403);
		await adminPage.goto('/admin/users');
		expect(await adminPage.getByLabel('Rolle').locator('option', { hasText: 'Avdelingsleder' }).count()).toBe(1);
		await admin.close();
	});
});
