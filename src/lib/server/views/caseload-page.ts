import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { listPatients } from '../patients';
import { recordAuditShown } from '../audit-shown';
import { outreachRows } from '../outreach';
import { osloDate, osloDay } from '../appointments';
import { caseload, type CaseloadFilters } from '../risk/caseload';
import { FLAG_KINDS, type FlagKind } from '$lib/domain/risk';
import { checklistLabels } from '$lib/domain/checklist';
import { flagWords } from '$lib/risk/words';

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

/**
 * A row's flags as one line per domain (as the patient page has one card per domain), in the
 * row's order: each flag in the words it was raised on, with today's figures beside it when they
 * have moved — the same words as the patient page.
 */
function byDomain(flags: { words: { raised: string; now: string | null }; kind: FlagKind; acknowledged: boolean }[]) {
	const out: { kind: FlagKind; unseen: boolean; words: string[] }[] = [];
	for (const f of flags) {
		let line = out.find((d) => d.kind === f.kind);
		if (line === undefined) out.push((line = { kind: f.kind, unseen: false, words: [] }));
		line.unseen ||= !f.acknowledged;
		line.words.push(f.words.now === null ? f.words.raised : `${f.words.raised} ${f.words.now}`);
	}
	return out;
}

/**
 * The caseload: the team's (or the user's own) patients in treatment with what needs attention,
 * a page of 100 at a time, and on request the patients without an open episode. One audit row for
 * the page view, linked to every patient it shows.
 */
export function loadCaseloadPage(ctx: RequestContext, user: SessionUser, url: URL, language: string) {
	const { db, now } = ctx;
	const config = ctx.config.risk;
	const filters = filtersFrom(url);
	const result = caseload(db, user, filters, osloDate(now), osloDay(now).start);
	const pages = Math.max(1, Math.ceil(result.rows.length / PAGE_SIZE));
	const requested = Number(url.searchParams.get('page'));
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
		reasons: byDomain(r.flags.map((f) => ({ words: flagWords(f, labels.factor), kind: f.kind, acknowledged: f.acknowledged }))),
		overdue: r.overdue.map((a) => ({ action: labels.action(a.actionKey), dueDate: a.dueDate, owner: a.owner })),
		startDate: r.startDate,
		attended: r.attended,
		lastSession: r.lastSession,
		nextAppointment: r.nextAppointment
	}));
	const inCaseload = new Set(result.rows.map((r) => r.patientId));
	// Patients without an open episode are listed on request only: with years of closed episodes
	// the list is long and nobody needs it on Monday morning.
	const showOthers = url.searchParams.get('others') === '1';
	const others = showOthers ? listPatients(db, user).filter((p) => !inCaseload.has(p.id)) : null;
	const outreach = outreachRows(db, user, filters.scope === 'mine');
	const shown = [...new Set([...rows.map((r) => r.patientId), ...(others ?? []).map((p) => p.id), ...outreach.map((t) => t.patientId)])];
	const detail = `caseload ${filters.scope}/${filters.kind}/${filters.setting} page ${page}: ${rows.length} of ${result.rows.length}${others === null ? '' : `, ${others.length} others`}`;
	recordAuditShown(db, { userId: user.id, action: 'viewed_patient_list', detail, address: ctx.address }, shown, now);
	return { filters, rows, counts: result.counts, total: result.rows.length, page, pages, others, outreach };
}
