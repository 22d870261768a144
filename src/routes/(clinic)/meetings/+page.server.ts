import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { requireUser, clientAddress } from '$lib/server/auth/guards';
import { recordAudit } from '$lib/server/audit';
import { osloDate, osloDay } from '$lib/server/appointments';
import { getRiskConfig } from '$lib/server/risk/config';
import { meetingList } from '$lib/server/milestones/meeting-list';
import { checklistLabels } from '$lib/domain/checklist';
import { flagText } from '$lib/risk/words';
import { getLocale } from '$lib/paraglide/runtime';

const HORIZONS = [2, 4, 8] as const;

export const load: PageServerLoad = (event) => {
	const user = requireUser(event);
	const db = getDb();
	const now = new Date();
	const config = getRiskConfig();
	const language = getLocale();
	const weeks = HORIZONS.find((h) => String(h) === event.url.searchParams.get('weeks')) ?? 4;
	const scope = event.url.searchParams.get('scope') === 'mine' ? 'mine' : 'team';
	const rows = meetingList(db, user, config, { scope, horizonDays: weeks * 7 }, osloDate(now), osloDay(now).start);
	const labels = checklistLabels(config.checklist, language);
	recordAudit(db, { userId: user.id, action: 'viewed_meeting_list', detail: `${scope}, ${weeks} weeks: ${rows.length} meetings`, address: clientAddress(event) }, now);
	return {
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
};
