import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMailServer, type MailServer } from '../test/mail-server';
import { eq } from 'drizzle-orm';
import { smallClinic, builtInRegistry } from '../test/fixtures';
import { appointments, auditEvents, episodes, outboxMessages, patients, ratingLinks } from '../db/schema';
import type { MessagingConfig } from '../config';
import { grantOfToken, submitFromLink } from './rating-links';
import { activeConsent, messagesOfAppointment, queueAfterSession, queueInvitations, queueReminders, recordConsent, sendDue, stopConsent } from './outbox';
import { emailSender, smsSender } from './senders';
import { testContext } from '../test/fixtures';

/**
 * The outbox against a real SMTP server (smtp-server on loopback) and a local HTTP server standing
 * in for a text-message gateway: what arrives, what is retried, and the one reminder.
 */
const registry = builtInRegistry();
// 09:00 Oslo on Friday 4 December; the evening before is 18:00 Oslo on the 3rd (17:00 UTC).
const START = new Date('2026-12-04T08:00:00Z');
const EVENING = new Date('2026-12-03T17:00:00Z');
const MORNING = new Date('2026-12-04T07:00:00Z');
const ORIGIN = 'https://stemme.klinikk.example';

let mail: MailServer;
const texts: { authorization: string | undefined; body: unknown }[] = [];
let smtpPort = 0;
let gateway: Server;
let gatewayPort = 0;
let gatewayStatus = 202;

beforeAll(async () => {
	mail = await startMailServer();
	smtpPort = mail.port;
	gateway = createServer((req, res) => {
		let raw = '';
		req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
		req.on('end', () => {
			texts.push({ authorization: req.headers.authorization, body: JSON.parse(raw) });
			res.writeHead(gatewayStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: gatewayStatus < 300 }));
		});
	});
	await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
	gatewayPort = (gateway.address() as AddressInfo).port;
});

afterAll(async () => {
	await mail.close();
	await new Promise<void>((resolve) => gateway.close(() => resolve()));
});

const config = (): MessagingConfig => ({
	origin: ORIGIN,
	smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
	mailFrom: 'Stemme <noreply@stemme.invalid>',
	sms: { url: `http://127.0.0.1:${gatewayPort}/send`, key: 'gateway-key' },
	followUpMonths: { outpatient: [1, 3, 6], inpatient: [1, 3, 6], group: [1, 3, 6] },
	askBirthDate: false
});
const senders = () => ({ email: emailSender(`smtp://127.0.0.1:${smtpPort}`, 'Stemme <noreply@stemme.invalid>'), sms: smsSender(`http://127.0.0.1:${gatewayPort}/send`, 'gateway-key') });

function clinic(channel: 'email' | 'sms') {
	const c = smallClinic();
	const episode = c.db.insert(episodes).values({ patientId: c.patientA, startDate: '2026-09-01', setting: 'outpatient' }).returning().get();
	const appointmentId = c.db.insert(appointments).values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: START }).returning().get().id;
	recordConsent(c.db, c.users.clinicianA, c.patientA, { channel, address: channel === 'email' ? 'pasient@example.test' : '+4791234567' }, new Date('2026-12-01T10:00:00Z'), '10.0.0.5');
	return { ...c, appointmentId };
}

const tokenIn = (text: string) => /\/r\/([a-z2-7]{26})/.exec(text)?.[1];

describe('sending the outcome form ahead by e-mail', () => {
	it('waits until the evening before, then the mail arrives with the link, the crisis numbers, no name and no health data', async () => {
		const c = clinic('email');
		expect(queueInvitations(c.db, registry, config(), [], new Date(EVENING.getTime() - 60_000))).toBe(0);
		expect(queueInvitations(c.db, registry, config(), [], EVENING)).toBe(1);
		// Asked again, nothing more: one link of this kind per appointment.
		expect(queueInvitations(c.db, registry, config(), [], new Date(EVENING.getTime() + 60_000))).toBe(0);
		mail.mails.length = 0;
		expect(await sendDue(c.db, senders(), EVENING)).toEqual({ sent: 1, failed: 0 });
		expect(mail.mails).toHaveLength(1);
		const got = mail.mails[0]!;
		expect(got.to).toBe('pasient@example.test');
		expect(got.subject).toContain('behandlingsstedet');
		expect(got.body).toContain(`${ORIGIN}/r/`);
		expect(got.body).toContain('116 117');
		expect(got.body).toContain('113');
		expect(got.body).toContain('/stop');
		for (const secret of ['A-1', 'rus', 'TSB', 'Test', 'clin-a']) expect(got.body).not.toContain(secret);
		// The token now lives only in the patient's mailbox: the outbox keeps the body without it.
		const token = tokenIn(got.body)!;
		const kept = c.db.select().from(outboxMessages).get()!;
		expect(kept).toMatchObject({ state: 'sent', attempts: 1 });
		expect(kept.body).not.toContain(token);
		// The link opens the outcome form until the session starts, and counts as its rating.
		const grant = grantOfToken(c.db, token)!;
		expect(grant).toMatchObject({ kind: 'before', appointmentId: c.appointmentId });
		expect(grant.expiresAt).toEqual(START);
		const answered = submitFromLink(testContext(c.db, { now: new Date(EVENING.getTime() + 3600_000) }), grant, { clientId: 'mail-answer-1', values: { self: 5, close: 6, daily: 7, overall: 6 } });
		expect(answered).toMatchObject({ ok: true, status: 'stored' });
		expect(messagesOfAppointment(c.db, c.appointmentId, MORNING).map((x) => x.state)).toEqual(['answered']);
		// Answered: no reminder.
		expect(queueReminders(c.db, registry, config(), [], MORNING)).toBe(0);
	});

	it('tries a refusing mail server again later, and gives up after six tries with the reason', async () => {
		const c = clinic('email');
		queueInvitations(c.db, registry, config(), [], EVENING);
		mail.refuse = true;
		try {
			expect(await sendDue(c.db, senders(), EVENING)).toEqual({ sent: 0, failed: 1 });
			let row = c.db.select().from(outboxMessages).get()!;
			expect(row).toMatchObject({ state: 'queued', attempts: 1 });
			expect(row.lastError).toMatch(/450|mailbox unavailable/);
			expect(row.nextAttemptAt.getTime() - EVENING.getTime()).toBe(60_000);
			// Not due yet: nothing is tried.
			expect(await sendDue(c.db, senders(), new Date(EVENING.getTime() + 30_000))).toEqual({ sent: 0, failed: 0 });
			let at = row.nextAttemptAt;
			for (let i = 2; i <= 6; i++) {
				await sendDue(c.db, senders(), at);
				row = c.db.select().from(outboxMessages).get()!;
				at = row.nextAttemptAt;
			}
			expect(row).toMatchObject({ state: 'failed', attempts: 6 });
			expect(messagesOfAppointment(c.db, c.appointmentId, at)[0]).toMatchObject({ state: 'failed' });
		} finally {
			mail.refuse = false;
		}
	});

	it('a server that was down delivers on the next try', async () => {
		const c = clinic('email');
		queueInvitations(c.db, registry, config(), [], EVENING);
		mail.refuse = true;
		await sendDue(c.db, senders(), EVENING);
		mail.refuse = false;
		mail.mails.length = 0;
		expect(await sendDue(c.db, senders(), new Date(EVENING.getTime() + 60_000))).toEqual({ sent: 1, failed: 0 });
		expect(mail.mails).toHaveLength(1);
		expect(c.db.select().from(outboxMessages).get()).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
	});
});

describe('the one reminder', () => {
	it('goes out the morning of the appointment when unanswered, once, with a fresh link that replaces the first', async () => {
		const c = clinic('email');
		queueInvitations(c.db, registry, config(), [], EVENING);
		mail.mails.length = 0;
		await sendDue(c.db, senders(), EVENING);
		const first = tokenIn(mail.mails[0]!.body)!;
		expect(queueReminders(c.db, registry, config(), [], new Date(MORNING.getTime() - 60_000))).toBe(0);
		expect(queueReminders(c.db, registry, config(), [], MORNING)).toBe(1);
		expect(queueReminders(c.db, registry, config(), [], new Date(MORNING.getTime() + 60_000))).toBe(0);
		await sendDue(c.db, senders(), MORNING);
		expect(mail.mails).toHaveLength(2);
		expect(mail.mails[1]!.body).toMatch(/^Påminnelse/);
		const second = tokenIn(mail.mails[1]!.body)!;
		expect(second).not.toBe(first);
		expect(grantOfToken(c.db, first)!.withdrawnAt).not.toBeNull();
		expect(grantOfToken(c.db, second)!.withdrawnAt).toBeNull();
		expect(messagesOfAppointment(c.db, c.appointmentId, MORNING).map((x) => [x.kind, x.state])).toEqual([
			['reminder', 'sent'],
			['invitation', 'sent']
		]);
	});

	it('is not sent on the day the invitation went out: never more than one message a day', () => {
		const c = clinic('email');
		// An appointment at 20:00 Oslo: the evening before is the 3rd; one more the same morning is blocked only if a message went that day.
		const late = c.db
			.insert(appointments)
			.values({ episodeId: c.db.select().from(episodes).get()!.id, clinicianId: c.users.clinicianA.id, scheduledAt: new Date('2026-12-04T19:00:00Z') })
			.returning()
			.get().id;
		// Both appointments' invitations are due on the evening of the 3rd: only one message that day.
		expect(queueInvitations(c.db, registry, config(), [], EVENING)).toBe(1);
		expect(
			c.db.select().from(ratingLinks).where(eq(ratingLinks.appointmentId, late)).all().length + c.db.select().from(ratingLinks).where(eq(ratingLinks.appointmentId, c.appointmentId)).all().length
		).toBe(1);
	});
});

describe('after a video or phone session', () => {
	// The session at 09:00 Oslo for 45 minutes ends at 08:45 UTC.
	const END = new Date(START.getTime() + 45 * 60_000);

	it('sends the alliance form when the session ends, answerable for 24 hours, once; no morning reminder that day', async () => {
		const c = clinic('email');
		c.db.update(appointments).set({ sessionMode: 'video' }).where(eq(appointments.id, c.appointmentId)).run();
		queueInvitations(c.db, registry, config(), [], EVENING);
		await sendDue(c.db, senders(), EVENING);
		// The day's one message is the form after the session.
		expect(queueReminders(c.db, registry, config(), [], MORNING)).toBe(0);
		expect(queueAfterSession(c.db, registry, config(), [], new Date(END.getTime() - 60_000))).toBe(0);
		expect(queueAfterSession(c.db, registry, config(), [], END)).toBe(1);
		expect(queueAfterSession(c.db, registry, config(), [], new Date(END.getTime() + 60_000))).toBe(0);
		mail.mails.length = 0;
		await sendDue(c.db, senders(), END);
		expect(mail.mails).toHaveLength(1);
		expect(mail.mails[0]!.body).toContain('timen du nettopp hadde');
		expect(mail.mails[0]!.body).toContain('116 117');
		const grant = grantOfToken(c.db, tokenIn(mail.mails[0]!.body)!)!;
		expect(grant.kind).toBe('after');
		expect(grant.instrumentId).toMatch(/alliance/);
		// AFTER_SESSION_HOURS = 24.
		expect(grant.expiresAt.getTime() - END.getTime()).toBe(24 * 3600_000);
	});

	it('sends nothing after a session in the room, a missed one, or one that ended more than two hours ago', () => {
		const c = clinic('sms');
		expect(queueAfterSession(c.db, registry, config(), [], END)).toBe(0);
		c.db.update(appointments).set({ sessionMode: 'phone', status: 'no_show' }).where(eq(appointments.id, c.appointmentId)).run();
		expect(queueAfterSession(c.db, registry, config(), [], END)).toBe(0);
		c.db.update(appointments).set({ status: 'attended' }).where(eq(appointments.id, c.appointmentId)).run();
		expect(queueAfterSession(c.db, registry, config(), [], new Date(END.getTime() + 2 * 3600_000))).toBe(0);
		expect(queueAfterSession(c.db, registry, config(), [], new Date(END.getTime() + 3600_000))).toBe(1);
	});
});

describe("the patient's language", () => {
	it.each([
		['nn', 'Behandlingsstaden din', 'legevakta 116 117'],
		['en', 'Your treatment place', 'out-of-hours service 116 117']
	] as const)('writes the message in %s, still with the crisis numbers and the stop link', async (locale, opening, crisis) => {
		const c = clinic('email');
		c.db.update(patients).set({ preferredLocale: locale }).where(eq(patients.id, c.patientA)).run();
		queueInvitations(c.db, registry, config(), [], EVENING);
		mail.mails.length = 0;
		await sendDue(c.db, senders(), EVENING);
		const body = mail.mails[0]!.body;
		expect(body).toContain(opening);
		expect(body).toContain(crisis);
		expect(body).toContain('113');
		expect(body).toMatch(/\/r\/[a-z2-7]{26}\/stop/);
		for (const secret of ['A-1', 'rus', 'TSB', 'Test', 'clin-a']) expect(body).not.toContain(secret);
	});
});

describe('text messages through the gateway', () => {
	it('posts the documented JSON with the bearer key; a 5xx is tried again', async () => {
		const c = clinic('sms');
		queueInvitations(c.db, registry, config(), [], EVENING);
		texts.length = 0;
		gatewayStatus = 503;
		expect(await sendDue(c.db, senders(), EVENING)).toEqual({ sent: 0, failed: 1 });
		expect(c.db.select().from(outboxMessages).get()!.lastError).toMatch(/^gateway answered 503/);
		gatewayStatus = 202;
		expect(await sendDue(c.db, senders(), new Date(EVENING.getTime() + 60_000))).toEqual({ sent: 1, failed: 0 });
		expect(texts).toHaveLength(2);
		expect(texts[1]!.authorization).toBe('Bearer gateway-key');
		expect(Object.keys(texts[1]!.body as object).sort()).toEqual(['text', 'to']);
		expect(texts[1]!.body).toMatchObject({ to: '+4791234567' });
		expect((texts[1]!.body as { text: string }).text).toContain(`${ORIGIN}/r/`);
	});
});

describe('stopping', () => {
	it('the patient stops from the message: nothing queued goes out, nothing new is queued, and it is audited as theirs', async () => {
		const c = clinic('sms');
		queueInvitations(c.db, registry, config(), [], EVENING);
		expect(stopConsent(c.db, c.patientA, { patient: true }, EVENING, '10.9.9.9')).toBe(true);
		expect(stopConsent(c.db, c.patientA, { patient: true }, EVENING, '10.9.9.9')).toBe(false);
		expect(activeConsent(c.db, c.patientA)).toBeNull();
		texts.length = 0;
		expect(await sendDue(c.db, senders(), EVENING)).toEqual({ sent: 0, failed: 0 });
		expect(texts).toHaveLength(0);
		expect(c.db.select().from(outboxMessages).get()).toMatchObject({ state: 'failed' });
		expect(c.db.select().from(auditEvents).where(eq(auditEvents.action, 'contact_consent_stopped')).get()).toMatchObject({ userId: null, patientId: c.patientA });
		const next = c.db
			.insert(appointments)
			.values({ episodeId: c.db.select().from(episodes).get()!.id, clinicianId: c.users.clinicianA.id, scheduledAt: new Date('2026-12-05T08:00:00Z') })
			.returning()
			.get().id;
		expect(queueInvitations(c.db, registry, config(), [], new Date('2026-12-04T17:00:00Z'))).toBe(0);
		expect(c.db.select().from(ratingLinks).where(eq(ratingLinks.appointmentId, next)).all()).toHaveLength(0);
	});

	it('sends nothing without a public origin for the links', () => {
		const c = clinic('email');
		expect(queueInvitations(c.db, registry, { ...config(), origin: null }, [], EVENING)).toBe(0);
	});
});
