import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { z } from 'zod';
import type { Db } from '../db';
import { appointments, episodes, followUpPoints, ratingLinks, ratings, type RatingLink } from '../db/schema';
import type { AppointmentContext } from '../appointments';
import type { SessionUser } from '../auth/session';
import type { RequestContext } from '../context';
import { recordAudit } from '../audit';
import { perDatabase } from '../db/prepared';
import { CLIENT_ID, storeRating, type StoreRatingResult } from '../ratings';
import { storeFollowUpAnswer, type FollowUpAnswerResult } from './follow-ups';
import { gatePassed } from './link-gate';
import { formInstrument, type RatingForm } from '../tablet/patient-mode';
import { chooseInstrument } from '$lib/domain/choose-instrument';
import { ageFromBirthYear } from '$lib/domain/age';
import { getInstrument, type Registry } from '$lib/domain/registry';
import type { InstrumentKind } from '$lib/domain/instrument-schema';
import { LINK_TOKEN, linkExpiry, linkState, type LinkState, type RatingLinkKind } from '$lib/domain/rating-links';

/**
 * What a rating link grants, as the request context carries it (actor `patient-link`): one form
 * of one appointment, or of one follow-up after discharge. The patient id is there for the audit
 * trail only; the phone is never shown it.
 */
export interface LinkGrant {
	id: number;
	kind: RatingLinkKind;
	/** Null for a follow-up after discharge, which has `followUpPointId` instead. */
	appointmentId: number | null;
	followUpPointId: number | null;
	patientId: number;
	instrumentId: string;
	instrumentVersion: number;
	rater: RatingLink['rater'];
	expiresAt: Date;
	withdrawnAt: Date | null;
	answeredAt: Date | null;
	language: string | null;
	/** When the patient passed the birth-date gate (null: not asked, or not yet). */
	unlockedAt: Date | null;
	/** The form can no longer be answered: an appointment's episode ended, or a follow-up's episode was reopened. */
	closed: boolean;
}

export function tokenHash(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

const byHash = perDatabase((db: Db) =>
	db
		.select({
			id: ratingLinks.id,
			kind: ratingLinks.kind,
			appointmentId: ratingLinks.appointmentId,
			followUpPointId: ratingLinks.followUpPointId,
			patientId: episodes.patientId,
			instrumentId: ratingLinks.instrumentId,
			instrumentVersion: ratingLinks.instrumentVersion,
			rater: ratingLinks.rater,
			expiresAt: ratingLinks.expiresAt,
			withdrawnAt: ratingLinks.withdrawnAt,
			answeredAt: ratingLinks.answeredAt,
			language: ratingLinks.language,
			unlockedAt: ratingLinks.unlockedAt,
			actualEnd: episodes.actualEnd
		})
		.from(ratingLinks)
		.leftJoin(appointments, eq(appointments.id, ratingLinks.appointmentId))
		.leftJoin(followUpPoints, eq(followUpPoints.id, ratingLinks.followUpPointId))
		.innerJoin(episodes, sql`${episodes.id} = coalesce(${appointments.episodeId}, ${followUpPoints.episodeId})`)
		.where(eq(ratingLinks.tokenHash, sql.placeholder('hash')))
		.prepare()
);

/** The grant a token stands for, or null (a token of the wrong shape is not looked up). */
export function grantOfToken(db: Db, token: string): LinkGrant | null {
	if (!LINK_TOKEN.test(token)) return null;
	const row = byHash(db).get({ hash: tokenHash(token) });
	if (row === undefined) return null;
	const { actualEnd, ...grant } = row;
	// A follow-up is asked after the end; any other form only while the episode is open.
	return { ...grant, closed: grant.followUpPointId === null ? actualEnd !== null : actualEnd === null };
}

/** A new link's token: 128 random bits in base32, shown once; only its hash is kept. */
export function newToken(): string {
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export type MakeLinkResult = { ok: true; token: string; link: RatingLink } | { ok: false; reason: 'episode_closed' | 'cancelled' | 'no_instrument' | 'already_rated' };

/**
 * A new link for this appointment's outcome or alliance form, for the patient's own phone. An
 * earlier link for the same form that is still open is withdrawn (only the newest opens). The
 * token is returned once, to be shown as a QR code and a link; only its hash is kept.
 */
export function makeRatingLink(
	db: Db,
	registry: Registry,
	input: { user: SessionUser; context: AppointmentContext; kind: RatingLinkKind; form: InstrumentKind; preferred: readonly string[]; address: string | null },
	now: Date
): MakeLinkResult {
	const { context } = input;
	if (context.episode.actualEnd !== null) return { ok: false, reason: 'episode_closed' };
	if (context.appointment.status === 'cancelled' || context.appointment.status === 'late_cancellation') return { ok: false, reason: 'cancelled' };
	const instrument = chooseInstrument(registry, { kind: input.form, rater: 'patient', age: ageFromBirthYear(context.patient.birthYear, now), preferred: input.preferred });
	if (instrument === null) return { ok: false, reason: 'no_instrument' };
	const def = instrument.definition;
	if (ratedAlready(db, context.appointment.id, def.id)) return { ok: false, reason: 'already_rated' };
	const token = newToken();
	const link = db.transaction((tx) => {
		tx.update(ratingLinks)
			.set({ withdrawnAt: now })
			.where(and(eq(ratingLinks.appointmentId, context.appointment.id), eq(ratingLinks.instrumentId, def.id), isNull(ratingLinks.answeredAt), isNull(ratingLinks.withdrawnAt)))
			.run();
		const made = tx
			.insert(ratingLinks)
			.values({
				tokenHash: tokenHash(token),
				kind: input.kind,
				appointmentId: context.appointment.id,
				instrumentId: def.id,
				instrumentVersion: def.version,
				rater: 'patient',
				createdById: input.user.id,
				createdAt: now,
				expiresAt: linkExpiry(input.kind, now, context.appointment.scheduledAt)
			})
			.returning()
			.get();
		recordAudit(
			tx,
			{
				userId: input.user.id,
				action: 'rating_link_made',
				patientId: context.patient.id,
				detail: `link ${made.id} ${input.kind} ${def.id} appointment ${context.appointment.id}`,
				address: input.address
			},
			now
		);
		return made;
	});
	return { ok: true, token, link };
}

function ratedAlready(db: Db, appointmentId: number, instrumentId: string): boolean {
	const row = db
		.select({ id: ratings.id })
		.from(ratings)
		.where(and(eq(ratings.appointmentId, appointmentId), eq(ratings.instrumentId, instrumentId), eq(ratings.rater, 'patient'), isNull(ratings.correctsRatingId)))
		.get();
	return row !== undefined;
}

/** What the phone is shown: the form while the link is open, otherwise only the link's state. */
export type LinkPage =
	{ state: 'open'; form: Omit<RatingForm, 'handoffId' | 'turn'>; language: string | null } | { state: Exclude<LinkState, 'open'> | 'closed' | 'gate'; languages: string[]; language: string | null };

/** `gate`: the installation asks for the birth date first and it has not been given (link-gate.ts). */
export function linkPage(db: Db, registry: Registry, grant: LinkGrant, now: Date, gate: { passed: boolean } = { passed: true }): LinkPage {
	const entry = getInstrument(registry, grant.instrumentId, grant.instrumentVersion);
	const languages = entry === null ? ['nb', 'nn', 'en'] : Object.keys(entry.definition.name);
	const state = linkState(grant, now);
	if (state !== 'open') return { state, languages, language: grant.language };
	if (entry === null || grant.closed) return { state: 'closed', languages, language: grant.language };
	if (!gate.passed) return { state: 'gate', languages, language: grant.language };
	return {
		state: 'open',
		language: grant.language,
		// A follow-up has no appointment: the phone's outbox names it 0, which the submission checks.
		form: { appointmentId: grant.appointmentId ?? 0, rater: grant.rater, alreadyRated: false, languages, instrument: formInstrument(entry.definition) }
	};
}

/** The phone opened its form: audited as the patient's own action (no staff user). */
export function auditLinkOpened(db: Db, grant: LinkGrant, address: string | null, now: Date): void {
	recordAudit(db, { userId: null, action: 'rating_link_opened', patientId: grant.patientId, detail: `link ${grant.id}, the patient's own phone`, address }, now);
}

export function setLinkLanguage(db: Db, grant: LinkGrant, language: string): void {
	db.update(ratingLinks).set({ language }).where(eq(ratingLinks.id, grant.id)).run();
}

const Submission = z
	.object({
		clientId: z.string().regex(CLIENT_ID),
		appointmentId: z.number().int().nonnegative().optional(),
		values: z.record(z.string().max(40), z.unknown()).refine((v) => Object.keys(v).length <= 40, 'too many items'),
		answeredAt: z.number().int().positive().max(8.64e15).optional()
	})
	.strict();

export type LinkSubmitResult =
	StoreRatingResult | FollowUpAnswerResult | { ok: false; reason: 'malformed'; field: string } | { ok: false; reason: 'expired' | 'withdrawn' | 'already_answered' | 'unknown_instrument' | 'gate' };

/**
 * A rating sent from the patient's phone. The same scoring and the same once-only storage as the
 * tablet; the link is marked answered in the same transaction (the caller's group commit). A
 * repeat of the same answers (the phone's outbox sending again) is answered "already stored".
 */
export function submitFromLink(ctx: RequestContext, grant: LinkGrant, body: unknown): LinkSubmitResult {
	const parsed = Submission.safeParse(body);
	if (!parsed.success) return { ok: false, reason: 'malformed', field: String(parsed.error.issues[0]?.path[0] ?? 'body') };
	if (parsed.data.appointmentId !== undefined && parsed.data.appointmentId !== (grant.appointmentId ?? 0)) return { ok: false, reason: 'malformed', field: 'appointmentId' };
	const state = linkState(grant, ctx.now);
	const instrument = getInstrument(ctx.registry, grant.instrumentId, grant.instrumentVersion);
	if (instrument === null) return { ok: false, reason: 'unknown_instrument' };
	if (state === 'expired' || state === 'withdrawn') return { ok: false, reason: state };
	if (!gatePassed(ctx, grant)) return { ok: false, reason: 'gate' };
	const notNumbers = Object.entries(parsed.data.values)
		.filter(([, v]) => typeof v !== 'number' && v !== undefined && v !== null)
		.map(([key, value]) => ({ key, code: 'not-a-number' as const, value }));
	if (notNumbers.length > 0) return { ok: false, reason: 'invalid_values', problems: notNumbers };
	if (grant.followUpPointId !== null || grant.appointmentId === null) {
		if (grant.closed || grant.followUpPointId === null) return { ok: false, reason: 'episode_closed' };
		return storeFollowUpAnswer(
			ctx.db,
			{ linkId: grant.id, pointId: grant.followUpPointId, patientId: grant.patientId, clientId: parsed.data.clientId, instrument, values: parsed.data.values, address: ctx.address },
			ctx.now
		);
	}
	const result = storeRating(
		ctx.db,
		{
			clientId: parsed.data.clientId,
			appointmentId: grant.appointmentId,
			instrument,
			rater: grant.rater,
			values: parsed.data.values,
			source: 'phone',
			enteredById: null,
			auditUserId: null,
			auditNote: `the patient's own phone, link ${grant.id}`,
			address: ctx.address
		},
		ctx.now
	);
	if (!result.ok) return result.reason === 'already_rated' ? { ok: false, reason: 'already_answered' } : result;
	if (result.status === 'stored') ctx.db.update(ratingLinks).set({ answeredAt: ctx.now, ratingId: result.rating.id }).where(eq(ratingLinks.id, grant.id)).run();
	return result;
}

export interface AppointmentLink {
	id: number;
	kind: RatingLinkKind;
	instrumentId: string;
	instrumentVersion: number;
	createdAt: Date;
	expiresAt: Date;
	answeredAt: Date | null;
	state: LinkState;
}

/** The appointment's links, newest first, with their state, for the clinician's page. */
export function linksOfAppointment(db: Db, appointmentId: number, now: Date): AppointmentLink[] {
	return db
		.select()
		.from(ratingLinks)
		.where(eq(ratingLinks.appointmentId, appointmentId))
		.orderBy(desc(ratingLinks.id))
		.all()
		.map((l) => ({
			id: l.id,
			kind: l.kind,
			instrumentId: l.instrumentId,
			instrumentVersion: l.instrumentVersion,
			createdAt: l.createdAt,
			expiresAt: l.expiresAt,
			answeredAt: l.answeredAt,
			state: linkState(l, now)
		}));
}

/** Only each link's id and state: what the appointment page polls for. */
export function linkStates(db: Db, appointmentId: number, now: Date): { id: number; state: LinkState }[] {
	return linksOfAppointment(db, appointmentId, now).map((l) => ({ id: l.id, state: l.state }));
}
