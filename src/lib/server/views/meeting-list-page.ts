import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { recordAuditShown } from '../audit-shown';
import { outreachRows } from '../outreach';
import { osloDate, osloDay } from '../appointments';
import { meetingList } from '../milestones/meeting-list';
import { checklistLabels } from '$lib/domain/checklist';
import { flagText } from '$lib/risk/words';

const HORIZONS = [2, 4, 8] as const;

/** The milestone meetings coming up. One audit row for the page view, linked to every patient it lists. */
export function loadMeetingListPage(ctx: RequestContext, user: SessionUser, url: URL, language: string) {
	const { db, now } = ctx;
	const config = ctx.config.risk;
	const weeks = HORIZONS.find((h) => String(h) === url.searchParams.get('weeks')) ?? 4;
	const scope = url.searchParams.get('scope') === 'mine' ? 'mine' : 'team';
	const rows = meetingList(db, user, config, { scope, horizonDays: weeks * 7 }, osloDate(now), osloDay(now).start);
	const labels = checklistLabels(config.checklist, language);
	const outreach = outreachRows(db, user, scope === 'mine');
	const shown = [...new Set([...rows.map((r) => r.patientId), ...outreach.map((t) => t.patientId)])];
	recordAuditShown(
		db,
		{ userId: user.id, action: 'viewed_meeting_list', detail: `${scope}, ${weeks} weeks: ${rows.length} meetings, ${outreach.length} outreach tasks`, address: ctx.address },
		shown,
		now
	);
	return {
		outreach,
		weeks,
		horizons: HORIZONS,
		scope,
		rows: rows.map((r) => ({
			patientId: r.patientId,
			code: r.code,
			displayName: r.displayName,
			attention: r.attention,
			due: r.due,
			calledEarly: r.planned?.calledEarly ?? false,
			presenter: r.planned?.presenter ?? null,
			responsible: r.responsible,
			reasons: r.flags.slice(0, 3).map((f) => flagText(f, labels.factor)),
			more: Math.max(0, r.flags.length - 3),
			overdueActions: r.overdue.length
		}))
	};
}
