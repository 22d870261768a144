import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { requireUser, clientAddress } from '$lib/server/auth/guards';
import { listPatients } from '$lib/server/patients';
import { recordAudit } from '$lib/server/audit';
import { osloDate, osloDay } from '$lib/server/appointments';
import { caseload, type CaseloadFilters } from '$lib/server/risk/caseload';
import { getRiskConfig } from '$lib/server/risk/config';
import { FLAG_KINDS } from '$lib/domain/risk';
import { checklistLabels } from '$lib/domain/checklist';
import { flagText } from '$lib/risk/words';
import { getLocale } from '$lib/paraglide/runtime';

/** Rows per page: a team lead reads the top; the rest is a click away. */
const PAGE_SIZE = 100;
const SETTINGS = ['outpatient', 'inpatient', 'group'] as const;

/** The filters from the address; anything unknown falls back to the default rather than failing. */
function filtersFrom(url: URL): CaseloadFilters {
	const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
		const v = url.searchParams.get(name);
		return allowed.includes(v as T) ? (v as T) : fallback;
	};
	return {
		scope: pick('scope', ['mine', 'team'] as const, 'team'),
		kind: pick('kind', ['all', ...FLAG_KINDS] as const, 'all'),
		setting: pick('setting', ['all', ...SETTINGS] as const, 'all')
	};
}

export const load: PageServerLoad = (event) => {
	const user = requireUser(event);
	const db = getDb();
	const now = new Date();
	const language = getLocale();
	const config = getRiskConfig();
	const filters = filtersFrom(event.url);
	const result = caseload(db, user, filters, osloDate(now), osloDay(now).start);
	const pages = Math.max(1, Math.ceil(result.rows.length / PAGE_SIZE));
	const requested = Number(event.url.searchParams.get('page'));
	const page = Number.isInteger(requested) && requested >= 1 ? Math.min(requested, pages) : 1;
	const labels = checklistLabels(config.checklist, language);
	const rows = result.rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => ({
		patientId: r.patientId,
		code: r.code,
		displayName: r.displayName,
		teamName: r.teamName,
		setting: r.setting,
		responsible: r.responsible,
		attention: r.attention,
		reasons: r.flags.map((f) => ({ words: flagText(f, labels.factor), kind: f.kind, acknowledged: f.acknowledged })),
		overdue: r.overdue.map((a) => ({ action: labels.action(a.actionKey), dueDate: a.dueDate, owner: a.owner })),
		startDate: r.startDate,
		attended: r.attended,
		lastSession: r.lastSession,
		nextAppointment: r.nextAppointment
	}));
	const inCaseload = new Set(result.rows.map((r) => r.patientId));
	// Patients without an open episode are listed on request only: with years of closed episodes
	// the list is long and nobody needs it on Monday morning.
	const showOthers = event.url.searchParams.get('others') === '1';
	const others = showOthers ? listPatients(db, user).filter((p) => !inCaseload.has(p.id)) : null;
	recordAudit(db, { userId: user.id, action: 'viewed_patient_list', detail: `caseload ${filters.scope}/${filters.kind}/${filters.setting} page ${page}: ${rows.length} of ${result.rows.length}`, address: clientAddress(event) }, now);
	return { filters, rows, counts: result.counts, total: result.rows.length, page, pages, others };
};
