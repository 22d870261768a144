import { and, asc, eq, inArray } from 'drizzle-orm';
import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';
import { osloDate } from '../appointments';
import { patients, teamMemberships, users } from '../db/schema';
import { visibleTeamIds } from '../access';
import { modelLookup, offTrack, type OffTrack } from '../statistics/course';
import { loadScope } from '../statistics/episodes';
import { breakdown, statisticsFigures, type Minimums } from '../statistics/figures';
import { mayExportRows, type StatisticsRequest } from '../statistics/scope';
import { MIN_CELL } from '$lib/domain/statistics/small-cells';
import { checklistLabels } from '$lib/domain/checklist';
import { signLabel } from '$lib/statistics/words';

/**
 * The statistics of one scope and period: aggregates only, no patient named or linked — but for a
 * team lead on their own team's page, the list of the team's open episodes off track (the patients
 * their team treats). One audit row for the view (what scope, period and filters were read), linked to no patient.
 */
export function loadStatisticsPage(ctx: RequestContext, user: SessionUser, request: StatisticsRequest, language: string) {
	const { db, now, registry } = ctx;
	const { scope, filters } = request;
	const today = osloDate(now);
	const min: Minimums = { cell: MIN_CELL, clinician: ctx.config.statistics.minClinician, benchmark: ctx.config.statistics.minBenchmark };
	const data = loadScope(db, registry, scope, filters, now);
	const period = { from: filters.from, to: filters.to, today };
	const modelOf = modelLookup(registry);
	const computed = statisticsFigures(data, period, min, modelOf);
	const factor = checklistLabels(ctx.config.risk.checklist, language).factor;
	const figures = { ...computed, signs: { ...computed.signs, rows: computed.signs.rows.map((r) => ({ ...r, label: signLabel(r.sign, factor) })) } };
	const rows =
		scope.kind === 'team'
			? breakdown(data, period, teamClinicians(ctx, scope.teamId), (e) => e.responsibleId, min, min.clinician)
			: scope.kind === 'service'
				? breakdown(data, period, request.choices.teams, (e) => e.teamId, min, min.benchmark)
				: [];
	const offTrackList = user.role === 'team_lead' && scope.kind === 'team' ? teamOffTrack(ctx, user, scope.teamId, offTrack(data.episodes, modelOf)) : null;
	recordAudit(
		db,
		{
			userId: user.id,
			action: 'viewed_statistics',
			detail: `${scope.kind}${scope.kind === 'team' ? ` ${scope.teamId}` : ''} ${filters.from}–${filters.to} ${filters.setting} ${filters.age} ${filters.rater}`,
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
		offTrack: offTrackList,
		breakdown: { kind: scope.kind === 'service' ? ('teams' as const) : ('clinicians' as const), rows }
	};
}

export type StatisticsPage = ReturnType<typeof loadStatisticsPage>;

/**
 * The team lead's list for supervision: the team's open episodes not on track or with an alliance
 * signal, by clinician, each patient by name and code — linked to the record only where this user
 * may open it (a member of the team: patient data only for the treating team).
 */
function teamOffTrack(ctx: RequestContext, user: SessionUser, teamId: number, list: OffTrack[]) {
	const canOpen = visibleTeamIds(ctx.db, user).includes(teamId);
	const ids = [...new Set(list.map((e) => e.patientId))];
	const people = new Map(
		ids.length === 0
			? []
			: ctx.db
					.select({ id: patients.id, name: patients.displayName, code: patients.code })
					.from(patients)
					.where(inArray(patients.id, ids))
					.all()
					.map((p) => [p.id, p])
	);
	const clinicianIds = [...new Set(list.flatMap((e) => (e.responsibleId === null ? [] : [e.responsibleId])))];
	const names = new Map(
		clinicianIds.length === 0
			? []
			: ctx.db
					.select({ id: users.id, name: users.displayName })
					.from(users)
					.where(inArray(users.id, clinicianIds))
					.all()
					.map((u) => [u.id, u.name])
	);
	return {
		canOpen,
		rows: list
			.map((e) => ({
				...e,
				patient: people.get(e.patientId)!,
				clinician: e.responsibleId === null ? null : (names.get(e.responsibleId) ?? null)
			}))
			.sort((a, b) => (a.clinician ?? '').localeCompare(b.clinician ?? '', 'nb') || a.patient.name.localeCompare(b.patient.name, 'nb'))
	};
}

function teamClinicians(ctx: RequestContext, teamId: number): { id: number; name: string }[] {
	return ctx.db
		.select({ id: users.id, name: users.displayName })
		.from(teamMemberships)
		.innerJoin(users, eq(users.id, teamMemberships.userId))
		.where(and(eq(teamMemberships.teamId, teamId), inArray(users.role, ['clinician', 'team_lead'])))
		.orderBy(asc(users.displayName))
		.all();
}
