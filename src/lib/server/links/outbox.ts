import { and, desc, eq, gt, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { appointments, contactConsents, episodes, outboxMessages, patients, ratingLinks, users, type ContactConsent, type Locale, type OutboxMessage } from '../db/schema';
import type { Registry } from '$lib/domain/registry';
import type { MessagingConfig } from '../config';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { makeRatingLink } from './rating-links';
import { planFollowUps, queueFollowUps } from './follow-ups';
import type { InstrumentKind } from '$lib/domain/instrument-schema';
import type { RatingLinkKind } from '$lib/domain/rating-links';
import { MAX_DURATION_MINUTES } from '$lib/domain/booking';
import { AFTER_SEND_WINDOW_HOURS, afterSendAt, afterSendDue, beforeReminderAt, beforeSendAt, mayMessageToday, MAX_SEND_ATTEMPTS, retryDelayMs } from '$lib/domain/remote-schedule';
import { m } from '$lib/paraglide/messages';

/** Sends one message; throws with a reason the outbox keeps when it could not. */
export type Sender = (message: Pick<OutboxMessage, 'recipient' | 'subject' | 'body'>) => Promise<void>;
export type Senders = Partial<Record<ContactConsent['channel'], Sender>>;

/** The patient's consent in force, or null (none recorded, or stopped). */
export function activeConsent(db: Db, patientId: number): ContactConsent | null {
	const row = db.select().from(contactConsents).where(eq(contactConsents.patientId, patientId)).orderBy(desc(contactConsents.id)).get();
	return row === undefined || row.stoppedAt !== null ? null : row;
}

/** Records the patient's consent (channel and address as they chose); an earlier one in force is replaced. */
export function recordConsent(db: Db, user: SessionUser, patientId: number, input: { channel: ContactConsent['channel']; address: string }, now: Date, ip: string | null): ContactConsent {
	return db.transaction((tx) => {
		tx.update(contactConsents)
			.set({ stoppedAt: now, stoppedById: user.id, stoppedByPatient: false })
			.where(and(eq(contactConsents.patientId, patientId), isNull(contactConsents.stoppedAt)))
			.run();
		const row = tx.insert(contactConsents).values({ patientId, channel: input.channel, address: input.address, recordedById: user.id, recordedAt: now }).returning().get();
		recordAudit(tx, { userId: user.id, action: 'contact_consent_recorded', patientId, detail: `consent ${row.id} ${input.channel}`, address: ip }, now);
		return row;
	});
}

/**
 * Stops the messages: by the patient (the link in a message; no staff user) or by staff. Queued
 * messages not yet sent are not sent. Stopping twice changes nothing.
 */
export function stopConsent(db: Db, patientId: number, by: { patient: true } | { userId: number }, now: Date, ip: string | null): boolean {
	return db.transaction((tx) => {
		const stopped = tx
			.update(contactConsents)
			.set({ stoppedAt: now, stoppedByPatient: 'patient' in by, stoppedById: 'userId' in by ? by.userId : null })
			.where(and(eq(contactConsents.patientId, patientId), isNull(contactConsents.stoppedAt)))
			.returning({ id: contactConsents.id })
			.all();
		if (stopped.length === 0) return false;
		tx.update(outboxMessages)
			.set({ state: 'failed', lastError: 'stopped: the patient no longer wants messages' })
			.where(and(eq(outboxMessages.patientId, patientId), eq(outboxMessages.state, 'queued')))
			.run();
		recordAudit(
			tx,
			{ userId: 'userId' in by ? by.userId : null, action: 'contact_consent_stopped', patientId, detail: 'patient' in by ? 'by the patient, from a message' : 'by staff', address: ip },
			now
		);
		return true;
	});
}

export function lastMessageAt(db: Db, patientId: number): Date | null {
	return db.select({ at: outboxMessages.createdAt }).from(outboxMessages).where(eq(outboxMessages.patientId, patientId)).orderBy(desc(outboxMessages.id)).get()?.at ?? null;
}

const DATE_LOCALE: Record<Locale, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };
const formatUntil = (at: Date, locale: Locale) =>
	new Intl.DateTimeFormat(DATE_LOCALE[locale], { timeZone: 'Europe/Oslo', weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(at);

/**
 * A message's text in the patient's language (the one their tablet opens in; the clinic's nb when
 * none is set): the link, until when, the crisis numbers, how to stop. No name, no health information.
 */
export function compose(kind: OutboxMessage['kind'], link: RatingLinkKind, origin: string, token: string, until: Date, locale: Locale): { subject: string; body: string } {
	const url = `${origin}/r/${token}`;
	const params = { url, until: formatUntil(until, locale), stop: `${url}/stop` };
	const text = kind === 'reminder' ? m.msg_reminder : link === 'after' ? m.msg_after : link === 'follow_up' ? m.msg_follow_up : m.msg_invitation;
	return { subject: m.msg_subject({}, { locale }), body: text(params, { locale }) };
}

/** Appointments in an open episode of a patient whose consent is in force, that also meet `condition`. */
function consentedAppointments(db: Db, condition: SQL | undefined) {
	return db
		.select({ appointmentId: appointments.id, start: appointments.scheduledAt, minutes: appointments.durationMinutes, patientId: episodes.patientId })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(contactConsents, and(eq(contactConsents.patientId, episodes.patientId), isNull(contactConsents.stoppedAt)))
		.where(and(isNull(episodes.actualEnd), condition))
		.all();
}

/**
 * The outcome form sent ahead: for each scheduled appointment of a patient who consented, in the
 * next two days, once its evening-before time has come (domain/remote-schedule.ts). A link
 * of kind `before` (answerable until the session starts) and its message, in one transaction.
 * Skipped when the form is answered, the episode has ended, or the patient had a message today.
 */
export function queueInvitations(db: Db, registry: Registry, config: MessagingConfig, preferred: readonly string[], now: Date): number {
	if (config.origin === null) return 0;
	const due = consentedAppointments(
		db,
		and(
			eq(appointments.status, 'scheduled'),
			gt(appointments.scheduledAt, now),
			lte(appointments.scheduledAt, new Date(now.getTime() + 48 * 3600_000)),
			sql`NOT EXISTS (SELECT 1 FROM ${ratingLinks} l WHERE l.appointment_id = ${appointments.id} AND l.kind = 'before')`
		)
	);
	let queued = 0;
	for (const a of due) {
		if (now.getTime() < beforeSendAt(a.start).getTime()) continue;
		if (queueOne(db, registry, config, preferred, { ...a, kind: 'invitation' }, now)) queued++;
	}
	return queued;
}

/** The one reminder, the morning of the appointment, when the form sent ahead is still unanswered: a fresh link replaces the first. */
export function queueReminders(db: Db, registry: Registry, config: MessagingConfig, preferred: readonly string[], now: Date): number {
	if (config.origin === null) return 0;
	const open = db
		.select({ linkId: ratingLinks.id, appointmentId: appointments.id, start: appointments.scheduledAt, clinicianId: appointments.clinicianId, patientId: episodes.patientId })
		.from(ratingLinks)
		.innerJoin(appointments, eq(appointments.id, ratingLinks.appointmentId))
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		// A video or phone session's one message that day is the alliance form after it.
		.where(and(eq(ratingLinks.kind, 'before'), eq(appointments.sessionMode, 'in_person'), isNull(ratingLinks.answeredAt), isNull(ratingLinks.withdrawnAt), gt(ratingLinks.expiresAt, now)))
		.all();
	let queued = 0;
	for (const l of open) {
		const at = beforeReminderAt(l.start);
		if (at === null || now.getTime() < at.getTime()) continue;
		const messages = db
			.select({ kind: outboxMessages.kind })
			.from(outboxMessages)
			.innerJoin(ratingLinks, eq(ratingLinks.id, outboxMessages.linkId))
			.where(eq(ratingLinks.appointmentId, l.appointmentId))
			.all();
		if (messages.some((x) => x.kind === 'reminder') || !messages.some((x) => x.kind === 'invitation')) continue;
		if (queueOne(db, registry, config, preferred, { ...l, kind: 'reminder' }, now)) queued++;
	}
	return queued;
}

/**
 * The alliance form after a video or phone session, sent when the booked time ends and answerable
 * for 24 hours (a link of kind `after`). Skipped for a session that was cancelled or missed, whose
 * episode has ended, that ended too long ago, or whose form is answered already.
 */
export function queueAfterSession(db: Db, registry: Registry, config: MessagingConfig, preferred: readonly string[], now: Date): number {
	if (config.origin === null) return 0;
	const ended = consentedAppointments(
		db,
		and(
			inArray(appointments.sessionMode, ['video', 'phone']),
			inArray(appointments.status, ['scheduled', 'attended']),
			lte(appointments.scheduledAt, now),
			// Only sessions that can still be in the window: the longest booking plus the window.
			gt(appointments.scheduledAt, new Date(now.getTime() - MAX_DURATION_MINUTES * 60_000 - AFTER_SEND_WINDOW_HOURS * 3600_000)),
			sql`NOT EXISTS (SELECT 1 FROM ${ratingLinks} l WHERE l.appointment_id = ${appointments.id} AND l.kind = 'after')`
		)
	);
	let queued = 0;
	for (const a of ended) {
		if (!afterSendDue(afterSendAt(a.start, a.minutes), now)) continue;
		if (queueOne(db, registry, config, preferred, { ...a, kind: 'invitation', link: 'after', form: 'alliance' }, now)) queued++;
	}
	return queued;
}

type Queued = { appointmentId: number; patientId: number; kind: OutboxMessage['kind']; link?: RatingLinkKind; form?: InstrumentKind };

/** A link and its message for one appointment: by default the outcome form sent ahead. */
function queueOne(db: Db, registry: Registry, config: MessagingConfig, preferred: readonly string[], a: Queued, now: Date): boolean {
	const consent = activeConsent(db, a.patientId);
	if (consent === null || !mayMessageToday(lastMessageAt(db, a.patientId), now)) return false;
	// The system sends on behalf of the appointment's clinician (the link's maker in the trail).
	const row = db
		.select({ appointment: appointments, episode: episodes, patient: patients, user: users })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.innerJoin(users, eq(users.id, appointments.clinicianId))
		.where(eq(appointments.id, a.appointmentId))
		.get();
	if (row === undefined) return false;
	const { appointment, episode, patient, user: u } = row;
	const user: SessionUser = { id: u.id, username: u.username, displayName: u.displayName, role: u.role, organisationId: u.organisationId, preferredLocale: u.preferredLocale };
	const context = { appointment, episode, patient };
	return db.transaction((tx) => {
		// The link and its message together, or neither (a link without its message would never be sent again).
		const made = makeRatingLink(tx as unknown as Db, registry, { user, context, kind: a.link ?? 'before', form: a.form ?? 'outcome', preferred, address: null }, now);
		if (!made.ok) return false;
		const text = compose(a.kind, made.link.kind, config.origin!, made.token, made.link.expiresAt, patient.preferredLocale ?? 'nb');
		tx.insert(outboxMessages)
			.values({ linkId: made.link.id, patientId: a.patientId, kind: a.kind, channel: consent.channel, recipient: consent.address, ...text, nextAttemptAt: now, createdAt: now })
			.run();
		return true;
	});
}

/**
 * Sends what is due, one message at a time. Sent: the body is kept without the link's token (it
 * opens the form; only the patient's message holds it now). Failed: tried again after 1, 5, 30
 * minutes and then every two hours, and given up after MAX_SEND_ATTEMPTS with the last reason.
 * A channel with no sender configured waits (the reason says so).
 */
export async function sendDue(db: Db, senders: Senders, now: Date): Promise<{ sent: number; failed: number }> {
	const due = db
		.select()
		.from(outboxMessages)
		.where(and(eq(outboxMessages.state, 'queued'), lte(outboxMessages.nextAttemptAt, now)))
		.orderBy(outboxMessages.id)
		.limit(50)
		.all();
	let sent = 0;
	let failed = 0;
	for (const message of due) {
		const send = senders[message.channel];
		let problem: string | null = null;
		if (send === undefined) problem = `no ${message.channel === 'sms' ? 'text-message gateway' : 'mail server'} is configured`;
		else {
			try {
				await send(message);
			} catch (e) {
				problem = (e instanceof Error ? e.message : String(e)).slice(0, 300);
			}
		}
		if (problem === null) {
			db.transaction((tx) => {
				tx.update(outboxMessages)
					.set({ state: 'sent', sentAt: now, attempts: message.attempts + 1, lastError: null, body: withoutToken(message.body) })
					.where(eq(outboxMessages.id, message.id))
					.run();
				recordAudit(tx, { userId: null, action: 'message_sent', patientId: message.patientId, detail: `message ${message.id} ${message.kind} by ${message.channel}`, address: null }, now);
			});
			sent++;
		} else {
			const attempts = message.attempts + 1;
			const givenUp = attempts >= MAX_SEND_ATTEMPTS;
			db.update(outboxMessages)
				.set({ attempts, lastError: problem, state: givenUp ? 'failed' : 'queued', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) })
				.where(eq(outboxMessages.id, message.id))
				.run();
			failed++;
		}
	}
	return { sent, failed };
}

/** A sent message's body as it is kept: the link's path without its token. */
export function withoutToken(body: string): string {
	return body.replace(/\/r\/[a-z2-7]{26}/g, '/r/…');
}

export interface MessageRow {
	id: number;
	kind: OutboxMessage['kind'];
	channel: OutboxMessage['channel'];
	state: OutboxMessage['state'] | 'answered' | 'expired';
	createdAt: Date;
	sentAt: Date | null;
	lastError: string | null;
}

/** The messages of an appointment's links, for its page: queued, sent, failed with the reason, answered or expired. */
export function messagesOfAppointment(db: Db, appointmentId: number, now: Date): MessageRow[] {
	const rows = db
		.select({ message: outboxMessages, answeredAt: ratingLinks.answeredAt, expiresAt: ratingLinks.expiresAt })
		.from(outboxMessages)
		.innerJoin(ratingLinks, eq(ratingLinks.id, outboxMessages.linkId))
		.where(eq(ratingLinks.appointmentId, appointmentId))
		.orderBy(desc(outboxMessages.id))
		.all();
	return rows.map(({ message, answeredAt, expiresAt }) => ({
		id: message.id,
		kind: message.kind,
		channel: message.channel,
		state: message.state === 'sent' && answeredAt !== null ? 'answered' : message.state === 'sent' && expiresAt.getTime() <= now.getTime() ? 'expired' : message.state,
		createdAt: message.createdAt,
		sentAt: message.sentAt,
		lastError: message.lastError
	}));
}

/** Every minute: queue what is due (invitations, reminders, the forms after sessions, follow-ups), then send what is queued. One round at a time. */
export const MESSAGING_INTERVAL_MS = 60_000;

export function scheduleMessaging(
	db: Db,
	registry: Registry,
	config: { messaging: MessagingConfig; preferredInstruments: readonly string[] },
	senders: Senders,
	log: (line: string) => void
): NodeJS.Timeout | null {
	if (config.messaging.origin === null || Object.keys(senders).length === 0) return null;
	let running = false;
	const round = async (): Promise<void> => {
		const now = new Date();
		queueInvitations(db, registry, config.messaging, config.preferredInstruments, now);
		queueReminders(db, registry, config.messaging, config.preferredInstruments, now);
		queueAfterSession(db, registry, config.messaging, config.preferredInstruments, now);
		planFollowUps(db, config.messaging.followUpMonths, now);
		queueFollowUps(db, registry, config.messaging, config.preferredInstruments, now);
		await sendDue(db, senders, now);
	};
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		round()
			.catch((e: unknown) => log(`Stemme: sending rating links failed: ${(e as Error).message}`))
			.finally(() => (running = false));
	}, MESSAGING_INTERVAL_MS);
	timer.unref();
	return timer;
}

export interface ConsentView {
	channel: ContactConsent['channel'];
	address: string;
	recordedAt: Date;
	recordedBy: string;
	stoppedAt: Date | null;
	stoppedByPatient: boolean;
}

/** The patient's latest consent (in force or stopped), with who recorded it, for the patient page. */
export function consentView(db: Db, patientId: number): ConsentView | null {
	const row = db
		.select({ consent: contactConsents, by: users.displayName })
		.from(contactConsents)
		.innerJoin(users, eq(users.id, contactConsents.recordedById))
		.where(eq(contactConsents.patientId, patientId))
		.orderBy(desc(contactConsents.id))
		.get();
	if (row === undefined) return null;
	const c = row.consent;
	return { channel: c.channel, address: c.address, recordedAt: c.recordedAt, recordedBy: row.by, stoppedAt: c.stoppedAt, stoppedByPatient: c.stoppedByPatient === true };
}
