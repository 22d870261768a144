import { m } from '$lib/paraglide/messages';

/** The vocabularies of patients and episodes in the user's language (call at render time). */
export const settingLabel = { outpatient: m.setting_outpatient, inpatient: m.setting_inpatient, group: m.setting_group } as const;

export const endReasonLabel = {
	planned_completion: m.pe_reason_planned_completion,
	dropout: m.pe_reason_dropout,
	transfer: m.pe_reason_transfer,
	other: m.pe_reason_other
} as const;

export const endReasonHint = {
	planned_completion: m.pe_reason_planned_completion_hint,
	dropout: m.pe_reason_dropout_hint,
	transfer: m.pe_reason_transfer_hint,
	other: m.pe_reason_other_hint
} as const;

export const transitionKindLabel = {
	setting: m.pe_kind_setting,
	team: m.pe_kind_team,
	'private-institution': m.pe_kind_private_institution,
	prison: m.pe_kind_prison,
	'temporary-transfer': m.pe_kind_temporary_transfer
} as const;

export const channelLabel = {
	phone: m.pe_channel_phone,
	'text-message': m.pe_channel_text_message,
	letter: m.pe_channel_letter,
	'home-visit': m.pe_channel_home_visit,
	'peer-worker': m.pe_channel_peer_worker,
	gp: m.pe_channel_gp,
	municipality: m.pe_channel_municipality
} as const;

export const resultLabel = {
	reached: m.pe_result_reached,
	'no-answer': m.pe_result_no_answer,
	'message-left': m.pe_result_message_left,
	declined: m.pe_result_declined,
	'appointment-agreed': m.pe_result_appointment_agreed,
	'wrong-contact': m.pe_result_wrong_contact
} as const;

export const outcomeLabel = { 're-engaged': m.pe_outcome_re_engaged, declined: m.pe_outcome_declined, unreachable: m.pe_outcome_unreachable } as const;

export const outreachReasonLabel = { dropout: m.pe_outreach_reason_dropout, 'long-gap': m.pe_outreach_reason_long_gap } as const;

export const localeLabel = { nb: () => 'Norsk bokmål', nn: () => 'Norsk nynorsk', en: () => 'English' } as const;
