import { m } from '$lib/paraglide/messages';
import type { RegisterResult } from './registration';
import type { EndResult, ReopenResult, StartResult, TransitionResult } from './episode-course';
import type { AttemptResult } from './outreach';

type Refusal<T> = Extract<T, { ok: false }>;

/** What a refused registration or edit says, and the existing record when the user may see it. */
export function registerRefusal(r: Refusal<RegisterResult>): { field: string; message: string; existing: { id: number; code: string; displayName: string } | null } {
	if (r.reason === 'duplicate') {
		return { field: r.field, existing: r.existing, message: r.existing === null ? m.pe_err_duplicate_hidden() : m.pe_err_duplicate_seen({ code: r.existing.code, name: r.existing.displayName }) };
	}
	const message = {
		format: m.pe_err_national_id_format,
		date: m.pe_err_national_id_date,
		'check-digit': m.pe_err_national_id_check,
		'national-id-mismatch': m.pe_err_birth_mismatch,
		missing: m.pe_err_birth_missing,
		'not-your-team': m.pe_err_not_your_team
	}[r.reason]();
	return { field: r.field === 'teamId' ? 'team' : r.field, message, existing: null };
}

export function startRefusal(r: Refusal<StartResult>): { field: string; message: string } {
	const field = { teamId: 'team', responsibleId: 'responsible', plannedEnd: 'plannedEnd' }[r.field];
	const message = {
		'not-your-team': m.pe_err_not_your_team,
		'team-archived': m.pe_err_team_archived,
		'not-in-team': m.pe_err_responsible,
		'already-open': m.pe_err_already_open,
		'in-past': m.pe_err_planned_end_past,
		'before-start': m.pe_err_planned_end_before
	}[r.reason]();
	return { field, message };
}

export function transitionRefusal(r: Refusal<TransitionResult>): { field: string; message: string } {
	const field = r.field === 'toTeamId' ? 'toTeam' : r.field;
	const message = {
		'before-start': m.pe_err_transition_before_start,
		'episode-ended': m.pe_err_episode_ended,
		'unknown-team': m.pe_err_unknown_team,
		'team-archived': m.pe_err_team_archived,
		'nothing-moves': m.pe_err_nothing_moves,
		required: m.pe_err_place_required
	}[r.reason]();
	return { field, message };
}

export function endRefusal(r: Refusal<EndResult>, plannedEnd: string | null): { field: string; message: string } {
	const field = { reason: 'reason', withoutDischargePlan: 'withoutPlan', endDate: 'endDate', lastAttendedDate: 'lastAttended' }[r.field];
	const message = {
		'episode-ended': m.pe_err_episode_ended,
		'discharge-plan-missing': m.pe_err_without_plan,
		'endDate-before-start': m.pe_err_end_before_start,
		'endDate-in-future': m.pe_err_end_future,
		'lastAttended-required': m.pe_err_last_attended_required,
		'lastAttended-after-end': m.pe_err_last_attended_after,
		'lastAttended-before-start': m.pe_err_last_attended_before,
		'dropout-after-planned-end': () => m.pe_err_dropout_after_planned({ date: plannedEnd ?? '' })
	}[r.reason]();
	return { field, message };
}

export function reopenRefusal(r: Refusal<ReopenResult>): { field: string; message: string } {
	const message = { 'not-ended': m.pe_err_not_ended, 'too-late': m.pe_err_too_late, 'already-open': m.pe_err_already_open }[r.reason]();
	return { field: 'reason', message };
}

export function attemptRefusal(r: Refusal<AttemptResult>): { field: string; message: string } {
	const message = { closed: m.pe_err_task_closed, 'in-future': m.pe_err_attempt_future, 'before-opened': m.pe_err_attempt_before }[r.reason]();
	return { field: r.field, message };
}
