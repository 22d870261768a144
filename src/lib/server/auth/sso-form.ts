import { z } from 'zod';
import { roles, rolesWithoutTeams } from '../db/schema';
import { CONTROL_CHARACTERS, fieldErrorMessage } from '../form';
import { exactFields, fieldsAndTeams, parseId, USERNAME, type ParsedForm } from '../admin/user-form';
import type { Approval } from './sso';
import { m } from '$lib/paraglide/messages';

const ApprovalForm = z.object({
	request: z.string(),
	username: z.string().trim().toLowerCase().min(1).max(40).regex(USERNAME),
	role: z.enum(roles)
});

/** The admin's approval of a waiting person: which request, a user name, a role and teams (a clinician or team lead on at least one). */
export function parseSsoApprovalForm(form: FormData): ParsedForm<Approval> {
	const split = fieldsAndTeams(form, ['request', 'username', 'role']);
	if (!split.ok) return split;
	const { input, teamIds } = split;
	const labels = { request: m.sso_admin_request(), username: m.sso_admin_username(), role: m.sso_admin_role(), teams: m.sso_admin_teams() };
	const parsed = ApprovalForm.safeParse(input);
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]?.path[0] ?? '');
		return { ok: false, field, message: fieldErrorMessage(parsed.error, labels, input) };
	}
	const requestId = parseId(parsed.data.request);
	if (requestId === null) return { ok: false, field: 'request', message: m.field_invalid({ field: labels.request }) };
	const { username, role } = parsed.data;
	if (teamIds.length === 0 && !rolesWithoutTeams.includes(role)) return { ok: false, field: 'teams', message: m.adm_user_teams_required({ field: labels.teams }) };
	return { ok: true, value: { requestId, username, role, teamIds: rolesWithoutTeams.includes(role) ? [] : teamIds } };
}

export const TURN_AWAY_REASON_MAX = 300;

/** Turning a waiting person away: which request, and why (kept on the request and in the trail). */
export function parseTurnAwayForm(form: FormData): ParsedForm<{ requestId: number; reason: string }> {
	const labels = { request: m.sso_admin_request(), reason: m.sso_admin_reason() };
	const fields = exactFields(form, ['request', 'reason'], ['request', 'reason'], labels);
	if (!fields.ok) return fields;
	const requestId = parseId(fields.value.request);
	if (requestId === null) return { ok: false, field: 'request', message: m.field_invalid({ field: labels.request }) };
	const reason = fields.value.reason!.trim();
	if (reason.length > TURN_AWAY_REASON_MAX) return { ok: false, field: 'reason', message: m.field_too_long({ field: labels.reason, max: TURN_AWAY_REASON_MAX }) };
	if (CONTROL_CHARACTERS.test(reason)) return { ok: false, field: 'reason', message: m.field_invalid({ field: labels.reason }) };
	return { ok: true, value: { requestId, reason } };
}
