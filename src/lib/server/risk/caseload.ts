import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { appointments, episodes, flags, patients, riskActions, teams, users } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { episodeTeam, visibleTeamIds } from '../access';
import { flagKind, type FlagKind } from '$lib/domain/risk';

export type Attention = 'unacknowledged' | 'overdue' | 'open' | 'none';
/** The order of the caseload: unacknowledged flags first, then overdue actions, then open flags, then the rest. */
export const ATTENTION_ORDER: readonly Attention[] = ['unacknowledged', 'overdue', 'open', 'none'];

/** Which reasons a row names first: what the data says happens now before the standing checklist. */
export const KIND_ORDER: readonly FlagKind[] = ['attendance', 'alliance', 'transition', 'progress', 'factor'];

export interface CaseloadFilters {
	/** My patients (the episodes I am responsible for) or the whole team's. */
	scope: 'mine' | 'team';
	kind: FlagKind | 'all';
	setting: 'outpatient' | 'inpatient' | 'group' | 'all';
}

export interface CaseloadFlag {
	id: number;
	source: 'factor' | 'signal';
	rule: string;
	kind: FlagKind;
	params: Record<string, number>;
	raisedParams: Record<string, number> | null;
	text: string;
	raisedAt: Date;
	acknowledged: boolean;
}

export interface CaseloadRow {
	patientId: number;
	code: string;
	displayName: string;
	teamName: string;
	episodeId: number;
	startDate: string;
	setting: 'outpatient' | 'inpatient' | 'group';
	milestoneIntervalDays: number | null;
	responsibleId: number | null;
	responsible: string | null;
	attention: Attention;
	/** Open flags: the filtered kind first, then unseen ones, then by KIND_ORDER, then the oldest. */
	flags: CaseloadFlag[];
	overdue: { actionKey: string; dueDate: string; owner: string }[];
	openActions: number;
	/** Sessions attended so far in this episode. */
	attended: number;
	lastSession: Date | null;
	nextAppointment: Date | null;
}

export interface Caseload {
	rows: CaseloadRow[];
	/** Rows per attention level, after filtering. */
	counts: Record<Attention, number>;
}

/**
 * `today` is the Oslo date (for overdue actions) and `dayStart` when that day began (the next
 * appointment may be later today even if its time has passed and it is not yet marked).
 *
 * The open episodes of the teams the user may see, ordered by what needs attention: unacknowledged
 * flags (the longest waiting first, then the most), then overdue actions (the oldest due date first), then open
 * flags (the most first), then the rest (the next appointment first). Reads the stored flags;
 * raising them is the sweep's and the events' work, so this stays a handful of indexed queries.
 */
export function caseload(db: Db, user: SessionUser, filters: CaseloadFilters, today: string, dayStart: Date): Caseload {
	const empty: Caseload = { rows: [], counts: { unacknowledged: 0, overdue: 0, open: 0, none: 0 } };
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return empty;
	const where = and(
		inArray(episodeTeam, teamIds),
		isNull(episodes.actualEnd),
		filters.scope === 'mine' ? eq(episodes.responsibleId, user.id) : undefined,
		filters.setting === 'all' ? undefined : eq(episodes.setting, filters.setting)
	);
	const eps = db
		.select({
			episodeId: episodes.id,
			startDate: episodes.startDate,
			setting: episodes.setting,
			milestoneIntervalDays: episodes.milestoneIntervalDays,
			responsibleId: episodes.responsibleId,
			patientId: patients.id,
			code: patients.code,
			displayName: patients.displayName,
			teamName: teams.name,
			responsible: users.displayName
		})
		.from(episodes)
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.innerJoin(teams, eq(teams.id, episodeTeam))
		.leftJoin(users, eq(users.id, episodes.responsibleId))
		.where(where)
		.all();
	if (eps.length === 0) return empty;

	const scoped = db.select({ id: episodes.id }).from(episodes).innerJoin(patients, eq(patients.id, episodes.patientId)).where(where);
	const openFlags = db
		.select({
			episodeId: flags.episodeId,
			id: flags.id,
			source: flags.source,
			rule: flags.rule,
			params: flags.params,
			raisedParams: flags.raisedParams,
			text: flags.text,
			raisedAt: flags.raisedAt,
			acknowledgedAt: flags.acknowledgedAt
		})
		.from(flags)
		.where(and(isNull(flags.resolvedAt), inArray(flags.episodeId, scoped)))
		.all();
	const actions = db
		.select({ episodeId: riskActions.episodeId, actionKey: riskActions.actionKey, dueDate: riskActions.dueDate, owner: users.displayName })
		.from(riskActions)
		.innerJoin(users, eq(users.id, riskActions.ownerId))
		.where(and(isNull(riskActions.outcomeAt), inArray(riskActions.episodeId, scoped)))
		.all();
	const times = db
		.select({
			episodeId: appointments.episodeId,
			attended: sql<number>`sum(${appointments.status} = 'attended')`,
			last: sql<number | null>`max(case when ${appointments.status} = 'attended' then ${appointments.scheduledAt} end)`,
			next: sql<number | null>`min(case when ${appointments.status} = 'scheduled' and ${appointments.scheduledAt} >= ${dayStart.getTime()} then ${appointments.scheduledAt} end)`
		})
		.from(appointments)
		.where(inArray(appointments.episodeId, scoped))
		.groupBy(appointments.episodeId)
		.all();

	const flagsBy = new Map<number, CaseloadFlag[]>();
	for (const f of openFlags) {
		const list = flagsBy.get(f.episodeId) ?? [];
		list.push({
			id: f.id,
			source: f.source,
			rule: f.rule,
			kind: flagKind(f.source, f.rule),
			params: f.params,
			raisedParams: f.raisedParams,
			text: f.text,
			raisedAt: f.raisedAt,
			acknowledged: f.acknowledgedAt !== null
		});
		flagsBy.set(f.episodeId, list);
	}
	const actionsBy = new Map<number, typeof actions>();
	for (const a of actions) {
		const list = actionsBy.get(a.episodeId) ?? [];
		list.push(a);
		actionsBy.set(a.episodeId, list);
	}
	const timesBy = new Map(times.map((t) => [t.episodeId, t]));

	const rows: CaseloadRow[] = [];
	for (const e of eps) {
		const fl = (flagsBy.get(e.episodeId) ?? []).sort(
			(a, b) =>
				Number(b.kind === filters.kind) - Number(a.kind === filters.kind) ||
				Number(a.acknowledged) - Number(b.acknowledged) ||
				KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
				a.raisedAt.getTime() - b.raisedAt.getTime() ||
				a.id - b.id
		);
		if (filters.kind !== 'all' && !fl.some((f) => f.kind === filters.kind)) continue;
		const open = actionsBy.get(e.episodeId) ?? [];
		const overdue = open.filter((a) => a.dueDate < today).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
		const t = timesBy.get(e.episodeId);
		rows.push({
			...e,
			attention: fl.some((f) => !f.acknowledged) ? 'unacknowledged' : overdue.length > 0 ? 'overdue' : fl.length > 0 ? 'open' : 'none',
			flags: fl,
			overdue,
			openActions: open.length,
			attended: Number(t?.attended ?? 0),
			lastSession: t?.last == null ? null : new Date(Number(t.last)),
			nextAppointment: t?.next == null ? null : new Date(Number(t.next))
		});
	}
	rows.sort(compareRows);
	const counts = { unacknowledged: 0, overdue: 0, open: 0, none: 0 };
	for (const r of rows) counts[r.attention]++;
	return { rows, counts };
}

const FAR = Number.MAX_SAFE_INTEGER;

function compareRows(a: CaseloadRow, b: CaseloadRow): number {
	const rank = ATTENTION_ORDER.indexOf(a.attention) - ATTENTION_ORDER.indexOf(b.attention);
	if (rank !== 0) return rank;
	let within: number;
	if (a.attention === 'unacknowledged') within = oldestUnacknowledged(a) - oldestUnacknowledged(b) || b.flags.length - a.flags.length;
	else if (a.attention === 'overdue') within = (a.overdue[0]?.dueDate ?? '').localeCompare(b.overdue[0]?.dueDate ?? '');
	else if (a.attention === 'open') within = b.flags.length - a.flags.length;
	else within = (a.nextAppointment?.getTime() ?? FAR) - (b.nextAppointment?.getTime() ?? FAR);
	return within !== 0 ? within : a.code.localeCompare(b.code);
}

function oldestUnacknowledged(r: CaseloadRow): number {
	return Math.min(...r.flags.filter((f) => !f.acknowledged).map((f) => f.raisedAt.getTime()));
}
