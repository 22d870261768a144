import { ERASE_REASON_MAX, ERASE_REASON_MIN } from './erase';
import { m } from '$lib/paraglide/messages';

const CODE_MAX = 40;

/**
 * The erase form: the patient's code, the code typed again — a deliberate act, not a slipped
 * click — and a reason for the record. Each named by its label when wrong.
 */
export function parseEraseForm(form: FormData): { ok: true; code: string; reason: string } | { ok: false; message: string } {
	const code = String(form.get('code') ?? '').trim();
	const confirm = String(form.get('confirm') ?? '').trim();
	const reason = String(form.get('reason') ?? '').trim();
	const codeLabel = m.admin_erase_code();
	const confirmLabel = m.data_rights_erase_confirm();
	const reasonLabel = m.data_rights_erase_reason();
	if (code === '') return { ok: false, message: m.field_required({ field: codeLabel }) };
	if (code.length > CODE_MAX) return { ok: false, message: m.field_too_long({ field: codeLabel, max: CODE_MAX }) };
	if (confirm === '') return { ok: false, message: m.field_required({ field: confirmLabel }) };
	if (confirm !== code) return { ok: false, message: m.data_rights_erase_mismatch({ field: confirmLabel }) };
	if (reason === '') return { ok: false, message: m.field_required({ field: reasonLabel }) };
	if (reason.length < ERASE_REASON_MIN) return { ok: false, message: m.data_rights_erase_too_short({ field: reasonLabel, min: ERASE_REASON_MIN }) };
	if (reason.length > ERASE_REASON_MAX) return { ok: false, message: m.field_too_long({ field: reasonLabel, max: ERASE_REASON_MAX }) };
	return { ok: true, code, reason };
}
