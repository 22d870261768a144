import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { appointments, episodes, patients, ratings, tabletHandoffs, type TabletHandoff } from '../db/schema';
import { getInstrument, type Registry } from '$lib/domain/registry';
import type { Localized } from '$lib/domain/localized';
import type { InstrumentDefinition } from '$lib/domain/instrument-schema';
import { CLIENT_ID, storeRating, type StoreRatingResult } from '../ratings';
import { currentAppointmentId, keptLanguageOf } from './handoff';
import { perDatabase } from '../db/prepared';
import type { Actor, RequestContext } from '../context';

/** What the tablet shows: the instrument's texts in every language it has, and no patient data. */
export interface RatingForm {
	handoffId: string;
	appointmentId: number;
	rater: TabletHandoff['rater'];
	turn: { position: number; count: number };
	/** In a group round, the first name of the member whose turn it is, to confirm ("Is this you?"). */
	member?: string | null;
	/** The patient's preferred language (null: none kept, or not the patient's own form); the tablet offers to keep another. */
	keptLanguage?: string | null;
	alreadyRated: boolean;
	languages: string[];
	instrument: {
		id: string;
		version: number;
		kind: 'outcome' | 'alliance';
		name: Localized;
		timeFrame: Localized;
		instructions: Localized;
		items: { key: string; label: Localized; anchors: { low: Localized; high: Localized } }[];
		licence: { holder: string; note: Localized };
		provisionalNote: Localized | null;
	};
}

export function ratingForm(db: Db, registry: Registry, handoff: TabletHandoff): RatingForm | null {
	const appointmentId = currentAppointmentId(handoff);
	const entry = getInstrument(registry, handoff.instrumentId, handoff.instrumentVersion);
	if (appointmentId === null || entry === null) return null;
	// An episode closed since the hand-over takes no answers: say so before the patient starts.
	if (episodeOfAppointment(db).get({ appointmentId })?.actualEnd !== null) return null;
	const def = entry.definition;
	return {
		handoffId: handoff.id,
		appointmentId,
		rater: handoff.rater,
		turn: { position: handoff.position + 1, count: handoff.appointmentIds.length },
		member: handoff.appointmentIds.length > 1 ? memberName(db, appointmentId) : null,
		keptLanguage: keptLanguageOf(db, handoff),
		alreadyRated: isFilledIn(db, appointmentId, def.id, handoff.rater),
		languages: Object.keys(def.name),
		instrument: formInstrument(def, handoff.rater)
	};
}

// Only the first name: the others in the room see the tablet too.
function memberName(db: Db, appointmentId: number): string | null {
	const row = db
		.select({ name: patients.displayName })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(eq(appointments.id, appointmentId))
		.get();
	const first = row?.name.trim().split(/\s+/)[0] ?? '';
	return first === '' ? null : first;
}

/** Whether this appointment already has this form from this rater (a correction does not count twice). */
export function isFilledIn(db: Db, appointmentId: number, instrumentId: string, rater: TabletHandoff['rater']): boolean {
	const row = db
		.select({ id: ratings.id })
		.from(ratings)
		.where(and(eq(ratings.appointmentId, appointmentId), eq(ratings.instrumentId, instrumentId), eq(ratings.rater, rater), isNull(ratings.correctsRatingId)))
		.get();
	return row !== undefined;
}

/**
 * What a rating form shows of an instrument (the tablet's and the patient's phone's alike): its
 * texts, no patient data. Another rater than the patient gets the instrument's wording for them
 * (a relative: about the patient).
 */
export function formInstrument(def: InstrumentDefinition, rater: TabletHandoff['rater'] = 'patient'): RatingForm['instrument'] {
	const wording = rater === 'patient' ? undefined : def.raterWording?.[rater];
	return {
		id: def.id,
		version: def.version,
		kind: def.kind,
		name: wording?.name ?? def.name,
		timeFrame: def.timeFrame,
		instructions: wording?.instructions ?? def.instructions,
		items: def.items.map((i) => ({ key: i.key, label: wording?.items[i.key] ?? i.label, anchors: i.anchors })),
		licence: def.licence,
		provisionalNote: def.ageBands.find((b) => b.thresholds.provisional)?.thresholds.note ?? null
	};
}

const Submission = z
	.object({
		handoffId: z.string().min(1).max(64),
		clientId: z.string().regex(CLIENT_ID),
		appointmentId: z.number().int().positive(),
		values: z.record(z.string().max(40), z.unknown()).refine((v) => Object.keys(v).length <= 40, 'too many items'),
		/** When the patient sent it, by the tablet's clock (ms since 1970); see storeForHandoff. */
		answeredAt: z.number().int().positive().max(8.64e15).optional()
	})
	.strict();

type Submission = z.infer<typeof Submission>;

export type TabletSubmitResult =
	| StoreRatingResult
	| { ok: false; reason: 'malformed'; field: string }
	| { ok: false; reason: 'not_this_appointment' | 'not_this_turn' | 'after_hand_back' | 'unknown_instrument' | 'unknown_handoff' };

const episodeOfAppointment = perDatabase((db: Db) =>
	db
		.select({ actualEnd: episodes.actualEnd })
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.where(eq(appointments.id, sql.placeholder('appointmentId')))
		.prepare()
);

// A handoff of this staff session, open or over.
const sessionHandoff = perDatabase((db: Db) =>
	db
		.select()
		.from(tabletHandoffs)
		.where(and(eq(tabletHandoffs.id, sql.placeholder('id')), eq(tabletHandoffs.sessionId, sql.placeholder('sessionId'))))
		.prepare()
);

function parse(body: unknown): { ok: true; data: Submission } | { ok: false; reason: 'malformed'; field: string } {
	const parsed = Submission.safeParse(body);
	return parsed.success ? { ok: true, data: parsed.data } : { ok: false, reason: 'malformed', field: String(parsed.error.issues[0]?.path[0] ?? 'body') };
}

/**
 * A rating sent to the tablet's endpoint by a staff session, in patient mode or taken back. It
 * names the handoff it was given under, which must be this session's. While the round is open only
 * the current turn's appointment is taken; once the tablet has been taken back, only answers the
 * tablet kept from before then (see storeForHandoff). The values are checked by the domain's
 * scoring, exactly as on the tablet.
 */
export function submitFromTablet(ctx: RequestContext, actor: Extract<Actor, { kind: 'staff' | 'tablet' }>, body: unknown): TabletSubmitResult {
	const parsed = parse(body);
	if (!parsed.ok) return parsed;
	// In patient mode the context has just read this session's open handoff: no second read of it.
	const handoff =
		actor.kind === 'tablet' && actor.handoff.id === parsed.data.handoffId ? actor.handoff : (sessionHandoff(ctx.db).get({ id: parsed.data.handoffId, sessionId: actor.session.id }) ?? null);
	// While its round is open the tablet itself sends; after the hand-back, the clinician's session does.
	const sender = handoff === null || handoff.endedAt === null ? null : { userId: actor.user.id, note: 'kept on the tablet, sent after the hand-back' };
	return storeForHandoff(ctx, handoff, parsed.data, sender);
}

/**
 * Answers the tablet kept (offline, or its staff session ended) sent later from the staff
 * pages by a clinician of the team treating the appointment — the route's guard has checked
 * that. The handoff is found by its id alone (it is a 160-bit secret the tablet was given), of
 * any session, open or over. Same checks, same client id: the rating lands once however many
 * times and from wherever it is sent.
 */
export function submitKeptAnswers(ctx: RequestContext, input: { userId: number; appointmentId: number; body: unknown }): TabletSubmitResult {
	const parsed = parse(input.body);
	if (!parsed.ok) return parsed;
	if (parsed.data.appointmentId !== input.appointmentId) return { ok: false, reason: 'malformed', field: 'appointmentId' };
	const handoff = ctx.db.select().from(tabletHandoffs).where(eq(tabletHandoffs.id, parsed.data.handoffId)).get() ?? null;
	return storeForHandoff(ctx, handoff, parsed.data, { userId: input.userId, note: 'kept on the tablet, sent from the staff pages' });
}

/**
 * Which answers a handoff takes. While the round is open: the current turn's only — a member
 * cannot answer for another (an earlier member's kept answers wait until the round is over). Once
 * it is over: answers the tablet says it took before the end, never one made after the clinician
 * took the tablet back (which would be stored as the patient's own). The tablet's clock is the
 * only witness of when the patient answered; an answer without its time is refused after the end.
 */
function turnProblem(handoff: TabletHandoff, data: Submission): 'not_this_turn' | 'after_hand_back' | null {
	if (handoff.endedAt === null) return currentAppointmentId(handoff) === data.appointmentId ? null : 'not_this_turn';
	const at = data.answeredAt;
	if (at === undefined || at > handoff.endedAt.getTime() || at < handoff.createdAt.getTime()) return 'after_hand_back';
	return null;
}

/** `sender` null: the tablet itself sent it, audited for the clinician who handed it over. */
function storeForHandoff(ctx: RequestContext, handoff: TabletHandoff | null, data: Submission, sender: { userId: number; note: string } | null): TabletSubmitResult {
	const { clientId, appointmentId, values } = data;
	if (handoff === null) return { ok: false, reason: 'unknown_handoff' };
	if (!handoff.appointmentIds.includes(appointmentId)) return { ok: false, reason: 'not_this_appointment' };
	const problem = turnProblem(handoff, data);
	if (problem !== null) return { ok: false, reason: problem };
	const instrument = getInstrument(ctx.registry, handoff.instrumentId, handoff.instrumentVersion);
	if (instrument === null) return { ok: false, reason: 'unknown_instrument' };
	// The tablet sends numbers. Text that looks like a number is for typed paper forms only.
	const notNumbers = Object.entries(values)
		.filter(([, v]) => typeof v !== 'number' && v !== undefined && v !== null)
		.map(([key, value]) => ({ key, code: 'not-a-number' as const, value }));
	if (notNumbers.length > 0) return { ok: false, reason: 'invalid_values', problems: notNumbers };
	const audit = sender === null ? { auditUserId: handoff.userId } : { auditUserId: sender.userId, auditNote: sender.note };
	return storeRating(ctx.db, { clientId, appointmentId, instrument, rater: handoff.rater, values, source: 'tablet', enteredById: null, address: ctx.address, ...audit }, ctx.now);
}
