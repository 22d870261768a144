import type { Db } from '../db';
import type { SessionUser } from '../auth/session';
import { caseload, ATTENTION_ORDER, type CaseloadRow } from '../risk/caseload';
import { milestoneIntervalDays, type RiskConfig } from '../risk/config';
import { meetingDates } from './meetings';
import { nextMeeting, type MeetingDue } from '$lib/domain/milestones';

export interface MeetingListRow extends CaseloadRow {
	due: MeetingDue;
	intervalDays: number;
	lastHeld: string | null;
	planned: { id: number; date: string; presenter: string | null; calledEarly: boolean } | null;
}

/**
 * The team's milestone meetings due within `horizonDays` and the overdue ones, the most at-risk
 * patients first (unseen flags, overdue actions, open flags, then the rest; more flags first),
 * then the earliest date. Reads the caseload (stored flags) and the meetings in a few queries.
 */
export function meetingList(
	db: Db,
	user: SessionUser,
	config: Pick<RiskConfig, 'milestoneDays'>,
	options: { scope: 'mine' | 'team'; horizonDays: number },
	today: string,
	dayStart: Date
): MeetingListRow[] {
	const { rows } = caseload(db, user, { scope: options.scope, kind: 'all', setting: 'all' }, today, dayStart);
	const dates = meetingDates(
		db,
		rows.map((r) => r.episodeId)
	);
	const out: MeetingListRow[] = [];
	for (const r of rows) {
		const d = dates.get(r.episodeId) ?? { lastHeld: null, planned: null };
		const intervalDays = milestoneIntervalDays(r, config);
		const due = nextMeeting({ start: r.startDate, lastHeld: d.lastHeld, nextAgreed: null, planned: d.planned?.date ?? null, intervalDays }, today, options.horizonDays);
		if (due.status === 'later') continue;
		out.push({ ...r, due, intervalDays, lastHeld: d.lastHeld, planned: d.planned });
	}
	return out.sort(
		(a, b) => ATTENTION_ORDER.indexOf(a.attention) - ATTENTION_ORDER.indexOf(b.attention) || b.flags.length - a.flags.length || a.due.date.localeCompare(b.due.date) || a.code.localeCompare(b.code)
	);
}
