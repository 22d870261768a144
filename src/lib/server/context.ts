import type { Db } from './db';
import type { Session, TabletHandoff } from './db/schema';
import type { SessionUser } from './auth/session';
import type { Registry } from '$lib/domain/registry';
import type { Config } from './config';
import type { LinkGrant } from './links/rating-links';
import type { ApiClientActor } from './fhir/api-clients';

/**
 * How a staff session was authenticated: the password, and the second factor given after it
 * ('totp' from the app, 'recovery' with a recovery code, null where none was owed: inside the
 * clinic's networks, no authenticator, not an administrator). A single sign-on (auth/sso.ts) is
 * method 'sso'; its second factor is 'sso' when the provider vouched for two factors (HelseID's
 * security level 4, or a standard provider's `amr`), else a TOTP code given after it, or none.
 */
export type StaffAuth = { method: 'password' | 'sso'; at: Date; secondFactor: 'totp' | 'recovery' | 'sso' | null };

/** The member of a handoff whose turn it is: one appointment, or one of a group round. */
export interface Turn {
	appointmentId: number;
	/** 0-based place in the round. */
	position: number;
	count: number;
}

/**
 * Who is asking, worked out once per request by src/hooks/context.ts from the session cookie and
 * the session row (never from another cookie or a request body):
 * - `staff`: a signed-in staff user, with their session and how they signed in;
 * - `tablet`: the same kind of session while it has handed the tablet to a patient — patient mode
 *   is a state of the session row, so it reaches only the rating form, whatever the browser keeps;
 * - `together`: a staff session showing one patient's together view with the screen turned to the
 *   patient: locked to that view, as patient mode is, until the clinician's PIN lifts it;
 * - `second-factor`: a password given and a second factor still owed (a code, or an administrator's
 *   enrolment): it reaches the two-factor page, signing out and the language only (hooks/paths.ts);
 * - `patient-link`: a patient on their own phone, holding a rating link (the token in the path of
 *   a `/r/` page, never a cookie): it reaches that one form and nothing else, whoever is signed in;
 * - `api-client`: another system (the patient-record system) on /fhir, from its bearer token —
 *   on /fhir only, where no cookie is read;
 * - `anonymous`: nobody signed in.
 */
export type Actor =
	| { kind: 'staff'; user: SessionUser; session: Session; auth: StaffAuth }
	| { kind: 'second-factor'; user: SessionUser; session: Session; owed: 'pending' | 'enrol' }
	| { kind: 'tablet'; user: SessionUser; session: Session; handoff: TabletHandoff; turn: Turn }
	| { kind: 'together'; user: SessionUser; session: Session; patientId: number }
	| { kind: 'patient-link'; grant: LinkGrant }
	| { kind: 'api-client'; client: ApiClientActor }
	| { kind: 'anonymous' };

/** A request the guards refused, noted for the audit trail (guards never write; see src/hooks/context.ts). */
export interface Denial {
	/** Null for a request nobody signed in made (an unknown rating link). */
	userId: number | null;
	/** The patient the request was about, when it exists, so the patient's access log shows the attempt. */
	patientId: number | null;
	detail: string;
	/** An answer to a rating-link token that does not exist: audited as such, and counted against the address. */
	unknownLink?: true;
}

/**
 * The request context, built once per request (`event.locals.ctx`). Everything below the hooks
 * takes what it needs from here: the database, the time of the request, the client's address,
 * the instrument registry, the installation's configuration and the actor. Nothing below the
 * hooks reads a cookie, the environment or the clock.
 */
export interface RequestContext {
	/** The app's database (getDb: it may be read-only or unavailable, which throws the storage error). */
	readonly db: Db;
	/** The time of this request: every row it writes and every "today" it shows uses it. */
	readonly now: Date;
	/** The client's address, for the audit trail; null where the adapter cannot tell. */
	readonly address: string | null;
	readonly registry: Registry;
	readonly config: Config;
	readonly actor: Actor;
	/** The path and query asked for: where sign-in leads back to. */
	readonly path: string;
	/** The storage error met while reading the session; the guards throw it (answered 503). */
	readonly databaseError: unknown;
	/** Refusals the guards noted; the context hook audits them once the handler has answered. */
	readonly denials: Denial[];
	/** The patients an API answer carried; the FHIR hook audits them with the request (src/hooks/fhir.ts). */
	readonly returned: number[];
}

/**
 * Who does a write, as the server functions that audit it take them: the user and the address
 * the request came from (the audit trail records both). Without an address (a test, a script)
 * the line records none.
 */
export type Doer = SessionUser & { address?: string | null };

/** The signed-in user of this request, with its client address. */
export function doer(ctx: Pick<RequestContext, 'address'>, user: SessionUser): Doer {
	return { ...user, address: ctx.address };
}

/** The user behind a staff or tablet actor; null for anyone else. */
export function actorUser(actor: Actor): SessionUser | null {
	return actor.kind === 'staff' || actor.kind === 'tablet' ? actor.user : null;
}

/** The turn a handoff is at (the last member's once the round is past its end). */
export function turnOf(handoff: TabletHandoff): Turn {
	const count = handoff.appointmentIds.length;
	const position = Math.min(handoff.position, count - 1);
	return { appointmentId: handoff.appointmentIds[position]!, position, count };
}

/**
 * A context for code that runs outside a request (tests, scripts): the same shape, with the
 * values given.
 */
export function contextFor(input: { db: Db; now: Date; registry: Registry; config: Config; actor: Actor; address?: string | null; path?: string }): RequestContext {
	return { address: null, path: '/', databaseError: undefined, denials: [], returned: [], ...input };
}
