import type { Handle } from '@sveltejs/kit';
import { recordAuditShown } from '$lib/server/audit-shown';
import { storageFailure } from '$lib/server/db/storage-failure';
import { FHIR_JSON, operationOutcome, type IssueCode } from '$lib/server/fhir/outcome';
import { isFhirPath } from './paths';

const ISSUE_BY_STATUS: Record<number, IssueCode> = {
	400: 'invalid',
	401: 'login',
	403: 'forbidden',
	404: 'not-found',
	405: 'not-supported',
	413: 'too-costly',
	415: 'not-supported',
	503: 'transient'
};

/**
 * The FHIR API's two rules that no handler can forget: every answer is FHIR (an error that did
 * not come from a handler — a method not allowed, a route that does not exist, a failure — is
 * turned into an OperationOutcome with its status), and every request of an API client is one
 * line in the audit trail, the client as actor, linked to each patient the answer carried.
 */
export const handleFhir: Handle = async ({ event, resolve }) => {
	if (!isFhirPath(event.url.pathname)) return resolve(event);
	let response = await resolve(event);
	if (!(response.headers.get('content-type') ?? '').startsWith('application/fhir+json')) {
		const status = event.locals.storageUnavailable === true ? 503 : response.status;
		const code = ISSUE_BY_STATUS[status] ?? 'exception';
		const outcome = operationOutcome([
			{
				code,
				diagnostics:
					status === 503 ? 'The database cannot be used right now; try again' : status === 405 ? `${event.request.method} is not supported here` : `The request could not be answered (${status})`
			}
		]);
		const headers = new Headers(response.headers);
		headers.set('content-type', FHIR_JSON);
		// The length was the replaced body's.
		headers.delete('content-length');
		response = new Response(JSON.stringify(outcome), { status: status < 400 ? 500 : status, headers });
	}
	const ctx = event.locals.ctx;
	if (ctx.actor.kind === 'api-client') {
		const client = ctx.actor.client;
		// The path only: a search's query may carry a national identity number.
		const detail = `api client ${client.id} "${client.name}": ${event.request.method} ${event.url.pathname.slice(0, 200)} ${response.status}`;
		try {
			recordAuditShown(ctx.db, { userId: null, apiClientId: client.id, action: 'api_request', detail, address: ctx.address }, ctx.returned, ctx.now);
		} catch (e) {
			if (storageFailure(e) === null) throw e;
			// A read answered while the database cannot be written: its line is lost, so the answer is withheld.
			return new Response(JSON.stringify(operationOutcome([{ code: 'transient', diagnostics: 'The request could not be audited; try again' }])), {
				status: 503,
				headers: { 'content-type': FHIR_JSON }
			});
		}
	}
	return response;
};
