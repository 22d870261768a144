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
import { isFhirPath, isTabletPath } from './paths';
import { apiClientFromToken } from '$lib/server/fhir/api-clients';

/**
 * Builds the request context (`event.locals.ctx`) once: the time, the client's address, the
 * configuration and registry, and the actor from the session cookie and the session row. Patient
 * mode is read from the session row, not from a cookie the browser may lose: a session that has
 * handed the tablet over reaches only the tablet's paths. After the handler, the refusals the
 * guards noted are audited here, so that no handler can forget one.
 */
export const handleContext: Handle = async ({ event, resolve }) => {
	const now = new Date();
	const config = getConfig();
	const found = actorOf(event, now, config.session);
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
	if (ctx.actor.kind === 'tablet' && !isTabletPath(event.url.pathname)) {
		return new Response(null, { status: 303, headers: { location: '/rate' } });
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

function auditDenials(ctx: RequestContext, denials: readonly Denial[]): void {
	if (denials.length === 0) return;
	try {
		for (const d of denials) recordAudit(ctx.db, { userId: d.userId, action: 'denied_patient', patientId: d.patientId, detail: d.detail, address: ctx.address }, ctx.now);
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
