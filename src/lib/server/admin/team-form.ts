import { z } from 'zod';
import { CONTROL_CHARACTERS, fieldErrorMessage } from '../form';
import { exactFields, parseId, type ParsedForm } from './user-form';
import { teamSettings, type TeamInput } from './teams';
import { m } from '$lib/paraglide/messages';

const TeamForm = z.object({
	name: z
		.string()
		.trim()
		.min(1)
		.max(80)
		.refine((v) => !CONTROL_CHARACTERS.test(v)),
	defaultSetting: z.enum(teamSettings)
});

export function teamFormLabels(): Record<string, string> {
	return { name: m.adm_team_name(), defaultSetting: m.adm_team_default_setting(), team: m.adm_team() };
}

/** Create (no `team`) or rename (with the team's id): a name and the default setting. */
export function parseTeamForm(form: FormData, withId: boolean): ParsedForm<TeamInput & { teamId: number | null }> {
	const labels = teamFormLabels();
	const fields = exactFields(form, withId ? ['team', 'name', 'defaultSetting'] : ['name', 'defaultSetting'], withId ? ['team', 'name', 'defaultSetting'] : ['name', 'defaultSetting'], labels);
	if (!fields.ok) return fields;
	const teamId = withId ? parseId(fields.value.team) : null;
	if (withId && teamId === null) return { ok: false, field: 'team', message: m.field_invalid({ field: labels.team! }) };
	const parsed = TeamForm.safeParse(fields.value);
	if (!parsed.success) return { ok: false, field: String(parsed.error.issues[0]?.path[0] ?? ''), message: fieldErrorMessage(parsed.error, labels, fields.value) };
	return { ok: true, value: { ...parsed.data, teamId } };
}

/** Forms that name one record and nothing else (archive a team, a member to add or remove). */
export function parseIdForm(form: FormData, field: string, label: string, extra: readonly string[] = []): ParsedForm<number> {
	const fields = exactFields(form, [field, ...extra], [field], { [field]: label });
	if (!fields.ok) return fields;
	const id = parseId(fields.value[field]);
	return id === null ? { ok: false, field, message: m.field_invalid({ field: label }) } : { ok: true, value: id };
}

/** A record and a person for it, or nobody (''): the caseload assignment and the presenter rota. */
export function parseAssignForm(form: FormData, recordField: string, personField: string, labels: Record<string, string>): ParsedForm<{ recordId: number; personId: number | null }> {
	const fields = exactFields(form, [recordField, personField], [recordField], labels);
	if (!fields.ok) return fields;
	const recordId = parseId(fields.value[recordField]);
	if (recordId === null) return { ok: false, field: recordField, message: m.field_invalid({ field: labels[recordField]! }) };
	const raw = fields.value[personField];
	if (raw === undefined) return { ok: false, field: personField, message: m.field_required({ field: labels[personField]! }) };
	if (raw === '') return { ok: true, value: { recordId, personId: null } };
	const personId = parseId(raw);
	return personId === null ? { ok: false, field: personField, message: m.field_invalid({ field: labels[personField]! }) } : { ok: true, value: { recordId, personId } };
}
