import { ERASE_REASON_MAX, ERASE_REASON_MIN } from './erase';
import { m } from '$lib/paraglide/messages';

/**
 * The erase form: a reason for the record, and the patient code typed again — a deliberate act,
 * not a slipped click. Both named by their labels when wrong.
 */
export function parseEraseForm(form: FormData, patientCode: string): { ok: true; reason: string } | { ok: false; message: string } {
	const reason = String(form.get('reason') ?? '').trim();
	const confirm = String(form.get('confirm') ?? '').trim();
	const reasonLabel = m.data_rights_erase_reason();
	const confirmLabel = m.data_rights_erase_confirm();
	if (reason === '') return { ok: false, message: m.field_required({ field: reasonLabel }) };
	if (reason.length < ERASE_REASON_MIN) return { ok: false, message: m.data_rights_erase_too_short({ field: reasonLabel, min: ERASE_REASON_MIN }) };
	if (reason.length > ERASE_REASON_MAX) return { ok: false, message: m.field_too_long({ field: reasonLabel, max: ERASE_REASON_MAX }) };
	if (confirm === '') return { ok: false, message: m.field_required({ field: confirmLabel }) };
	if (confirm !== patientCode) return { ok: false, message: m.data_rights_erase_mismatch({ field: confirmLabel }) };
	return { ok: true, reason };
}
