import type { Handle, RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getConfig } from '$lib/server/config';
import { getRegistry } from '$lib/server/instruments';
import type { SessionLimits } from '$lib/server/auth/session';
import { actorFromToken } from '$lib/server/auth/actor';
import { clearSessionCookie, readSessionCookie } from '$lib/server/auth/cookie';
import { storageFailure } from '$lib/server/db/storage-failure';
import { recordAudit } from '$lib/server/audit';
import type { Actor, Denial, RequestContext } from '$lib/server/context';
import { isFhirPath, isSecondFactorPath, isTabletPath, isTogetherPath, linkToken } from './paths';
import { togetherPath } from '$lib/together-locale';
import { TWO_FACTOR_PATH } from '$lib/server/auth/guards';
import { grantOfToken } from '$lib/server/links/rating-links';
import { recordFailure, secondsLocked } from '$lib/server/auth/throttle';
import { apiClientFromToken } from '$lib/server/fhir/api-clients';

/**
 * Builds the request context (`event.locals.ctx`) once: the time, the client's address, the
 * configuration and registry, and the actor from the session cookie and the session row. Patient
 * mode is read from the session row, not from a cookie the browser may lose: a session that has
 * handed the tablet over reaches only the tablet's paths, one locked to a together view only that view. After the handler, the refusals the
 * guards noted are audited here, so that no handler can forget one.
 */
export const handleContext: Handle = async ({ event, resolve }) => {
	const now = new Date();
	const config = getConfig();
	const link = linkToken(event.url.pathname);
	const found = link === null ? actorOf(event, now, config.session) : linkActorOf(link);
	const ctx: RequestContext = {
		get db() {
			return getDb();
		},
		now,
		address: clientAddress(event),
		registry: getRegistry(),
		config,
		actor: found.actor,
		path: event.url.pathname + event.url.search,
		databaseError: found.databaseError,
		denials: [],
		returned: []
	};
	event.locals.ctx = ctx;
	if (link !== null && found.databaseError === undefined && ctx.actor.kind !== 'patient-link' && linkGuessesLocked(ctx)) {
		return new Response('Too many tries. Wait a while and try again.', { status: 429, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
	}
	if (ctx.actor.kind === 'tablet' && !isTabletPath(event.url.pathname)) {
		return new Response(null, { status: 303, headers: { location: '/rate' } });
	}
	if (ctx.actor.kind === 'together' && !isTogetherPath(event.url.pathname, ctx.actor.patientId)) {
		return new Response(null, { status: 303, headers: { location: togetherPath(ctx.actor.patientId) } });
	}
	if (ctx.actor.kind === 'second-factor' && !isSecondFactorPath(event.url.pathname)) {
		// Only a path of this site goes into next (ctx.path is the path and query asked for).
		return new Response(null, { status: 303, headers: { location: `${TWO_FACTOR_PATH}?next=${encodeURIComponent(ctx.path)}` } });
	}
	const response = await resolve(event);
	auditDenials(ctx, ctx.denials);
	// Staff pages carry health data: never cache them anywhere.
	if (ctx.actor.kind !== 'anonymous') response.headers.set('cache-control', 'no-store');
	return response;
};

const BEARER = /^Bearer ([\x21-\x7e]+)$/;

function actorOf(event: RequestEvent, now: Date, limits: SessionLimits): { actor: Actor; databaseError: unknown } {
	// On /fhir only the bearer token counts (a staff cookie reaches nothing there); elsewhere only the cookie.
	const fhir = isFhirPath(event.url.pathname);
	const token = fhir ? BEARER.exec(event.request.headers.get('authorization') ?? '')?.[1] : readSessionCookie(event.cookies, event.url);
	if (token === undefined) return { actor: { kind: 'anonymous' }, databaseError: undefined };
	try {
		if (fhir) {
			const client = apiClientFromToken(getDb(), token, now);
			return { actor: client === null ? { kind: 'anonymous' } : { kind: 'api-client', client }, databaseError: undefined };
		}
		const actor = actorFromToken(getDb(), token, now, limits);
		if (actor.kind === 'anonymous') clearSessionCookie(event.cookies, event.url);
		return { actor, databaseError: undefined };
	} catch (e) {
		// Thrown here, the error would get the bare 500 page: the guards throw it instead, so that
		// the page says the database cannot be used right now (503).
		if (storageFailure(e) === null) throw e;
		return { actor: { kind: 'anonymous' }, databaseError: e };
	}
}

/**
 * A rating link's page: the actor is the link the token in the path stands for, whoever else the
 * browser is signed in as (a clinician's phone, a tablet in patient mode): the page shows that
 * one form and nothing of theirs. An unknown token is nobody.
 */
function linkActorOf(token: string): { actor: Actor; databaseError: unknown } {
	try {
		const grant = grantOfToken(getDb(), token);
		return { actor: grant === null ? { kind: 'anonymous' } : { kind: 'patient-link', grant }, databaseError: undefined };
	} catch (e) {
		if (storageFailure(e) === null) throw e;
		return { actor: { kind: 'anonymous' }, databaseError: e };
	}
}

function linkGuessesLocked(ctx: RequestContext): boolean {
	return ctx.address !== null && secondsLocked(ctx.db, `link:${ctx.address}`, ctx.now) > 0;
}

function auditDenials(ctx: RequestContext, denials: readonly Denial[]): void {
	if (denials.length === 0) return;
	try {
		for (const d of denials) {
			if (d.unknownLink === true) {
				// Guessing is noticed: audited, and counted against the address (src/lib/server/auth/throttle.ts).
				recordAudit(ctx.db, { userId: null, action: 'rating_link_unknown', patientId: null, detail: d.detail, address: ctx.address }, ctx.now);
				if (ctx.address !== null) recordFailure(ctx.db, `link:${ctx.address}`, ctx.now);
			} else recordAudit(ctx.db, { userId: d.userId, action: 'denied_patient', patientId: d.patientId, detail: d.detail, address: ctx.address }, ctx.now);
		}
	} catch (e) {
		// The refusal has been answered; a database that cannot take the line is logged, not thrown.
		if (storageFailure(e) === null) throw e;
		console.error(`Stemme: a refused request could not be audited (${storageFailure(e)})`);
	}
}

function clientAddress(event: RequestEvent): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}
