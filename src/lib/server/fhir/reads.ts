import { aliasedTable, and, asc, eq, isNull, notExists, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Bundle, Patient as FhirPatient, Questionnaire, Resource } from '@medplum/fhirtypes';
import type { RequestContext } from '../context';
import { appointments, episodes, patients, ratings, teams, users, type Patient } from '../db/schema';
import { patientVisibleTo } from '../access';
import type { ApiClientActor } from './api-clients';
import { fhirUrls, nationalIdentifier, type FhirUrls } from './identifiers';
import { FhirError } from './outcome';
import { questionnaireId, toQuestionnaire } from './questionnaire';
import { toObservation, toQuestionnaireResponse, type RatingRow } from './rating-resources';
import { parameterNames } from './capability';
import { afterCursor, checkParameters, dateConditions, dayConditions, parsePage, parseReference, type Page } from './search';
import { toAppointment, toEpisodeOfCare, type AppointmentRow, type EpisodeRow } from './care-resources';
import { clinicWallClock } from '$lib/domain/booking';

const ID = /^[1-9][0-9]{0,9}$/;

function notFound(type: string, id: string): FhirError {
	return new FhirError(404, [{ code: 'not-found', diagnostics: `${type}/${id.slice(0, 40)} is not known` }]);
}

/**
 * The patients a client may read: its teams' (the same rule as a staff member's), never an erased
 * one. `inRowOrder` for a page of rows in id order: the patients' organisation and team columns
 * behind a unary plus, so SQLite walks the rows from the cursor and stops at the page's end,
 * checking each row's patient by its key — rather than starting from the patients' indexes,
 * gathering every row after the cursor and sorting them all for each page (docs/performance.md).
 */
export function clientPatients(client: ApiClientActor, options: { inRowOrder?: true } = {}): SQL {
	if (options.inRowOrder !== true) return and(eq(patients.organisationId, client.organisationId), patientVisibleTo(client.teamIds), isNull(patients.erasedAt)) as SQL;
	return and(sql`+${patients.organisationId} = ${client.organisationId}`, patientVisibleTo(client.teamIds, { unindexed: true }), isNull(patients.erasedAt)) as SQL;
}

export function toPatient(urls: FhirUrls, p: Patient): FhirPatient {
	const national = p.nationalId === null ? null : nationalIdentifier(p.nationalId);
	return {
		resourceType: 'Patient',
		id: String(p.id),
		meta: { lastUpdated: p.createdAt.toISOString() },
		identifier: [{ use: 'usual', system: urls.patientCode, value: p.code }, ...(national === null ? [] : [national])],
		name: [{ text: p.displayName }],
		birthDate: p.birthDate ?? String(p.birthYear),
		...(p.preferredLocale === null ? {} : { communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: p.preferredLocale }] }, preferred: true }] })
	};
}

/** `GET /fhir/Patient/[id]`: one of the client's patients; any other id answers 404. */
export function readPatient(ctx: RequestContext, client: ApiClientActor, base: string, rawId: string): FhirPatient {
	const row = ID.test(rawId)
		? ctx.db
				.select()
				.from(patients)
				.where(and(eq(patients.id, Number(rawId)), clientPatients(client)))
				.get()
		: undefined;
	if (row === undefined) throw notFound('Patient', rawId);
	ctx.returned.push(row.id);
	return toPatient(fhirUrls(base), row);
}

function searchset(base: string, type: string, params: URLSearchParams, resources: Resource[], page: Page, lastId: number | null, included: Resource[] = []): Bundle {
	const self = new URLSearchParams(params);
	const link = [{ relation: 'self', url: `${base}/${type}?${self.toString()}` }];
	if (lastId !== null && resources.length === page.count) {
		const next = new URLSearchParams(params);
		next.set('_cursor', String(lastId));
		link.push({ relation: 'next', url: `${base}/${type}?${next.toString()}` });
	}
	return {
		resourceType: 'Bundle',
		type: 'searchset',
		link,
		entry: [
			...resources.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' as const } })),
			...included.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'include' as const } }))
		]
	};
}

/** `GET /fhir/Patient?identifier=system|value`: the client's patients, paged. */
export function searchPatients(ctx: RequestContext, client: ApiClientActor, base: string, params: URLSearchParams): Bundle {
	checkParameters(params, parameterNames('Patient'));
	const page = parsePage(params);
	const urls = fhirUrls(base);
	const conditions: SQL[] = [clientPatients(client), afterCursor(patients.id, page)];
	const identifier = params.getAll('identifier');
	if (identifier.length > 1) throw new FhirError(400, [{ code: 'invalid', diagnostics: 'Search parameter "identifier": may be given once', expression: 'identifier' }]);
	if (identifier[0] !== undefined) {
		const [system, value] = identifier[0].includes('|') ? identifier[0].split('|', 2) : [null, identifier[0]];
		if (value === undefined || value === '') throw new FhirError(400, [{ code: 'invalid', diagnostics: 'Search parameter "identifier": must be system|value or a value', expression: 'identifier' }]);
		if (system === urls.patientCode) conditions.push(eq(patients.code, value));
		else if (system === null) conditions.push(eq(patients.code, value));
		else conditions.push(eq(patients.nationalId, value));
	}
	const rows = ctx.db
		.select()
		.from(patients)
		.where(and(...conditions))
		.orderBy(asc(patients.id))
		.limit(page.count)
		.all();
	// A national id searched for under the wrong system (a D-number as fødselsnummer) is not a match.
	const found = rows.map((p) => toPatient(urls, p)).filter((p) => identifier[0] === undefined || p.identifier!.some((i) => identifier[0] === `${i.system}|${i.value}` || identifier[0] === i.value));
	ctx.returned.push(...rows.map((r) => r.id));
	return searchset(base, 'Patient', params, found, page, rows.at(-1)?.id ?? null);
}

/** A select of rows joined to their patient, as drizzle builds it: what `clientRows` finishes. */
interface RowQuery<Row> {
	where(condition: SQL | undefined): { orderBy(column: SQLiteColumn): { limit(n: number): { all(): Row[] } } };
}

/** The one shape of every read: the rows of the client's patients under the conditions, oldest id first, at most `limit`. */
function clientRows<Row>(query: RowQuery<Row>, client: ApiClientActor, id: SQLiteColumn, where: SQL[], limit: number): Row[] {
	return query
		.where(and(clientPatients(client, { inRowOrder: true }), ...where))
		.orderBy(id)
		.limit(limit)
		.all();
}

/**
 * The one shape of every search but the Patient's: its parameters checked, a page of rows after
 * the cursor, the patients returned noted for the audit line, a searchset with a next link.
 */
function search<Row extends { id: number; patientId: number }>(
	ctx: RequestContext,
	base: string,
	type: RatingType | CareType,
	params: URLSearchParams,
	rows: (page: Page, patientId: number | null) => Row[],
	toResource: (row: Row) => Resource
): Bundle {
	checkParameters(params, parameterNames(type));
	const page = parsePage(params);
	// `subject` is a rating's other name for it (checkParameters refuses it elsewhere).
	const patientId = parseReference(params, 'patient', 'Patient') ?? parseReference(params, 'subject', 'Patient');
	const found = rows(page, patientId);
	ctx.returned.push(...found.map((r) => r.patientId));
	return searchset(base, type, params, found.map(toResource), page, found.at(-1)?.id ?? null);
}

const correction = aliasedTable(ratings, 'correction');
const enteredBy = aliasedTable(users, 'entered_by');

/** Ratings in force (no other rating corrects them) of the client's patients, oldest id first. */
function ratingRows(ctx: RequestContext, client: ApiClientActor, where: SQL[], limit: number): RatingRow[] {
	const query = ctx.db
		.select({
			id: ratings.id,
			clientId: ratings.clientId,
			instrumentId: ratings.instrumentId,
			instrumentVersion: ratings.instrumentVersion,
			rater: ratings.rater,
			itemValues: ratings.itemValues,
			total: ratings.total,
			source: ratings.source,
			submittedAt: ratings.submittedAt,
			enteredById: ratings.enteredById,
			enteredByName: enteredBy.displayName,
			correctsRatingId: ratings.correctsRatingId,
			correctionReason: ratings.correctionReason,
			patientId: patients.id,
			birthYear: patients.birthYear,
			appointmentId: ratings.appointmentId
		})
		.from(ratings)
		.innerJoin(appointments, eq(appointments.id, ratings.appointmentId))
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.leftJoin(enteredBy, eq(enteredBy.id, ratings.enteredById));
	return clientRows(query, client, ratings.id, [notExists(ctx.db.select({ id: correction.id }).from(correction).where(eq(correction.correctsRatingId, ratings.id))), ...where], limit);
}

type RatingType = 'QuestionnaireResponse' | 'Observation';

const responsible = aliasedTable(users, 'responsible');

/** Episodes of the client's patients, oldest id first. */
function episodeRows(ctx: RequestContext, client: ApiClientActor, where: SQL[], limit: number): EpisodeRow[] {
	const query = ctx.db
		.select({
			id: episodes.id,
			identifierSystem: episodes.identifierSystem,
			identifierValue: episodes.identifierValue,
			patientId: episodes.patientId,
			startDate: episodes.startDate,
			actualEnd: episodes.actualEnd,
			endReason: episodes.endReason,
			setting: episodes.setting,
			teamName: teams.name,
			responsibleId: episodes.responsibleId,
			responsibleName: responsible.displayName,
			createdAt: episodes.createdAt
		})
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.leftJoin(teams, eq(teams.id, episodes.teamId))
		.leftJoin(responsible, eq(responsible.id, episodes.responsibleId));
	return clientRows(query, client, episodes.id, where, limit);
}

/** Appointments of the client's patients, oldest id first. */
function appointmentRows(ctx: RequestContext, client: ApiClientActor, where: SQL[], limit: number): AppointmentRow[] {
	const query = ctx.db
		.select({
			id: appointments.id,
			identifierSystem: appointments.identifierSystem,
			identifierValue: appointments.identifierValue,
			episodeId: appointments.episodeId,
			patientId: episodes.patientId,
			clinicianId: appointments.clinicianId,
			clinicianName: users.displayName,
			scheduledAt: appointments.scheduledAt,
			durationMinutes: appointments.durationMinutes,
			status: appointments.status,
			isGroup: appointments.isGroup,
			createdAt: appointments.createdAt
		})
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.innerJoin(users, eq(users.id, appointments.clinicianId));
	return clientRows(query, client, appointments.id, where, limit);
}

type CareType = 'EpisodeOfCare' | 'Appointment';

/** `GET /fhir/EpisodeOfCare/[id]` and `/fhir/Appointment/[id]`: one of the client's patients'. */
export function readCare(ctx: RequestContext, client: ApiClientActor, base: string, type: CareType, rawId: string): Resource {
	const today = clinicWallClock(ctx.now).date;
	if (ID.test(rawId)) {
		const id = Number(rawId);
		const row = type === 'EpisodeOfCare' ? episodeRows(ctx, client, [eq(episodes.id, id)], 1)[0] : appointmentRows(ctx, client, [eq(appointments.id, id)], 1)[0];
		if (row !== undefined) {
			ctx.returned.push(row.patientId);
			return 'startDate' in row ? toEpisodeOfCare(fhirUrls(base), row, today) : toAppointment(row);
		}
	}
	throw notFound(type, rawId);
}

/** `GET /fhir/EpisodeOfCare?patient=&date=&_lastUpdated=` and the same of Appointment, paged by a cursor on the id. */
export function searchCare(ctx: RequestContext, client: ApiClientActor, base: string, type: CareType, params: URLSearchParams): Bundle {
	const urls = fhirUrls(base);
	const today = clinicWallClock(ctx.now).date;
	const mine = (patientId: number | null) => (patientId === null ? [] : [eq(patients.id, patientId)]);
	if (type === 'EpisodeOfCare')
		return search(
			ctx,
			base,
			type,
			params,
			(page, patientId) =>
				episodeRows(
					ctx,
					client,
					[afterCursor(episodes.id, page), ...mine(patientId), ...dayConditions(params, 'date', episodes.startDate), ...dateConditions(params, '_lastUpdated', episodes.createdAt)],
					page.count
				),
			(row) => toEpisodeOfCare(urls, row, today)
		);
	return search(
		ctx,
		base,
		type,
		params,
		(page, patientId) =>
			appointmentRows(
				ctx,
				client,
				[afterCursor(appointments.id, page), ...mine(patientId), ...dateConditions(params, 'date', appointments.scheduledAt), ...dateConditions(params, '_lastUpdated', appointments.createdAt)],
				page.count
			),
		toAppointment
	);
}

/** `GET /fhir/QuestionnaireResponse/[id]` and `/fhir/Observation/[id]`: one rating in force of the client's patients. */
export function readRating(ctx: RequestContext, client: ApiClientActor, base: string, type: RatingType, rawId: string): Resource {
	const row = ID.test(rawId) ? ratingRows(ctx, client, [eq(ratings.id, Number(rawId))], 1)[0] : undefined;
	if (row === undefined) throw notFound(type, rawId);
	ctx.returned.push(row.patientId);
	const urls = fhirUrls(base);
	return type === 'QuestionnaireResponse' ? toQuestionnaireResponse(urls, ctx.registry, row) : toObservation(urls, ctx.registry, row);
}

/**
 * `GET /fhir/QuestionnaireResponse?patient=&authored=&_lastUpdated=` and
 * `GET /fhir/Observation?patient=&date=&_lastUpdated=`: paged by a cursor on the rating id. A
 * rating is never changed once stored (a correction is a new one), so its last update is when it
 * was given.
 */
export function searchRatings(ctx: RequestContext, client: ApiClientActor, base: string, type: RatingType, params: URLSearchParams): Bundle {
	const urls = fhirUrls(base);
	const rows = (page: Page, patientId: number | null) =>
		ratingRows(
			ctx,
			client,
			[
				afterCursor(ratings.id, page),
				...(patientId === null ? [] : [eq(patients.id, patientId)]),
				...dateConditions(params, type === 'QuestionnaireResponse' ? 'authored' : 'date', ratings.submittedAt),
				...dateConditions(params, '_lastUpdated', ratings.submittedAt)
			],
			page.count
		);
	return search(ctx, base, type, params, rows, (row) => (type === 'QuestionnaireResponse' ? toQuestionnaireResponse(urls, ctx.registry, row) : toObservation(urls, ctx.registry, row)));
}

/** Every instrument version installed (built in or from a licensed pack), as Questionnaires. */
export function listQuestionnaires(ctx: RequestContext, base: string, params: URLSearchParams): Bundle {
	checkParameters(params, parameterNames('Questionnaire'));
	const urls = fhirUrls(base);
	const url = params.get('url');
	const all = ctx.registry.instruments.map((i) => toQuestionnaire(urls, i)).filter((q) => url === null || q.url === url || `${q.url}|${q.version}` === url);
	return {
		resourceType: 'Bundle',
		type: 'searchset',
		total: all.length,
		link: [{ relation: 'self', url: `${base}/Questionnaire?${params.toString()}` }],
		entry: all.map((q) => ({ fullUrl: `${base}/Questionnaire/${q.id}`, resource: q, search: { mode: 'match' } }))
	};
}

export function readQuestionnaire(ctx: RequestContext, base: string, id: string): Questionnaire {
	const found = ctx.registry.instruments.find((i) => questionnaireId(i.definition.id, i.definition.version) === id);
	if (found === undefined) throw notFound('Questionnaire', id);
	return toQuestionnaire(fhirUrls(base), found);
}

/**
 * `GET /fhir/Patient/[id]/$everything`: the patient, its episodes and appointments, every rating
 * in force as response and observation, and the questionnaires they answer, in one Bundle.
 */
export function patientEverything(ctx: RequestContext, client: ApiClientActor, base: string, rawId: string, params: URLSearchParams): Bundle {
	checkParameters(params, []);
	const patient = readPatient(ctx, client, base, rawId);
	const urls = fhirUrls(base);
	const rows = ratingRows(ctx, client, [eq(patients.id, Number(patient.id))], Number.MAX_SAFE_INTEGER);
	const versions = new Set(rows.map((r) => questionnaireId(r.instrumentId, r.instrumentVersion)));
	const questionnaires = ctx.registry.instruments.filter((i) => versions.has(questionnaireId(i.definition.id, i.definition.version))).map((i) => toQuestionnaire(urls, i));
	const today = clinicWallClock(ctx.now).date;
	const mine = eq(patients.id, Number(patient.id));
	const care: Resource[] = [
		...episodeRows(ctx, client, [mine], Number.MAX_SAFE_INTEGER).map((row) => toEpisodeOfCare(urls, row, today)),
		...appointmentRows(ctx, client, [mine], Number.MAX_SAFE_INTEGER).map(toAppointment)
	];
	const resources: Resource[] = [patient, ...care, ...questionnaires, ...rows.flatMap((row) => [toQuestionnaireResponse(urls, ctx.registry, row), toObservation(urls, ctx.registry, row)])];
	return { resourceType: 'Bundle', type: 'searchset', total: resources.length, entry: resources.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r })) };
}
