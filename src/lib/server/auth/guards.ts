import { error, redirect } from '@sveltejs/kit';
import type { Patient, Role, Session, TabletHandoff } from '../db/schema';
import type { SessionUser } from './session';
import type { Actor, RequestContext, StaffAuth, Turn } from '../context';
import { findPatientForUser, patientExists } from '../patients';
import { findAppointmentForUser, type AppointmentContext } from '../appointments';
import type { LinkGrant } from '../links/rating-links';
import type { ApiClientActor } from '../fhir/api-clients';
import { FhirError } from '../fhir/outcome';
import type { SsoConfig } from '../config';
import { togetherPath } from '$lib/together-locale';

/**
 * Every protected `load`, action and endpoint starts with one of these (a test walks the route
 * files and fails where one is missing). They take the request context, check the actor against
 * the resource and return what they found. They never write: a refusal of a patient's record is
 * noted in `ctx.denials`, and the context hook that called the handler audits it afterwards.
 */

export type StaffAccess = { user: SessionUser; session: Session; auth: StaffAuth };

/** Where a user signed in with a one-time password must go before anything else. */
export const PASSWORD_CHANGE_PATH = '/password';
/** Where a session that owes its second factor is sent, with `?next=` back to what it asked for. */
export const TWO_FACTOR_PATH = '/login/two-factor';

/**
 * A signed-in staff user. Signed out: to the sign-in page and back. A second factor still owed: to
 * the two-factor page and back. A tablet in patient mode: back
 * to its form. A user on a one-time password (set by the admin) reaches nothing but the page that
 * replaces it (`passwordChange` lets that page, and signing out, through).
 */
export function requireUser(ctx: RequestContext, options: { passwordChange?: true } = {}): StaffAccess {
	if (ctx.databaseError !== undefined) throw ctx.databaseError;
	const actor = ctx.actor;
	if (actor.kind === 'tablet') redirect(303, '/rate');
	if (actor.kind === 'together') redirect(303, togetherPath(actor.patientId));
	// The context hook sends these on before any handler runs; this is the second lock on the door.
	if (actor.kind === 'second-factor') redirect(303, `${TWO_FACTOR_PATH}?next=${encodeURIComponent(ctx.path)}`);
	if (actor.kind !== 'staff') redirect(303, `/login?next=${encodeURIComponent(ctx.path)}`);
	if (actor.user.mustChangePassword === true && options.passwordChange !== true) redirect(303, `${PASSWORD_CHANGE_PATH}?next=${encodeURIComponent(ctx.path)}`);
	return { user: actor.user, session: actor.session, auth: actor.auth };
}

export function requireRole(ctx: RequestContext, allowed: readonly Role[]): StaffAccess {
	const access = requireUser(ctx);
	if (!allowed.includes(access.user.role)) error(403, 'Forbidden');
	return access;
}

/**
 * The two-factor page: a session that owes its second factor. Signed out: to sign-in; a tablet in
 * patient mode: to its form; a session that owes nothing (any more): on to `next`, which the
 * caller has checked.
 */
export function requireSecondFactorDue(ctx: RequestContext, next: string): { user: SessionUser; session: Session; owed: 'pending' | 'enrol' } {
	if (ctx.databaseError !== undefined) throw ctx.databaseError;
	const actor = ctx.actor;
	if (actor.kind === 'anonymous' || actor.kind === 'patient-link' || actor.kind === 'api-client') redirect(303, '/login');
	if (actor.kind === 'tablet') redirect(303, '/rate');
	if (actor.kind === 'together') redirect(303, togetherPath(actor.patientId));
	if (actor.kind === 'staff') redirect(303, next);
	return { user: actor.user, session: actor.session, owed: actor.owed };
}

/** Signing out: any signed-in session of a staff user, before its second factor or a new password too. */
export function requireSignedIn(ctx: RequestContext): { user: SessionUser; session: Session } {
	if (ctx.databaseError !== undefined) throw ctx.databaseError;
	const actor = ctx.actor;
	if (actor.kind === 'second-factor') return { user: actor.user, session: actor.session };
	return requireUser(ctx, { passwordChange: true });
}

/** A staff session, in patient mode or not: the tablet's own submission, which either may send. */
export function requireSession(ctx: RequestContext): { user: SessionUser; session: Session; actor: Extract<Actor, { kind: 'staff' | 'tablet' }> } {
	if (ctx.databaseError !== undefined) throw ctx.databaseError;
	const actor = ctx.actor;
	if (actor.kind !== 'staff' && actor.kind !== 'tablet') redirect(303, `/login?next=${encodeURIComponent(ctx.path)}`);
	return { user: actor.user, session: actor.session, actor };
}

const ID = /^[1-9][0-9]{0,9}$/;

/**
 * The patient, when the signed-in user's team treats them. Another team's patient, or an id that
 * does not exist, is answered as 404 alike, and the refusal is noted for the audit trail. What the
 * user then sees is audited by the page's own server function, not here.
 */
export function requirePatient(ctx: RequestContext, rawPatientId: string): StaffAccess & { patient: Patient } {
	const access = requireUser(ctx);
	const patientId = ID.test(rawPatientId) ? Number(rawPatientId) : null;
	const patient = patientId === null ? null : findPatientForUser(ctx.db, access.user, patientId);
	if (patient === null) {
		// Linked to the patient when it exists, so the patient's access log shows the attempt.
		const target = patientId !== null && patientExists(ctx.db, patientId) ? patientId : null;
		ctx.denials.push({ userId: access.user.id, patientId: target, detail: `patient ${rawPatientId.slice(0, 40)}` });
		error(404, 'Not found');
	}
	return { ...access, patient };
}

/**
 * The together view of a patient: a staff user whose team treats them (`locked` false), or the
 * session locked to this patient's together view (`locked` true; it reaches no other patient:
 * the context hook sends it back here first).
 */
export function requireTogether(ctx: RequestContext, rawPatientId: string): { user: SessionUser; session: Session; patient: Patient; locked: boolean } {
	if (ctx.databaseError !== undefined) throw ctx.databaseError;
	const actor = ctx.actor;
	if (actor.kind !== 'together') return { ...requirePatient(ctx, rawPatientId), locked: false };
	const patient = String(actor.patientId) === rawPatientId ? findPatientForUser(ctx.db, actor.user, actor.patientId) : null;
	if (patient === null) {
		ctx.denials.push({ userId: actor.user.id, patientId: patientExists(ctx.db, actor.patientId) ? actor.patientId : null, detail: `together view of patient ${rawPatientId.slice(0, 40)}` });
		error(404, 'Not found');
	}
	return { user: actor.user, session: actor.session, patient, locked: true };
}

/** An appointment of a patient the user's team treats, with its episode and patient; 404 (noted) for anything else. */
export function requireAppointment(ctx: RequestContext, rawAppointmentId: string): StaffAccess & { context: AppointmentContext } {
	const access = requireUser(ctx);
	const id = ID.test(rawAppointmentId) ? Number(rawAppointmentId) : null;
	const context = id === null ? null : findAppointmentForUser(ctx.db, access.user, id);
	if (context === null) {
		ctx.denials.push({ userId: access.user.id, patientId: null, detail: `appointment ${rawAppointmentId.slice(0, 40)}` });
		error(404, 'Not found');
	}
	return { ...access, context };
}

/**
 * Patient mode: the open handoff of this session and whose turn it is. Without one (never handed
 * over, or already taken back) staff go to their pages; a visitor signed in as nobody, to sign-in.
 */
export function requireHandoff(ctx: RequestContext): { user: SessionUser; session: Session; handoff: TabletHandoff; turn: Turn } {
	if (ctx.databaseError !== undefined) throw ctx.databaseError;
	const actor = ctx.actor;
	if (actor.kind === 'anonymous') redirect(303, '/login');
	if (actor.kind !== 'tablet') redirect(303, '/patients');
	return { user: actor.user, session: actor.session, handoff: actor.handoff, turn: actor.turn };
}

/**
 * A rating link's page: the grant the token in the path stands for. An unknown token (or none)
 * is answered 404 like any missing page; the attempt is noted, and the context hook audits it
 * and counts it against the address (guessing is useless and noticed).
 */
export function requireRatingLink(ctx: RequestContext): LinkGrant {
	if (ctx.databaseError !== undefined) throw ctx.databaseError;
	const actor = ctx.actor;
	if (actor.kind !== 'patient-link') {
		ctx.denials.push({ userId: null, patientId: null, detail: `unknown rating link ${ctx.path.slice(0, 12)}…`, unknownLink: true });
		error(404, 'Not found');
	}
	return actor.grant;
}

/**
 * An API client on /fhir, from its bearer token (src/hooks/context.ts). Without a valid one — none
 * sent, unknown, expired or revoked alike — a FHIR OperationOutcome with 401. Which patients it
 * may read is its teams' (`patientVisibleTo(client.teamIds)`), checked where each resource is read.
 */
export function requireApiClient(ctx: RequestContext): ApiClientActor {
	if (ctx.databaseError !== undefined) throw ctx.databaseError;
	if (ctx.actor.kind !== 'api-client')
		throw new FhirError(401, [{ code: 'login', diagnostics: 'A valid API client token is required (Authorization: Bearer …); it may have expired or been revoked' }]);
	return ctx.actor.client;
}

/**
 * Single sign-on's own pages (/login/sso): only where the installation set it up (404 elsewhere).
 * Open to whoever is not signed in, like the sign-in page; a tablet in patient mode goes back to
 * its form (the hook sends it there first). Returns the provider's configuration.
 */
export function requireSsoConfigured(ctx: RequestContext): SsoConfig {
	if (ctx.databaseError !== undefined) throw ctx.databaseError;
	if (ctx.actor.kind === 'tablet') redirect(303, '/rate');
	if (ctx.config.sso === null) error(404, 'Not found');
	return ctx.config.sso;
}
