import { and, asc, eq, inArray } from 'drizzle-orm';
import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { osloDate } from '../appointments';
import { teamMemberships, users } from '../db/schema';
import { loadScope } from '../statistics/episodes';
import { breakdown, statisticsFigures, type Minimums } from '../statistics/figures';
import { mayExportRows, type StatisticsRequest } from '../statistics/scope';
import { MIN_CELL } from '$lib/domain/statistics/small-cells';
import { checklistLabels } from '$lib/domain/checklist';
import { signLabel } from '$lib/statistics/words';

/**
 * The statistics of one scope and period: aggregates only, no patient named or linked. One audit
 * row for the view (what scope and period were read), linked to no patient.
 */
export function loadStatisticsPage(ctx: RequestContext, user: SessionUser, request: StatisticsRequest, language: string) {
	const { db, now, registry } = ctx;
	const { scope, filters } = request;
	const today = osloDate(now);
	const min: Minimums = { cell: MIN_CELL, clinician: ctx.config.statistics.minClinician, benchmark: ctx.config.statistics.minBenchmark };
	const data = loadScope(db, registry, scope, filters, now);
	const period = { from: filters.from, to: filters.to, today };
	const computed = statisticsFigures(data, period, min);
	const factor = checklistLabels(ctx.config.risk.checklist, language).factor;
	const figures = { ...computed, signs: { ...computed.signs, rows: computed.signs.rows.map((r) => ({ ...r, label: signLabel(r.sign, factor) })) } };
	const rows =
		scope.kind === 'team'
			? breakdown(data, period, teamClinicians(ctx, scope.teamId), (e) => e.responsibleId, min, min.clinician)
			: scope.kind === 'service'
				? breakdown(data, period, request.choices.teams, (e) => e.teamId, min, min.benchmark)
				: [];
	recordAudit(
		db,
		{
			userId: user.id,
			action: 'viewed_statistics',
			detail: `${scope.kind}${scope.kind === 'team' ? ` ${scope.teamId}` : ''} ${filters.from}–${filters.to} ${filters.setting} ${filters.age}`,
			address: ctx.address
		},
		now
	);
	return {
		scope,
		filters,
		choices: request.choices,
		mayExport: mayExportRows(user.role, scope),
		minimums: min,
		figures,
		breakdown: { kind: scope.kind === 'service' ? ('teams' as const) : ('clinicians' as const), rows }
	};
}

export type StatisticsPage = ReturnType<typeof loadStatisticsPage>;

function teamClinicians(ctx: RequestContext, teamId: number): { id: number; name: string }[] {
	return ctx.db
		.select({ id: users.id, name: users.displayName })
		.from(teamMemberships)
		.innerJoin(users, eq(users.id, teamMemberships.userId))
		.where(and(eq(teamMemberships.teamId, teamId), inArray(users.role, ['clinician', 'team_lead'])))
		.orderBy(asc(users.displayName))
		.all();
}
