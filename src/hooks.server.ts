import { sequence } from '@sveltejs/kit/hooks';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { defineCustomServerStrategy } from '$lib/paraglide/runtime';
import { TOGETHER_STRATEGY, togetherLocale } from '$lib/together-locale';
import { databaseState, getDb, whenWritableAgain, type Db } from '$lib/server/db';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { sessionCookieOptions } from '$lib/server/auth/cookie';
import { prepareDatabase, scheduleFlagSweeps } from '$lib/server/startup';
import { getRiskConfig } from '$lib/server/risk/config';
import { fitExpectedModels, scheduleModelFits } from '$lib/server/expected-models';
import { activeHandoff, TABLET_COOKIE } from '$lib/server/tablet/handoff';
import { getRegistry } from '$lib/server/instruments';
import { storageFailure } from '$lib/server/db/storage-failure';
import { formBodyProblem } from '$lib/server/form';
import { turns } from '$lib/server/turns';
import { m } from '$lib/paraglide/messages';

export const init: ServerInit = async () => {
	// Instrument packs are checked at start: a broken pack stops the server with a clear message.
	// So are the drop-out settings (STEMME_CHECKLIST, the attendance thresholds, the checkpoint sessions).
	const risk = { registry: getRegistry(), config: getRiskConfig() };
	const log = (line: string) => console.log(line);
	// A database that cannot be written does not stop the server (getDb says why, once): it
	// answers 503 where it must write, and /health tells whoever runs it.
	const start = async (db: Db): Promise<void> => {
		await prepareDatabase(db, new Date(), process.env.STEMME_DEMO !== 'off', log, risk);
		scheduleFlagSweeps(db, risk, log);
		scheduleModelFits(db, risk.registry, log);
	};
	// Once it can be written again (getDb tries), the start's work is done then.
	const later = (db: Db): void => void start(db).catch((e: unknown) => log(`Stemme: preparing the database failed: ${(e as Error).message}`));
	let db: Db;
	try {
		db = getDb();
	} catch (e) {
		if (storageFailure(e) === null) throw e;
		whenWritableAgain(later);
		return;
	}
	if (databaseState()?.kind === 'read-only') {
		fitExpectedModels(db, risk.registry, new Date()).catch((e: unknown) => log(`Stemme: fitting the expected trajectories failed: ${(e as Error).message}`));
		whenWritableAgain(later);
		return;
	}
	await start(db);
};

/** The tablet's rating submission, the one request that may wait its turn behind staff pages. */
const RATING_PATH = '/rate/submit';

/**
 * Endpoints that answer JSON and show no text: the locale middleware (which copies every request
 * it sees, body included) is skipped for them. The tablet's rating is one of them.
 */
const JSON_ENDPOINTS = new Set([RATING_PATH, '/health', '/load-ceiling']);

// The patient's language in the together view, for that view only (together-locale.ts).
defineCustomServerStrategy(TOGETHER_STRATEGY, { getLocale: (request) => (request === undefined ? undefined : togetherLocale(request.headers.get('cookie'), new URL(request.url).pathname)) });

const handleLocale: Handle = ({ event, resolve }) => {
	if (JSON_ENDPOINTS.has(event.url.pathname)) return resolve(event);
	return paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});
};

const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.handoff = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token !== undefined) {
		let result: ReturnType<typeof validateSessionToken>;
		try {
			result = validateSessionToken(getDb(), token, new Date());
		} catch (e) {
			// Thrown here, the error would get the bare 500 page: the guards throw it instead,
			// so that the page says the database cannot be used right now (503).
			if (storageFailure(e) === null) throw e;
			event.locals.databaseError = e;
			return resolve(event);
		}
		if (result.session === null) {
			event.cookies.delete(SESSION_COOKIE, sessionCookieOptions(event.url, null));
		} else {
			if (result.renewed) {
				event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(event.url, result.session.expiresAt));
			}
			event.locals.user = result.user;
			event.locals.session = result.session;
			const tabletToken = event.cookies.get(TABLET_COOKIE);
			// The rating endpoint finds the handoff it names itself (an ended one too): no need here.
			if (tabletToken !== undefined && event.url.pathname !== RATING_PATH) {
				event.locals.handoff = activeHandoff(getDb(), tabletToken, result.session.id);
				if (event.locals.handoff === null) event.cookies.delete(TABLET_COOKIE, { path: '/' });
			}
		}
	}
	// Patient mode: while the tablet is handed over, the staff session reaches only the rating form.
	if (event.locals.handoff !== null && !isTabletPath(event.url.pathname)) {
		return new Response(null, { status: 303, headers: { location: '/rate' } });
	}
	const response = await resolve(event);
	// Staff pages carry health data: never cache them anywhere.
	if (event.locals.user !== null) response.headers.set('cache-control', 'no-store');
	return response;
};

function isTabletPath(path: string): boolean {
	return path === '/rate' || path.startsWith('/rate/') || path === '/health';
}

const handleSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-frame-options', 'DENY');
	response.headers.set('cross-origin-opener-policy', 'same-origin');
	// The tablet never needs the camera, microphone or location; say so, so nothing can ask.
	response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
	return response;
};

/** A database that cannot be written is "unavailable, try again", not a crash: 503, not 500. */
const handleStorageFailure: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.locals.storageUnavailable !== true || response.status !== 500) return response;
	return new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers: response.headers });
};

// The three encodings an HTML form can send (SvelteKit accepts all three for actions).
const FORM_CONTENT = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

/**
 * A form post that cannot be read, repeats a field or carries a file is answered 400 here, for
 * every action, before any action sees it — so no action can be caught out by one.
 */
const handleFormBody: Handle = async ({ event, resolve }) => {
	if (event.request.method !== 'POST' || !FORM_CONTENT.test(event.request.headers.get('content-type') ?? '')) return resolve(event);
	const found = await formBodyProblem(event.request);
	if (found === null) return resolve(event);
	const message =
		found.problem === 'unreadable' ? m.form_unreadable() : found.problem === 'repeated' ? m.form_field_repeated({ field: found.field }) : m.form_file_refused({ field: found.field });
	// An enhanced form (use:enhance) expects an action result; a plain post gets the text.
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return new Response(JSON.stringify({ type: 'error', status: 400, error: { message } }), { status: 400, headers: { 'content-type': 'application/json' } });
	}
	return new Response(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
};

/** A tablet's rating waits while staff requests are coming in (see turns.ts), before any of its work. */
const handleTurns: Handle = async ({ event, resolve }) => {
	if (event.request.method !== 'POST' || event.url.pathname !== RATING_PATH) turns.staffRequest();
	else {
		const turn = turns.ratingTurn();
		if (turn !== null) await turn;
	}
	return resolve(event);
};

export const handle = sequence(handleTurns, handleStorageFailure, handleSecurityHeaders, handleLocale, handleSession, handleFormBody);

export const handleError: HandleServerError = ({ error, event, message }) => {
	const code = storageFailure(error);
	if (code === null) {
		console.error(error);
		return { message };
	}
	// One line, no stack: the disk is full or read-only, and whoever runs Stemme needs to know which.
	console.error(`Stemme: the database cannot be written (${code}); ${event.request.method} ${event.url.pathname} answered 503`);
	event.locals.storageUnavailable = true;
	return { message: 'The database cannot be written right now', code: 'storage_unavailable' };
};
