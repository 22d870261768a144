import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { accessibilityViolations, baseURL } from './support/browser';
import { giveBack, handOver, openAppointmentNow, tabletSuite, tapLines, TEAM_A, TEAM_B } from './support/tablet';
import { startServer } from '../scripts/lib/server.js';
import { openDatabase } from '../src/lib/server/db/open';
import { seedDemoClinic } from '../src/lib/server/demo/seed';
import { createSession, SESSION_COOKIE } from '../src/lib/server/auth/session';
import { setPin, startHandoff } from '../src/lib/server/tablet/handoff';
import { getInstrument } from '../src/lib/domain/registry';
import { getRegistry } from '../src/lib/server/instruments';

/**
 * The tablet's rating endpoint (and the staff one for answers the tablet kept) as a hostile
 * script meets it: every bad request gets a clear 4xx in JSON and stores nothing.
 */
const suite = tabletSuite();
/** What a browser sends with every POST: this site's Origin (a missing one is refused as cross-site). */
const ORIGIN = () => ({ origin: new URL(baseURL()).origin });
const { ratingsOf, ongoing, tablet } = suite;

/** An appointment in an open episode of a patient of `team` other than the patient of appointment `not`. */
function appointmentOf(team: string, not: number): number {
	const row = suite
		.db()
		.prepare(
			`SELECT a.id FROM appointments a JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id JOIN teams t ON t.id = p.team_id
			 WHERE t.name = ? AND e.actual_end IS NULL
			   AND e.patient_id != (SELECT e2.patient_id FROM appointments a2 JOIN episodes e2 ON e2.id = a2.episode_id WHERE a2.id = ?)
			 ORDER BY a.id LIMIT 1`
		)
		.get(team, not) as { id: number };
	return row.id;
}

describe('the submission endpoint', () => {
	it('answers signed-out, malformed and tampered requests with a clear 4xx in JSON', async () => {
		const { context, page } = await tablet();
		const signedOut = await page.request.post('/rate/submit', { data: { any: 1 }, headers: ORIGIN() });
		expect([signedOut.status(), (await signedOut.json()).reason]).toEqual([401, 'signed_out']);
		await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[5]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		// What the tablet's own script would send, as a hostile script would build it.
		const latest = suite.db().prepare('SELECT id, appointment_ids FROM tablet_handoffs ORDER BY created_at DESC, rowid DESC LIMIT 1').get() as { id: string; appointment_ids: string };
		const handoffId = latest.id;
		const appointmentId = (JSON.parse(latest.appointment_ids) as number[])[0]!;
		const post = (data: unknown) => page.request.post('/rate/submit', { data: data as object, headers: { origin: new URL(page.url()).origin } });
		const good = { handoffId, clientId: 'endpoint-test-1', appointmentId, values: { self: 5, close: 5, daily: 5, overall: 5 } };
		// Real appointments: one of a patient of another team, one of another patient of this team.
		const otherTeam = appointmentOf(TEAM_B, appointmentId);
		const sameTeam = appointmentOf(TEAM_A, appointmentId);
		const before = [ratingsOf(otherTeam).length, ratingsOf(sameTeam).length];
		const cases: [string, unknown, number, string][] = [
			['value 11', { ...good, values: { ...good.values, daily: 11 } }, 400, 'invalid_values'],
			['missing item', { ...good, values: { self: 5, close: 5, daily: 5 } }, 400, 'invalid_values'],
			['another team’s appointment', { ...good, appointmentId: otherTeam }, 403, 'not_this_appointment'],
			['another patient’s appointment in the same team', { ...good, appointmentId: sameTeam }, 403, 'not_this_appointment'],
			['unknown handoff', { ...good, handoffId: 'x'.repeat(32) }, 404, 'unknown_handoff'],
			['script in the client id', { ...good, clientId: '<script>' }, 400, 'malformed']
		];
		for (const [name, data, status, reason] of cases) {
			const res = await post(data);
			expect([name, res.status(), (await res.json()).reason]).toEqual([name, status, reason]);
		}
		const notJson = await page.request.post('/rate/submit', { data: 'not json', headers: { 'content-type': 'application/json', origin: new URL(page.url()).origin } });
		expect(notJson.status()).toBe(400);
		expect(ratingsOf(appointmentId)).toEqual([]);
		expect([ratingsOf(otherTeam).length, ratingsOf(sameTeam).length]).toEqual(before);
		const first = await post(good);
		const again = await post(good);
		expect([first.status(), again.status()]).toEqual([201, 200]);
		expect(ratingsOf(appointmentId)).toHaveLength(1);
		await giveBack(page);
		await context.close();
	});
});

describe('answers the tablet kept, sent from the staff pages', () => {
	it('takes them only from a signed-in clinician of the treating team, and stores the client id once', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[6]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		const handoffId = (suite.db().prepare('SELECT id FROM tablet_handoffs ORDER BY created_at DESC, rowid DESC LIMIT 1').get() as { id: string }).id;
		// The patient answered while the tablet was theirs; the tablet kept the answer with its time.
		const answeredAt = Date.now();
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		const body = { handoffId, clientId: 'kept-endpoint-1', appointmentId, answeredAt, values: { self: 6, close: 6, daily: 6, overall: 6 } };
		const path = `/appointments/${appointmentId}/tablet-answers`;

		const stranger = await tablet();
		const signedOut = await stranger.page.request.post(path, { data: body, headers: ORIGIN() });
		expect([signedOut.status(), (await signedOut.json()).reason]).toEqual([401, 'signed_out']);
		await openAppointmentNow(stranger.page, 'ingrid', ongoing(TEAM_B)[2]!);
		// Another team's clinician: the appointment is not found for them, and nothing is stored.
		expect((await stranger.page.request.post(path, { data: body, headers: ORIGIN() })).status()).toBe(404);
		await stranger.context.close();
		expect(ratingsOf(appointmentId)).toEqual([]);

		const post = (data: unknown) => page.request.post(path, { data: data as object, headers: ORIGIN() });
		const wrongPlace = await post({ ...body, appointmentId: appointmentId + 1 });
		expect([wrongPlace.status(), await wrongPlace.json()]).toEqual([400, { ok: false, reason: 'malformed', field: 'appointmentId' }]);
		// Without the time it was answered, or answered after the clinician took the tablet back, it
		// could be the clinician's own answer stored as the patient's: refused.
		const late = await post({ ...body, answeredAt: undefined });
		expect([late.status(), (await late.json()).reason]).toEqual([409, 'after_hand_back']);
		expect((await (await post({ ...body, answeredAt: Date.now() + 60_000 })).json()).reason).toBe('after_hand_back');
		const tooHigh = await post({ ...body, values: { ...body.values, daily: 11 } });
		expect([tooHigh.status(), (await tooHigh.json()).reason]).toEqual([400, 'invalid_values']);
		expect(ratingsOf(appointmentId)).toEqual([]);
		expect([(await post(body)).status(), (await post(body)).status()]).toEqual([201, 200]);
		expect(ratingsOf(appointmentId)).toMatchObject([{ client_id: 'kept-endpoint-1', source: 'tablet', rater: 'patient', total_tenths: 240 }]);
		await context.close();
	});

	it('shows the patient a calm refusal, and the staff the refused answers with the reason until removed', async () => {
		const { context, page } = await tablet();
		const appointmentId = await openAppointmentNow(page, 'ola', ongoing(TEAM_A)[7]!);
		await handOver(page, 'Gi til pasienten – start av timen');
		await tapLines(page, [0.5, 0.5, 0.5, 0.5]);
		// As if the episode had been closed between the hand-over and the answer.
		await page.route('**/rate/submit', (route) => route.fulfill({ status: 410, json: { ok: false, reason: 'episode_closed' } }));
		await page.getByRole('button', { name: 'Send svarene' }).tap();
		await page.getByText('Svarene kan ikke tas imot for denne timen. Gi nettbrettet tilbake.').waitFor();
		expect(await accessibilityViolations(page), 'refused screen').toEqual([]);
		await giveBack(page);
		await page.waitForURL(new RegExp(`/appointments/${appointmentId}$`));
		const refused = page.getByRole('region', { name: 'Svar på dette nettbrettet som ikke ble lagret' });
		await refused.getByText('Forløpet er avsluttet; timen tar ikke imot nye skårer.').waitFor();
		await refused.getByText('Svarene: self 5,0 · close 5,0 · daily 5,0 · overall 5,0').waitFor();
		expect(await accessibilityViolations(page)).toEqual([]);
		await page.screenshot({ path: 'test-results/appointment-refused-answers.png', fullPage: true });
		await refused.getByRole('button', { name: 'Fjern fra nettbrettet' }).click();
		await refused.waitFor({ state: 'detached' });
		expect(ratingsOf(appointmentId)).toEqual([]);
		await context.close();
	});
});

describe('an episode closed after the hand-over', () => {
	it('the tablet says the form is closed (410, the way back offered) and the server stores nothing, from either side', async () => {
		// Its own server: the app has no way to close an episode, so the database is made first,
		// the episode closed in it, and only then is the server started on it.
		const dir = mkdtempSync(join(tmpdir(), 'stemme-closed-'));
		const databasePath = join(dir, 'stemme.db');
		const now = new Date();
		const made = openDatabase(databasePath);
		await seedDemoClinic(made, now);
		const client = made.$client;
		const ola = client.prepare("SELECT id FROM users WHERE username = 'ola'").get() as { id: number };
		const appointment = client
			.prepare(
				`SELECT a.id, a.episode_id AS episodeId FROM appointments a JOIN episodes e ON e.id = a.episode_id WHERE a.clinician_id = ? AND a.status = 'scheduled' AND e.actual_end IS NULL AND a.group_session_id IS NULL ORDER BY a.id LIMIT 1`
			)
			.get(ola.id) as { id: number; episodeId: number };
		const { token, session } = createSession(made, ola.id, now);
		// Ola signed in at the desk too: the staff pages, while the tablet's own session is in patient mode.
		const desk = createSession(made, ola.id, now).token;
		await setPin(made, ola.id, '2468', now);
		const instrument = getInstrument(getRegistry(), 'stemme-outcome-adult', 1)!;
		const handoff = startHandoff(made, { sessionId: session.id, userId: ola.id, appointmentIds: [appointment.id], instrument, rater: 'patient', patientIds: [] }, now);
		client.prepare("UPDATE episodes SET actual_end = ?, end_reason = 'planned_completion' WHERE id = ?").run(now.toISOString().slice(0, 10), appointment.episodeId);
		const countRatings = (d: Database.Database) => d.prepare('SELECT count(*) AS n FROM ratings WHERE appointment_id = ?').get(appointment.id);
		const before = countRatings(client);
		client.close();
		const server = await startServer({ databasePath, env: { STEMME_DEMO: 'off' } });
		try {
			const staff = `${SESSION_COOKIE}=${token}`;
			const body = { handoffId: handoff.id, clientId: 'closed-episode-1', appointmentId: appointment.id, values: { self: 5, close: 5, daily: 5, overall: 5 } };
			const send = (path: string, cookie: string) =>
				fetch(`${server.url}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body), redirect: 'manual' });
			const fromTablet = await send('/rate/submit', staff);
			expect([fromTablet.status, await fromTablet.json()]).toEqual([410, { ok: false, reason: 'episode_closed' }]);
			// Patient mode is the session's: its staff pages send it back to /rate; the desk's session reaches them.
			expect((await send(`/appointments/${appointment.id}/tablet-answers`, staff)).status).toBe(303);
			const fromStaff = await send(`/appointments/${appointment.id}/tablet-answers`, `${SESSION_COOKIE}=${desk}`);
			expect([fromStaff.status, await fromStaff.json()]).toEqual([410, { ok: false, reason: 'episode_closed' }]);

			const context = await suite.browser().newContext({ baseURL: server.url, locale: 'nb-NO', viewport: { width: 820, height: 1180 }, hasTouch: true });
			await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url }]);
			const page = await context.newPage();
			const answer = await page.goto('/rate');
			expect(answer?.status()).toBe(410);
			await page.getByRole('heading', { name: 'Dette skjemaet er lukket' }).waitFor();
			expect(await page.getByRole('slider').count()).toBe(0);
			expect(await accessibilityViolations(page)).toEqual([]);
			await page.screenshot({ path: 'test-results/tablet-closed-410.png', fullPage: true });
			await page.getByRole('link', { name: 'Gi nettbrettet tilbake' }).click();
			await page.waitForURL(/\/rate\/unlock$/);
			await context.close();
		} finally {
			await server.stop();
		}
		const after = new Database(databasePath, { readonly: true });
		expect(countRatings(after)).toEqual(before);
		after.close();
		rmSync(dir, { recursive: true, force: true });
	});
});
