import { m } from '$lib/paraglide/messages';
import type { AuditAction } from '$lib/server/db/schema';

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
	erased_patient: m.audit_action_erased_patient
} satisfies Record<AuditAction, () => string>;
