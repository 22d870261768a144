import { m } from '$lib/paraglide/messages';
import type { AuditAction } from '$lib/server/db/schema';
import { flagKind } from '$lib/domain/risk';
import { flagKindLabel } from '$lib/risk/words';

/** What each audit event is called on the log page; the code stays beside it for searching. */
export const auditActionLabel = {
	viewed_patient: m.audit_action_viewed_patient,
	viewed_patient_list: m.audit_action_viewed_patient_list,
	changed_record: m.audit_action_changed_record,
	rated: m.audit_action_rated,
	handed_to_patient: m.audit_action_handed_to_patient,
	took_tablet_back: m.audit_action_took_tablet_back,
	pin_failed: m.audit_action_pin_failed,
	signed_in: m.audit_action_signed_in,
	signed_out: m.audit_action_signed_out,
	failed_sign_in: m.audit_action_failed_sign_in,
	denied_patient: m.audit_action_denied_patient,
	printed: m.audit_action_printed,
	viewed_together: m.audit_action_viewed_together,
	flag_raised: m.audit_action_flag_raised,
	flag_resolved: m.audit_action_flag_resolved,
	flag_acknowledged: m.audit_action_flag_acknowledged,
	action_agreed: m.audit_action_action_agreed,
	action_outcome: m.audit_action_action_outcome,
	checklist_assessed: m.audit_action_checklist_assessed,
	absence_plan_recorded: m.audit_action_absence_plan_recorded,
	meeting_planned: m.audit_action_meeting_planned,
	meeting_recorded: m.audit_action_meeting_recorded,
	goal_recorded: m.audit_action_goal_recorded,
	discharge_plan_recorded: m.audit_action_discharge_plan_recorded,
	viewed_meeting_list: m.audit_action_viewed_meeting_list,
	user_created: m.audit_action_user_created,
	user_disabled: m.audit_action_user_disabled,
	user_enabled: m.audit_action_user_enabled,
	password_changed: m.audit_action_password_changed,
	signed_out_everywhere: m.audit_action_signed_out_everywhere,
	viewed_audit_log: m.audit_action_viewed_audit_log,
	exported_patient: m.audit_action_exported_patient,
	erased_patient: m.audit_action_erased_patient,
	patient_registered: m.audit_action_patient_registered,
	patient_edited: m.audit_action_patient_edited,
	searched_patients: m.audit_action_searched_patients,
	episode_opened: m.audit_action_episode_opened,
	episode_transition: m.audit_action_episode_transition,
	episode_ended: m.audit_action_episode_ended,
	episode_reopened: m.audit_action_episode_reopened,
	outreach_opened: m.audit_action_outreach_opened,
	outreach_attempt: m.audit_action_outreach_attempt,
	outreach_closed: m.audit_action_outreach_closed,
	setup_completed: m.adm_audit_setup_completed,
	team_created: m.adm_audit_team_created,
	team_changed: m.adm_audit_team_changed,
	team_archived: m.adm_audit_team_archived,
	team_restored: m.adm_audit_team_restored,
	team_member_added: m.adm_audit_team_member_added,
	team_member_removed: m.adm_audit_team_member_removed,
	user_changed: m.adm_audit_user_changed,
	password_reset: m.adm_audit_password_reset,
	pin_reset: m.adm_audit_pin_reset,
	responsible_assigned: m.adm_audit_responsible_assigned,
	presenter_assigned: m.adm_audit_presenter_assigned,
	flag_closed: m.audit_action_flag_closed,
	viewed_statistics: m.audit_action_viewed_statistics,
	exported_csv: m.audit_action_exported_csv,
	second_factor_enrolled: m.audit_action_second_factor_enrolled,
	second_factor_passed: m.audit_action_second_factor_passed,
	second_factor_failed: m.audit_action_second_factor_failed,
	second_factor_removed: m.audit_action_second_factor_removed,
	recovery_codes_renewed: m.audit_action_recovery_codes_renewed,
	rating_link_made: m.audit_action_rating_link_made,
	rating_link_opened: m.audit_action_rating_link_opened,
	follow_up_answered: m.audit_action_follow_up_answered,
	rating_link_gate_failed: m.audit_action_rating_link_gate_failed,
	rating_link_unknown: m.audit_action_rating_link_unknown,
	contact_consent_recorded: m.audit_action_contact_consent_recorded,
	contact_consent_stopped: m.audit_action_contact_consent_stopped,
	message_sent: m.audit_action_message_sent,
	api_client_created: m.audit_action_api_client_created,
	api_client_revoked: m.audit_action_api_client_revoked,
	api_request: m.audit_action_api_request,
	sso_waiting: m.audit_action_sso_waiting,
	sso_approved: m.audit_action_sso_approved,
	gave_access_log: m.alog_audit_gave,
	viewed_log_control: m.lc_audit_viewed,
	log_control_reviewed: m.lc_audit_reviewed,
	sso_turned_away: m.sso_audit_turned_away
} satisfies Record<AuditAction, () => string>;

const RESOLUTION: Record<string, () => string> = {
	'condition-cleared': m.audit_detail_cleared,
	'episode-ended': m.audit_detail_episode_ended
};

const RATER: Record<string, () => string> = { patient: m.rater_patient, collateral: m.rater_collateral, 'group-member': m.rater_group_member };
const RATING_SOURCE: Record<string, () => string> = { tablet: m.source_tablet, paper: m.source_paper };
/** The notes the tablet's kept answers carry (src/lib/server/tablet/patient-mode.ts). */
const RATING_NOTE: Record<string, () => string> = {
	'kept on the tablet, sent after the hand-back': m.audit_detail_kept_hand_back,
	'kept on the tablet, sent from the staff pages': m.audit_detail_kept_staff
};

/** A rating's detail (src/lib/server/ratings.ts): the instrument id kept, rater and source in words. */
function ratingDetail(action: AuditAction, detail: string): string | null {
	let x: RegExpExecArray | null;
	if (action === 'rated' && (x = /^(\S+) by (\S+) \((\w+)\)(?:; (.*))?$/.exec(detail))) {
		const rater = RATER[x[2]!];
		const source = RATING_SOURCE[x[3]!];
		if (rater === undefined || source === undefined) return null;
		const words = m.audit_detail_rated({ instrument: x[1]!, rater: rater(), source: source() });
		return x[4] === undefined ? words : `${words}; ${RATING_NOTE[x[4]]?.() ?? x[4]}`;
	}
	if (action === 'changed_record' && (x = /^corrected rating (\d+): ([\s\S]*)$/.exec(detail))) return m.audit_detail_corrected({ id: x[1]!, reason: x[2]! });
	return null;
}

/** What a flag key is about, in the reader's language: its domain (the key stays beside it for searching). */
function flagAbout(key: string): string {
	const [source, rule] = key.split(':') as [string, string | undefined];
	if (rule === undefined || (source !== 'factor' && source !== 'signal')) return key;
	return `${flagKindLabel[flagKind(source, rule)]()} (${key})`;
}

/**
 * An audit row's detail in the reader's language where the event is one of the drop-out flags'
 * (raised, resolved, seen, closed, an action agreed): the words around the ids translated, the
 * ids and rule keys kept so that the trail can be searched; likewise a rating and its correction.
 * Other details are shown as written.
 * @example auditDetailText('flag_resolved', 'flag 12 signal:long-gap: condition-cleared') // 'Flagg 12, Oppmøte (signal:long-gap): løst av dataene' (nb)
 */
export function auditDetailText(action: AuditAction, detail: string | null): string {
	if (detail === null) return '';
	const rating = ratingDetail(action, detail);
	if (rating !== null) return rating;
	let x: RegExpExecArray | null;
	if (action === 'flag_raised' && (x = /^flag (\d+) (\S+) \(rules v(\d+)\)$/.exec(detail))) return m.audit_detail_flag_raised({ id: x[1]!, about: flagAbout(x[2]!), version: x[3]! });
	if (action === 'flag_resolved' && (x = /^flag (\d+) (\S+): (\S+)$/.exec(detail))) return m.audit_detail_flag_resolved({ id: x[1]!, about: flagAbout(x[2]!), how: RESOLUTION[x[3]!]?.() ?? x[3]! });
	if (action === 'flag_acknowledged' && (x = /^flag (\d+) (\S+)(?: \((\w+)\))?$/.exec(detail))) {
		const words = m.audit_detail_flag_seen({ id: x[1]!, about: flagAbout(x[2]!) });
		return x[3] === 'all' ? `${words} ${m.audit_detail_all()}` : x[3] !== undefined ? `${words} ${m.audit_detail_card()}` : words;
	}
	if (action === 'flag_closed' && (x = /^flag (\d+) (\S+)$/.exec(detail))) return m.audit_detail_flag_closed({ id: x[1]!, about: flagAbout(x[2]!) });
	if (action === 'action_agreed' && (x = /^action (\d+) (\S+) owner (\d+) due (\S+)(.*)$/.exec(detail)))
		return (
			m.audit_detail_action_agreed({ id: x[1]!, action: x[2]!, owner: x[3]!, due: x[4]! }) +
			x[5]!
				.replace(/ on flag (\d+)/, ` ${m.audit_detail_on_flag({ id: '$1' })}`)
				.replace(/ on (\w+)$/, (_, kind: string) => ` ${m.audit_detail_on_card({ kind: kind in flagKindLabel ? flagKindLabel[kind as keyof typeof flagKindLabel]() : kind })}`)
		);
	return detail;
}
