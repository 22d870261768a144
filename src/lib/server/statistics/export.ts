import { inArray } from 'drizzle-orm';
import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { episodes, patients } from '../db/schema';
import { episodeRecords } from '../patients';
import { recordAuditShown } from '../audit-shown';
import { osloDate } from '../appointments';
import { ratingSignal } from '../fhir/rating-resources';
import { loadScope, type StatEpisode } from './episodes';
import { csvText, type Row } from './csv';
import type { ExportKind, StatisticsRequest } from './scope';
import { summarizeEpisode } from '$lib/domain/episode';
import { getInstrument } from '$lib/domain/registry';

/**
 * The columns of each export, as the README's "CSV export" lists them: names for R and
 * spreadsheets, in English whatever the reader's language; values as codes, not sentences.
 */
const EPISODE_COLUMNS = [
	'patient_code',
	'episode',
	'setting',
	'start_date',
	'end_date',
	'end_reason',
	'outcome_instrument',
	'intake_score',
	'last_score',
	'last_session',
	'change',
	'change_class',
	'not_judged_because',
	'sessions',
	'sessions_with_outcome',
	'sessions_with_alliance'
] as const;
const RATING_COLUMNS = ['patient_code', 'episode', 'session', 'date', 'instrument', 'version', 'rater', 'source', 'total', 'signal'] as const;

/**
 * One row per rating or per episode of the scope and period, for research and quality work
 * outside Stemme. Only a treating team's own data (the guard, requireStatisticsExport), so
 * the rows carry patient codes, never names or identity numbers, and no small-cell rule; the
 * export is one audit line linked to every patient in it. Reads the same episodes as the
 * statistics page (loadScope); the figures of the episode rows are the page's (summarizeEpisode).
 */
export function exportCsv(ctx: RequestContext, user: SessionUser, request: StatisticsRequest, kind: ExportKind): { filename: string; body: string } {
	const { scope, filters } = request;
	const data = loadScope(ctx.db, ctx.registry, scope, filters, ctx.now);
	const codes = patientCodes(
		ctx,
		data.episodes.map((e) => e.patientId)
	);
	const rows = kind === 'episodes' ? episodeRows(data.episodes, codes) : ratingRows(ctx, data.episodes, codes, filters);
	recordAuditShown(
		ctx.db,
		{
			userId: user.id,
			action: 'exported_csv',
			detail: `${kind} ${scope.kind}${scope.kind === 'team' ? ` ${scope.teamId}` : ''} ${filters.from}–${filters.to} ${filters.setting} ${filters.age}: ${rows.length - 1} rows`,
			address: ctx.address
		},
		data.episodes.map((e) => e.patientId),
		ctx.now
	);
	return { filename: `stemme-${kind}-${filters.from}-${filters.to}.csv`, body: csvText(rows) };
}

function patientCodes(ctx: RequestContext, ids: number[]): Map<number, string> {
	const unique = [...new Set(ids)];
	const out = new Map<number, string>();
	for (let i = 0; i < unique.length; i += 500)
		for (const p of ctx.db
			.select({ id: patients.id, code: patients.code })
			.from(patients)
			.where(inArray(patients.id, unique.slice(i, i + 500)))
			.all())
			out.set(p.id, p.code);
	return out;
}

function episodeRows(list: StatEpisode[], codes: Map<number, string>): Row[] {
	const rows: Row[] = [[...EPISODE_COLUMNS]];
	for (const e of list) {
		const summary = e.episode === null ? null : summarizeEpisode(e.episode);
		const attended = e.history.filter((s) => s.attendance === 'attended');
		const instrument = attended.find((s) => s.outcome !== null)?.outcome ?? null;
		rows.push([
			codes.get(e.patientId) ?? null,
			e.id,
			e.setting,
			e.startDate,
			e.actualEnd,
			e.endReason,
			instrument === null ? null : `${instrument.instrumentId}@${instrument.instrumentVersion}`,
			summary?.usable === true ? summary.intake : null,
			summary?.usable === true ? summary.last : null,
			summary?.usable === true ? summary.lastSession : null,
			summary?.usable === true ? summary.change : null,
			summary?.usable === true ? summary.changeClass : null,
			summary === null ? 'no-outcome-measure' : summary.usable ? null : summary.reason,
			attended.length,
			attended.filter((s) => s.outcome !== null).length,
			attended.filter((s) => s.alliance !== null).length
		]);
	}
	return rows;
}

/** The ratings in force of the scope's episodes given in the period (the session's date), item values in the instrument's item order. */
function ratingRows(ctx: RequestContext, list: StatEpisode[], codes: Map<number, string>, period: { from: string; to: string }): Row[] {
	const itemCount = Math.max(0, ...ctx.registry.instruments.map((i) => i.definition.items.length));
	const rows: Row[] = [[...RATING_COLUMNS, ...Array.from({ length: itemCount }, (_, i) => `item_${i + 1}`)]];
	const byId = new Map(list.map((e) => [e.id, e]));
	const birthYears = new Map<number, number>();
	for (let i = 0; i < list.length; i += 500) {
		const slice = list.slice(i, i + 500);
		const full = ctx.db
			.select()
			.from(episodes)
			.where(
				inArray(
					episodes.id,
					slice.map((e) => e.id)
				)
			)
			.all();
		const ages = ctx.db
			.select({ id: patients.id, birthYear: patients.birthYear })
			.from(patients)
			.where(
				inArray(
					patients.id,
					slice.map((e) => e.patientId)
				)
			)
			.all();
		for (const a of ages) birthYears.set(a.id, a.birthYear);
		for (const record of episodeRecords(ctx.db, ctx.registry, full)) {
			const e = byId.get(record.id)!;
			for (const a of record.appointments) {
				const day = osloDate(a.scheduledAt);
				if (day < period.from || day > period.to) continue;
				for (const r of a.ratings) {
					const def = getInstrument(ctx.registry, r.instrumentId, r.instrumentVersion)?.definition;
					const keys = def?.items.map((item) => item.key) ?? Object.keys(r.itemValues);
					const { signal } = ratingSignal(ctx.registry, { ...r, birthYear: birthYears.get(e.patientId) ?? 0, submittedAt: a.scheduledAt });
					rows.push([
						codes.get(e.patientId) ?? null,
						e.id,
						a.session,
						a.scheduledAt.toISOString(),
						r.instrumentId,
						r.instrumentVersion,
						r.rater,
						r.source,
						r.total,
						signal,
						...Array.from({ length: itemCount }, (_, i) => (keys[i] === undefined ? null : (r.itemValues[keys[i]] ?? null)))
					]);
				}
			}
		}
	}
	return rows;
}
