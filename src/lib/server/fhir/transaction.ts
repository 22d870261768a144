import { inArray } from 'drizzle-orm';
import type { Bundle } from '@medplum/fhirtypes';
import type { RequestContext } from '../context';
import { teams } from '../db/schema';
import { activeMembers } from '../episode-course';
import type { ApiClientActor } from './api-clients';
import { MAX_TRANSACTION_ENTRIES } from './capability';
import { fhirUrls, type FhirUrls } from './identifiers';
import { FhirError } from './outcome';
import { isObject, Refusals, str, type Entry, type Transaction } from './transaction-entries';
import { checkPatients } from './transaction-patients';
import { checkEpisodes } from './transaction-episodes';
import { checkAppointments } from './transaction-appointments';
import { writeTransaction } from './transaction-write';
import { clinicWallClock } from '$lib/domain/booking';

const MEDIA_TYPES = /^application\/(fhir\+)?json\s*(;|$)/i;

/**
 * `POST /fhir` with a transaction Bundle of Patient, EpisodeOfCare and Appointment, each entry
 * conditional on one of its identifiers: a patient is matched on its patient code or national
 * identity number, an episode and an appointment on the identifier the sending system gave them
 * (kept with them). What matched answers 200 — a registered patient's changed name, birth date
 * or language are written — and what did not is made (201): new patients through the import's
 * own write, new episodes and appointments of registered patients with the pages' rules; the
 * audit lines name the client. All in one transaction: any refusal refuses the whole Bundle,
 * each issue naming its entry and element. The same Bundle twice changes nothing the second time.
 */
export async function postTransaction(ctx: RequestContext, client: ApiClientActor, base: string, request: Request): Promise<Bundle> {
	if (!MEDIA_TYPES.test(request.headers.get('content-type') ?? ''))
		throw new FhirError(415, [{ code: 'not-supported', diagnostics: 'Send the Bundle as application/fhir+json (or application/json)' }]);
	let text: string;
	try {
		text = await request.text();
	} catch {
		throw new FhirError(413, [
			{ code: 'too-costly', diagnostics: `The body is larger than this server accepts (BODY_SIZE_LIMIT); send at most ${MAX_TRANSACTION_ENTRIES} entries per Bundle, in smaller Bundles` }
		]);
	}
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new FhirError(400, [{ code: 'structure', diagnostics: 'The body is not JSON', expression: 'Bundle' }]);
	}
	if (!isObject(body) || body.resourceType !== 'Bundle') throw new FhirError(400, [{ code: 'structure', diagnostics: 'Send a Bundle', expression: 'Bundle.resourceType' }]);
	if (body.type !== 'transaction') throw new FhirError(400, [{ code: 'value', diagnostics: 'The Bundle must be of type transaction', expression: 'Bundle.type' }]);
	const entries = body.entry ?? [];
	if (!Array.isArray(entries)) throw new FhirError(400, [{ code: 'structure', diagnostics: 'Bundle.entry must be a list', expression: 'Bundle.entry' }]);
	if (entries.length > MAX_TRANSACTION_ENTRIES)
		throw new FhirError(413, [{ code: 'too-costly', diagnostics: `A transaction may carry at most ${MAX_TRANSACTION_ENTRIES} entries (this one has ${entries.length})`, expression: 'Bundle.entry' }]);
	return runTransaction(ctx, client, fhirUrls(base), entries);
}

function runTransaction(ctx: RequestContext, client: ApiClientActor, urls: FhirUrls, raw: unknown[]): Bundle {
	const clientTeams = ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, client.teamIds)).all();
	const t: Transaction = {
		ctx,
		client,
		urls,
		today: clinicWallClock(ctx.now).date,
		teams: clientTeams,
		members: new Map(clientTeams.map((x) => [x.id, new Set(activeMembers(ctx.db, x.id).map((m) => m.id))])),
		refusals: new Refusals(),
		byFullUrl: new Map()
	};
	const entries: Entry[] = [];
	raw.forEach((e, index) => {
		const at = { index, fullUrl: isObject(e) ? str(e.fullUrl) : null };
		if (!isObject(e) || !isObject(e.resource) || !isObject(e.request)) return t.refusals.refuse(at, '', 'structure', 'Each entry needs a resource and a request');
		const type = e.resource.resourceType;
		if (type !== 'Patient' && type !== 'EpisodeOfCare' && type !== 'Appointment')
			return t.refusals.refuse(at, 'resource.resourceType', 'not-supported', 'Only Patient, EpisodeOfCare and Appointment are imported');
		if (e.request.method !== 'POST' && e.request.method !== 'PUT') return t.refusals.refuse(at, 'request.method', 'not-supported', 'Each entry is a POST (with ifNoneExist) or a conditional PUT');
		entries.push({ ...at, type, resource: e.resource, request: e.request });
	});
	// Patients first, then episodes: each refers to what came before.
	const of = (type: Entry['type']) => entries.filter((k) => k.type === type);
	const patientList = checkPatients(t, of('Patient'));
	const episodeList = checkEpisodes(t, of('EpisodeOfCare'), patientList);
	const appointmentList = checkAppointments(t, of('Appointment'));
	const issues = t.refusals.issues;
	if (issues.length > 0) throw new FhirError(issues.every((i) => i.code === 'forbidden') ? 403 : 400, issues);
	return writeTransaction(ctx, client, raw.length, patientList, episodeList, appointmentList);
}
