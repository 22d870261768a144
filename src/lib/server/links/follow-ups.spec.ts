import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { builtInRegistry, smallClinic, testContext } from '../test/fixtures';
import { startMailServer, type MailServer } from '../test/mail-server';
import { auditEvents, episodes, followUpPoints, ratingLinks } from '../db/schema';
import type { MessagingConfig } from '../config';
import { grantOfToken, linkPage, submitFromLink } from './rating-links';
import { recordConsent, sendDue, stopConsent } from './outbox';
import { emailSender } from './senders';
import { followUpsOfEpisode, planFollowUps, queueFollowUps, teamFollowUps } from './follow-ups';

/**
 * Follow-ups after discharge, end to end against a real SMTP server on loopback: planned from
 * the end date, sent on their day as the outcome form alone, answered on the phone and kept on
 * the episode; never sent after the patient stopped, nor to a patient back in treatment.
 */
const registry = builtInRegistry();
const ORIGIN = 'https://stemme.klinikk.example';
// The episode ends on Friday 4 December 2026; 1, 3 and 6 months later are 4 January, 4 March and 4 June 2027.
const END = '2026-12-04';
const DAY_ONE = new Date('2027-01-04T09:00:00Z');
let mail: MailServer;

beforeAll(async () => {
	mail = await startMailServer();
});
afterAll(async () => {
	await mail.close();
});

const config = (): MessagingConfig => ({
	origin: ORIGIN,
	smtpUrl: `smtp://127.0.0.1:${mail.port}`,
	mailFrom: 'Stemme <noreply@stemme.invalid>',
	sms: null,
	followUpMonths: { outpatient: [1, 3, 6], inpatient: [1], group: [] },
	askBirthDate: false
});
const senders = () => ({ email: emailSender(`smtp://127.0.0.1:${mail.port}`, 'Stemme <noreply@stemme.invalid>') });
const tokenIn = (text: string) => /\/r\/([a-z2-7]{26})/.exec(text)?.[1];
const values = { self: 6, close: 7, daily: 5, overall: 6 };

function endedEpisode(setting: 'outpatient' | 'inpatient' = 'outpatient') {
	const c = smallClinic();
	const episode = c.db
		.insert(episodes)
		.values({ patientId: c.patientA, startDate: '2026-09-01', setting, actualEnd: END, endReason: 'planned_completion', responsibleId: c.users.clinicianA.id })
		.returning()
		.get();
	recordConsent(c.db, c.users.clinicianA, c.patientA, { channel: 'email', address: 'pasient@example.test' }, new Date('2026-11-20T10:00:00Z'), '10.0.0.5');
	return { ...c, episodeId: episode.id };
}

describe('follow-ups after discharge', () => {
	it('plans the service’s months after the end, once', () => {
		const c = endedEpisode();
		expect(planFollowUps(c.db, config().followUpMonths, new Date('2026-12-10T10:00:00Z'))).toBe(3);
		expect(planFollowUps(c.db, config().followUpMonths, new Date('2026-12-11T10:00:00Z'))).toBe(0);
		expect(followUpsOfEpisode(c.db, c.episodeId, new Date('2026-12-11T10:00:00Z')).map((p) => [p.months, p.dueOn, p.state])).toEqual([
			[1, '2027-01-04', 'planned'],
			[3, '2027-03-04', 'planned'],
			[6, '2027-06-04', 'planned']
		]);
		// Another service keeps its own months: an inpatient episode here has one follow-up.
		const other = endedEpisode('inpatient');
		expect(planFollowUps(other.db, config().followUpMonths, new Date('2026-12-10T10:00:00Z'))).toBe(1);
	});

	it('sends the outcome form alone on its day; the patient answers on the phone and the point is on the episode', async () => {
		const c = endedEpisode();
		planFollowUps(c.db, config().followUpMonths, new Date('2026-12-10T10:00:00Z'));
		expect(queueFollowUps(c.db, registry, config(), [], new Date('2027-01-03T12:00:00Z'))).toBe(0);
		// Its day, but before 08:00 Oslo (07:00 UTC in winter): not yet.
		expect(queueFollowUps(c.db, registry, config(), [], new Date('2027-01-04T06:30:00Z'))).toBe(0);
		expect(queueFollowUps(c.db, registry, config(), [], DAY_ONE)).toBe(1);
		expect(queueFollowUps(c.db, registry, config(), [], new Date(DAY_ONE.getTime() + 3600_000))).toBe(0);
		mail.mails.length = 0;
		expect(await sendDue(c.db, senders(), DAY_ONE)).toEqual({ sent: 1, failed: 0 });
		expect(mail.mails).toHaveLength(1);
		const got = mail.mails[0]!;
		expect(got.to).toBe('pasient@example.test');
		expect(got.body).toContain('hvordan du har det nå');
		expect(got.body).toContain('116 117');
		expect(got.body).toContain('/stop');
		for (const secret of ['A-1', 'rus', 'clin-a', 'avsluttet']) expect(got.body).not.toContain(secret);

		const grant = grantOfToken(c.db, tokenIn(got.body)!)!;
		expect(grant).toMatchObject({ kind: 'follow_up', appointmentId: null, patientId: c.patientA, closed: false });
		// FOLLOW_UP_DAYS = 4: open until 8 January at the same hour.
		expect(grant.expiresAt).toEqual(new Date('2027-01-08T09:00:00Z'));
		const page = linkPage(c.db, registry, grant, DAY_ONE);
		expect(page.state).toBe('open');
		if (page.state === 'open') expect(page.form.instrument.kind).toBe('outcome');

		const at = new Date('2027-01-05T18:00:00Z');
		expect(submitFromLink(testContext(c.db, { now: at }), grant, { clientId: 'follow-up-answer-1', appointmentId: 0, values })).toMatchObject({ ok: true, status: 'stored' });
		// The phone's outbox sending again: already stored. Another answer: refused.
		expect(submitFromLink(testContext(c.db, { now: at }), grant, { clientId: 'follow-up-answer-1', values })).toMatchObject({ ok: true, status: 'already_stored' });
		expect(submitFromLink(testContext(c.db, { now: at }), grant, { clientId: 'follow-up-answer-2', values })).toEqual({ ok: false, reason: 'already_answered' });
		const points = followUpsOfEpisode(c.db, c.episodeId, at);
		// 6 + 7 + 5 + 6 on four items of 0–10.
		expect(points[0]).toMatchObject({ months: 1, state: 'answered', total: 24 });
		expect(points.slice(1).map((p) => p.state)).toEqual(['planned', 'planned']);
		expect(c.db.select().from(ratingLinks).where(eq(ratingLinks.id, grant.id)).get()!.answeredAt).toEqual(at);
		expect(c.db.select().from(auditEvents).where(eq(auditEvents.action, 'follow_up_answered')).get()).toMatchObject({ userId: null, patientId: c.patientA });
		// The team sees it; another team does not.
		expect(teamFollowUps(c.db, c.users.clinicianA, at).map((r) => [r.code, r.state, r.total])).toEqual([['A-1', 'answered', 24]]);
		expect(teamFollowUps(c.db, c.users.clinicianB, at)).toEqual([]);
	});

	it('sends nothing after the patient stopped the messages, and the point expires after its window', () => {
		const c = endedEpisode();
		planFollowUps(c.db, config().followUpMonths, new Date('2026-12-10T10:00:00Z'));
		stopConsent(c.db, c.patientA, { patient: true }, new Date('2026-12-20T10:00:00Z'), null);
		expect(queueFollowUps(c.db, registry, config(), [], DAY_ONE)).toBe(0);
		expect(followUpsOfEpisode(c.db, c.episodeId, DAY_ONE)[0]!.state).toBe('due');
		// Four days of window: from 8 January it can no longer go out.
		expect(followUpsOfEpisode(c.db, c.episodeId, new Date('2027-01-08T09:00:00Z'))[0]!.state).toBe('expired');
		expect(c.db.select().from(ratingLinks).all()).toEqual([]);
	});

	it('sends nothing to a patient back in treatment, and a reopened episode’s link opens nothing', () => {
		const c = endedEpisode();
		planFollowUps(c.db, config().followUpMonths, new Date('2026-12-10T10:00:00Z'));
		const back = c.db.insert(episodes).values({ patientId: c.patientA, startDate: '2026-12-28', setting: 'outpatient' }).returning().get();
		expect(queueFollowUps(c.db, registry, config(), [], DAY_ONE)).toBe(0);
		c.db.delete(episodes).where(eq(episodes.id, back.id)).run();
		expect(queueFollowUps(c.db, registry, config(), [], DAY_ONE)).toBe(1);
		const link = c.db.select().from(ratingLinks).get()!;
		expect(link.followUpPointId).toBe(c.db.select().from(followUpPoints).orderBy(followUpPoints.dueOn).get()!.id);
	});
});
