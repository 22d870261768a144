import { and, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from './db';
import { appointments, episodes, flags, groupSessions, patients, ratings, users, type Appointment } from './db/schema';
import type { SessionUser } from './auth/session';
import { episodeTeam, visibleTeamIds } from './access';
import { meetingDates } from './milestones/meetings';
import { milestoneIntervalDays, type RiskConfig } from './risk/config';
import { openOutreachEpisodes } from './today-outreach';
import { recordAuditShown } from './audit-shown';
import { teamFollowUps, type TeamFollowUp } from './links/follow-ups';
import type { RequestContext } from './context';
import { nextMeeting } from '$lib/domain/milestones';
import { getInstrument, type Registry } from '$lib/domain/registry';
import { addDays, clinicInstant, clinicWallClock } from '$lib/domain/booking';

/**
 * A milestone meeting due within this many days is named on the day's list: the session before
 * it is where the clinician prepares it with the patient (the same rhythm as the meeting list's
 * shortest horizon, one week; docs/clinical/dropout-and-milestones.md).
 */
export const MILESTONE_DUE_DAYS = 7;

export type DayScope = 'mine' | 'team';

export interface DayRow {
	appointmentId: number;
	at: Date;
	durationMinutes: number;
	status: Appointment['status'];
	cancelledBy: Appointment['cancelledBy'];
	patientId: number;
	code: string;
	displayName: string;
	clinician: string;
	group: string | null;
	/** What the appointment still needs, in the order the list shows it. */
	needs: {
		outcome: boolean;
		alliance: boolean;
		unseenFlags: number;
		milestone: { date: string; overdue: boolean } | null;
		outreach: boolean;
	};
}

export interface DayList {
	date: string;
	scope: DayScope;
	today: DayRow[];
	/** Yesterday's appointments still marked scheduled: their attendance was never recorded. */
	unrecorded: DayRow[];
}

/**
 * "I dag": the user's appointments today (or, for a team lead, the team's) in time order, each
 * with what it still needs, and yesterday's appointments whose attendance was never recorded.
 * A handful of indexed queries over the two days' appointments, whatever the caseload's size.
 */
export function dayList(db: Db, registry: Registry, config: Pick<RiskConfig, 'milestoneDays'>, user: SessionUser, scope: DayScope, now: Date): DayList {
	const date = clinicWallClock(now).date;
	const empty: DayList = { date, scope, today: [], unrecorded: [] };
	const teamIds = visibleTeamIds(db, user);
	if (teamIds.length === 0) return empty;
	const yesterdayStart = clinicInstant(addDays(date, -1), '00:00');
	const todayStart = clinicInstant(date, '00:00');
	const todayEnd = clinicInstant(addDays(date, 1), '00:00');
	const rows = db
		.select({
			a: appointments,
			patientId: patients.id,
			code: patients.code,
			displayName: patients.displayName,
			clinician: users.displayName,
			group: groupSessions.title,
			startDate: episodes.startDate,
			setting: episodes.setting,
			milestoneIntervalDays: episodes.milestoneIntervalDays,
			episodeOpen: sql<number>`${episodes.actualEnd} is null`
		})
		.from(appointments)
		.innerJoin(episodes, eq(episodes.id, appointments.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.innerJoin(users, eq(users.id, appointments.clinicianId))
		.leftJoin(groupSessions, eq(groupSessions.id, appointments.groupSessionId))
		.where(
			and(
				gte(appointments.scheduledAt, yesterdayStart),
				lt(appointments.scheduledAt, todayEnd),
				inArray(episodeTeam, teamIds),
				isNull(patients.erasedAt),
				scope === 'mine' ? eq(appointments.clinicianId, user.id) : undefined
			)
		)
		.orderBy(appointments.scheduledAt, patients.code, appointments.id)
		.all();
	const todays = rows.filter((r) => r.a.scheduledAt >= todayStart);
	const unrecorded = rows.filter((r) => r.a.scheduledAt < todayStart && r.a.status === 'scheduled');
	const appointmentIds = todays.map((r) => r.a.id);
	const episodeIds = [...new Set(todays.map((r) => r.a.episodeId))];

	const rated = new Map<number, Set<string>>();
	if (appointmentIds.length > 0) {
		const found = db
			.selectDistinct({ appointmentId: ratings.appointmentId, instrumentId: ratings.instrumentId, instrumentVersion: ratings.instrumentVersion })
			.from(ratings)
			.where(and(inArray(ratings.appointmentId, appointmentIds), isNull(ratings.correctsRatingId)))
			.all();
		for (const r of found) {
			const kind = getInstrument(registry, r.instrumentId, r.instrumentVersion)?.definition.kind;
			if (kind === undefined) continue;
			const set = rated.get(r.appointmentId) ?? new Set<string>();
			set.add(kind);
			rated.set(r.appointmentId, set);
		}
	}
	const unseen = new Map<number, number>();
	if (episodeIds.length > 0) {
		for (const f of db
			.select({ episodeId: flags.episodeId, n: sql<number>`count(*)` })
			.from(flags)
			.where(and(inArray(flags.episodeId, episodeIds), isNull(flags.resolvedAt), isNull(flags.acknowledgedAt)))
			.groupBy(flags.episodeId)
			.all())
			unseen.set(f.episodeId, Number(f.n));
	}
	const meetings = meetingDates(db, episodeIds);
	const outreach = openOutreachEpisodes(db, episodeIds);

	const row = (r: (typeof rows)[number], withNeeds: boolean): DayRow => {
		const going = r.a.status === 'scheduled' || r.a.status === 'attended';
		const kinds = rated.get(r.a.id);
		const d = meetings.get(r.a.episodeId);
		const due =
			withNeeds && r.episodeOpen === 1 && d !== undefined
				? nextMeeting({ start: r.startDate, lastHeld: d.lastHeld, nextAgreed: null, planned: d.planned?.date ?? null, intervalDays: milestoneIntervalDays(r, config) }, date, MILESTONE_DUE_DAYS)
				: null;
		return {
			appointmentId: r.a.id,
			at: r.a.scheduledAt,
			durationMinutes: r.a.durationMinutes,
			status: r.a.status,
			cancelledBy: r.a.cancelledBy,
			patientId: r.patientId,
			code: r.code,
			displayName: r.displayName,
			clinician: r.clinician,
			group: r.group,
			needs: {
				outcome: withNeeds && going && r.episodeOpen === 1 && !(kinds?.has('outcome') ?? false),
				alliance: withNeeds && going && r.episodeOpen === 1 && !(kinds?.has('alliance') ?? false),
				unseenFlags: withNeeds ? (unseen.get(r.a.episodeId) ?? 0) : 0,
				milestone: due === null || due.status === 'later' ? null : { date: due.date, overdue: due.status === 'overdue' },
				outreach: withNeeds && outreach.has(r.a.episodeId)
			}
		};
	};
	return { date, scope, today: todays.map((r) => row(r, true)), unrecorded: unrecorded.map((r) => row(r, false)) };
}

/** The day's list page: the list, whether the user may switch to the team's day, and its audit row. */
export function loadDayPage(ctx: RequestContext, user: SessionUser, scope: DayScope): { list: DayList; canSeeTeam: boolean; followUps: TeamFollowUp[] } {
	const list = dayList(ctx.db, ctx.registry, ctx.config.risk, user, scope, ctx.now);
	const followUps = teamFollowUps(ctx.db, user, ctx.now);
	const shown = [...new Set([...list.today, ...list.unrecorded, ...followUps].map((r) => r.patientId))];
	// Linked to each patient shown, so every patient's access log finds the page view.
	recordAuditShown(
		ctx.db,
		{
			userId: user.id,
			action: 'viewed_patient_list',
			detail: `day ${list.date} ${list.scope}: ${list.today.length} today, ${list.unrecorded.length} unrecorded, ${followUps.length} follow-ups, ${shown.length} patients`,
			address: ctx.address
		},
		shown,
		ctx.now
	);
	return { list, canSeeTeam: user.role === 'team_lead', followUps };
}
