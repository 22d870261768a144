import { error } from '@sveltejs/kit';
import { and, asc, eq } from 'drizzle-orm';
import type { RequestContext } from '../context';
import { requireRole, type StaffAccess } from '../auth/guards';
import { teamMemberships, teams, settings, type Role } from '../db/schema';
import { osloDate } from '../appointments';
import { isCalendarDate } from '$lib/domain/episode-course';
import { AGE_BANDS, type AgeBand } from '$lib/domain/statistics/volume';
import { m } from '$lib/paraglide/messages';

/** Who may open the statistics: not the administrator, who treats no one and leads no service. */
export const STATISTICS_ROLES: readonly Role[] = ['clinician', 'team_lead', 'service_leader'];

export const SCOPES = ['mine', 'team', 'service'] as const;
export type ScopeKind = (typeof SCOPES)[number];

/** The scopes each role may ask for, the first its default: a caseload, a team, the service. */
const SCOPES_OF: Partial<Record<Role, readonly ScopeKind[]>> = { clinician: ['mine'], team_lead: ['team', 'mine'], service_leader: ['service', 'team'] };

export type Scope = { kind: 'mine'; clinicianId: number; teamIds: number[] } | { kind: 'team'; teamId: number; teamName: string } | { kind: 'service'; organisationId: number };

export interface StatisticsFilters {
	from: string;
	to: string;
	setting: (typeof settings)[number] | 'all';
	age: AgeBand | 'all';
	/** Whose ratings the figures read: the patient's own, or the collateral raters' (then only episodes with one). */
	rater: StatisticsRater;
}

export const STATISTICS_RATERS = ['patient', 'collateral'] as const;
export type StatisticsRater = (typeof STATISTICS_RATERS)[number];

export interface StatisticsRequest {
	scope: Scope;
	filters: StatisticsFilters;
	/** The scopes and teams this user may pick from. */
	choices: { scopes: readonly ScopeKind[]; teams: { id: number; name: string }[] };
}

/** Default period: the twelve months up to today. */
const DEFAULT_DAYS = 365;
const ID = /^[1-9][0-9]{0,9}$/;

const LABELS = { scope: m.st_scope, team: m.st_team, from: m.st_from, to: m.st_to, setting: m.st_setting, age: m.st_age, rater: m.st_rater, kind: m.st_export_kind } as const;

/** A filter the page cannot use: 400, naming the field by its label. */
function bad(field: keyof typeof LABELS): never {
	error(400, m.field_invalid({ field: LABELS[field]() }));
}

/**
 * The guard of the statistics: a clinician, team lead or service leader, the scope they may see
 * (a team lead only their own teams, a service leader every team of the organisation) and the
 * filters, each checked — a bad value is answered 400 naming it, another team 404. Only reads.
 */
export function requireStatistics(ctx: RequestContext, params: URLSearchParams): StaffAccess & StatisticsRequest {
	const access = requireRole(ctx, STATISTICS_ROLES);
	const { user } = access;
	const allowed = SCOPES_OF[user.role] ?? [];
	const rawScope = params.get('scope');
	const kind = rawScope === null ? allowed[0] : allowed.find((s) => s === rawScope);
	if (kind === undefined) {
		if (rawScope !== null && SCOPES.includes(rawScope as ScopeKind)) error(403, 'Forbidden');
		bad('scope');
	}
	const choices = {
		scopes: allowed,
		teams:
			user.role === 'service_leader'
				? ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.organisationId, user.organisationId)).orderBy(asc(teams.name)).all()
				: ctx.db
						.select({ id: teams.id, name: teams.name })
						.from(teamMemberships)
						.innerJoin(teams, eq(teams.id, teamMemberships.teamId))
						.where(and(eq(teamMemberships.userId, user.id)))
						.orderBy(asc(teams.name))
						.all()
	};
	let scope: Scope;
	if (kind === 'mine') scope = { kind, clinicianId: user.id, teamIds: choices.teams.map((t) => t.id) };
	else if (kind === 'service') scope = { kind, organisationId: user.organisationId };
	else {
		const rawTeam = params.get('team');
		if (rawTeam !== null && !ID.test(rawTeam)) bad('team');
		const team = rawTeam === null ? choices.teams[0] : choices.teams.find((t) => t.id === Number(rawTeam));
		if (team === undefined) error(404, 'Not found');
		scope = { kind, teamId: team.id, teamName: team.name };
	}
	return { ...access, scope, filters: parseFilters(params, osloDate(ctx.now)), choices };
}

function parseFilters(params: URLSearchParams, today: string): StatisticsFilters {
	const date = (name: 'from' | 'to', fallback: string): string => {
		const raw = params.get(name);
		if (raw === null || raw === '') return fallback;
		if (!isCalendarDate(raw) || raw < '2000-01-01' || raw > today) bad(name);
		return raw;
	};
	const yearAgo = new Date(Date.parse(`${today}T12:00:00Z`) - DEFAULT_DAYS * 86_400_000).toISOString().slice(0, 10);
	const to = date('to', today);
	const from = date('from', yearAgo < to ? yearAgo : to);
	if (from > to) bad('from');
	const setting = params.get('setting') ?? 'all';
	if (setting !== 'all' && !settings.includes(setting as (typeof settings)[number])) bad('setting');
	const age = params.get('age') ?? 'all';
	if (age !== 'all' && !AGE_BANDS.includes(age as AgeBand)) bad('age');
	const rater = params.get('rater') ?? 'patient';
	if (!STATISTICS_RATERS.includes(rater as StatisticsRater)) bad('rater');
	return { from, to, setting: setting as StatisticsFilters['setting'], age: age as StatisticsFilters['age'], rater: rater as StatisticsRater };
}

/**
 * Who may take rows out (one per rating or episode, with patient codes): a clinician their own
 * caseload, a team lead a team they belong to — the treating team's own data. The service
 * leader's statistics are aggregates only, so a service leader (who treats no one) exports none.
 */
export function mayExportRows(role: Role, scope: Scope): boolean {
	return EXPORT_ROLES.includes(role) && (scope.kind === 'mine' || scope.kind === 'team');
}

const EXPORT_ROLES: readonly Role[] = ['clinician', 'team_lead'];
export const EXPORT_KINDS = ['ratings', 'episodes'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/**
 * The guard of the CSV export: the statistics guard (scope and filters), then a role that treats
 * patients, a scope of its own team or caseload (403 otherwise) and the kind (400 naming it). Only reads.
 */
export function requireStatisticsExport(ctx: RequestContext, params: URLSearchParams): StaffAccess & StatisticsRequest & { kind: ExportKind } {
	const request = requireStatistics(ctx, params);
	if (!mayExportRows(request.user.role, request.scope)) error(403, 'Forbidden');
	const kind = EXPORT_KINDS.find((k) => k === params.get('kind'));
	if (kind === undefined) bad('kind');
	return { ...request, kind };
}
