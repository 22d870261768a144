import { CONTROL_CHARACTERS } from '../form';
import { exactFields, type ParsedForm } from '../admin/user-form';
import type { ApiClientInput } from './api-clients';
import { m } from '$lib/paraglide/messages';

/** The longest a client may live before an admin makes a new one: three years. */
const MAX_LIFETIME_DAYS = 3 * 366;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function apiClientFormLabels(): Record<string, string> {
	return { name: m.api_client_name(), expires: m.api_client_expires(), teams: m.api_client_teams() };
}

/**
 * A new client: its name, an expiry date (after today, within three years; it expires at the
 * start of that day, UTC) and one checkbox per team (`team-<id>`, so no field repeats).
 */
export function parseApiClientForm(form: FormData, teamIds: readonly number[], now: Date): ParsedForm<ApiClientInput> {
	const labels = apiClientFormLabels();
	const teamFields = teamIds.map((id) => `team-${id}`);
	const fields = exactFields(form, ['name', 'expires', ...teamFields], ['name', 'expires'], labels);
	if (!fields.ok) return fields;
	const name = fields.value.name!.trim();
	if (name.length > 80 || CONTROL_CHARACTERS.test(name)) return { ok: false, field: 'name', message: m.field_invalid({ field: labels.name! }) };
	const expires = fields.value.expires!;
	const expiresAt = DATE.test(expires) ? new Date(`${expires}T00:00:00Z`) : null;
	if (expiresAt === null || Number.isNaN(expiresAt.getTime()) || expiresAt.toISOString().slice(0, 10) !== expires)
		return { ok: false, field: 'expires', message: m.field_invalid({ field: labels.expires! }) };
	if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > now.getTime() + MAX_LIFETIME_DAYS * DAY_MS) return { ok: false, field: 'expires', message: m.api_client_expires_range() };
	const chosen = teamIds.filter((id) => fields.value[`team-${id}`] === 'on');
	if (chosen.length === 0) return { ok: false, field: 'teams', message: m.field_required({ field: labels.teams! }) };
	return { ok: true, value: { name, expiresAt, teamIds: chosen } };
}
