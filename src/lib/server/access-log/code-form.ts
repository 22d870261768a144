import { m } from '$lib/paraglide/messages';

const CODE_MAX = 40;

/** The admin's access-log form: the patient's code, named by its label when missing or too long. */
export function parseAccessLogCode(form: FormData): { ok: true; code: string } | { ok: false; message: string } {
	const code = String(form.get('code') ?? '').trim();
	const label = m.alog_admin_code();
	if (code === '') return { ok: false, message: m.field_required({ field: label }) };
	if (code.length > CODE_MAX) return { ok: false, message: m.field_too_long({ field: label, max: CODE_MAX }) };
	return { ok: true, code };
}
