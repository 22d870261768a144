import { and, eq, gt, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { addDays, clinicInstant, isCalendarDate } from '$lib/domain/booking';
import { FhirError } from './outcome';

/** The most entries one page carries; a larger `_count` is answered with this many (FHIR search.html#count). */
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;

const ID = /^[1-9][0-9]{0,9}$/;
const DATE_VALUE = /^(eq|gt|lt|ge|le)?(.+)$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parameters any search takes besides its own: paging and the (JSON-only) format. */
const COMMON = ['_count', '_cursor', '_format'];

function invalid(parameter: string, why: string): FhirError {
	return new FhirError(400, [{ code: 'invalid', diagnostics: `Search parameter "${parameter}": ${why}`, expression: parameter }]);
}

/** Refuses any parameter the search does not support (strict handling), naming it. */
export function checkParameters(params: URLSearchParams, supported: readonly string[]): void {
	for (const name of new Set(params.keys())) {
		if (!supported.includes(name) && !COMMON.includes(name))
			throw new FhirError(400, [{ code: 'not-supported', diagnostics: `Search parameter "${name}" is not supported here (supported: ${supported.join(', ')})`, expression: name }]);
	}
	const format = params.get('_format');
	if (format !== null && !/json/.test(format)) throw invalid('_format', 'only JSON is served');
}

/** One value of a parameter that may appear once. */
function single(params: URLSearchParams, name: string): string | null {
	const all = params.getAll(name);
	if (all.length > 1) throw invalid(name, 'may be given once');
	return all[0] ?? null;
}

export interface Page {
	count: number;
	/** The last id of the page before: the page starts after it. */
	after: number;
}

export function parsePage(params: URLSearchParams): Page {
	const rawCount = single(params, '_count');
	const rawCursor = single(params, '_cursor');
	if (rawCount !== null && !/^\d{1,6}$/.test(rawCount)) throw invalid('_count', 'must be a whole number');
	if (rawCursor !== null && !ID.test(rawCursor)) throw invalid('_cursor', 'must be the cursor of a next link');
	const count = rawCount === null ? DEFAULT_PAGE : Math.min(Math.max(Number(rawCount), 1), MAX_PAGE);
	return { count, after: rawCursor === null ? 0 : Number(rawCursor) };
}

/** A resource id given as `123` or `Patient/123`. */
export function parseReference(params: URLSearchParams, name: string, type: string): number | null {
	const raw = single(params, name);
	if (raw === null) return null;
	const id = raw.startsWith(`${type}/`) ? raw.slice(type.length + 1) : raw;
	if (!ID.test(id)) throw invalid(name, `must be a ${type} id`);
	return Number(id);
}

/** The instants [start, end) a date or dateTime value covers: a calendar day is the clinic's (Oslo) day. */
function range(name: string, value: string): [Date, Date] {
	if (isCalendarDate(value)) return [clinicInstant(value, '00:00'), clinicInstant(addDays(value, 1), '00:00')];
	const t = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
	if (Number.isNaN(t)) throw invalid(name, 'must be a date (YYYY-MM-DD) or a dateTime with its time zone, with an optional prefix eq, gt, ge, lt or le');
	return [new Date(t), new Date(t + 1)];
}

/** The conditions of a date parameter (each occurrence one; FHIR search.html#date) on the column. */
export function dateConditions(params: URLSearchParams, name: string, column: SQLiteColumn): SQL[] {
	return params.getAll(name).map((raw) => {
		const [, prefix = 'eq', value = ''] = DATE_VALUE.exec(raw) ?? [];
		const [start, end] = range(name, value);
		if (prefix === 'gt') return gte(column, end);
		if (prefix === 'ge') return gte(column, start);
		if (prefix === 'lt') return lt(column, start);
		if (prefix === 'le') return lt(column, end);
		return and(gte(column, start), lt(column, end)) as SQL;
	});
}

/**
 * The conditions of a date parameter on a column of calendar days ('YYYY-MM-DD'): only a date
 * is compared (an episode starts on a day, not at an instant).
 */
export function dayConditions(params: URLSearchParams, name: string, column: SQLiteColumn): SQL[] {
	return params.getAll(name).map((raw) => {
		const [, prefix = 'eq', value = ''] = DATE_VALUE.exec(raw) ?? [];
		if (!isCalendarDate(value)) throw invalid(name, 'must be a date (YYYY-MM-DD) with an optional prefix eq, gt, ge, lt or le');
		if (prefix === 'gt') return gt(column, value);
		if (prefix === 'ge') return gte(column, value);
		if (prefix === 'lt') return lt(column, value);
		if (prefix === 'le') return lte(column, value);
		return eq(column, value);
	});
}

/** The id condition of a page: after the cursor. */
export function afterCursor(column: SQLiteColumn, page: Page): SQL {
	return gt(column, page.after);
}
