import { m } from '$lib/paraglide/messages';
import { id, isCalendarDate, single, text } from './risk/forms';
import type { FieldParsed } from './booking-forms';

const NAME_MAX = 100;

function only(form: FormData, allowed: readonly string[]): { ok: false; message: string; field: string } | null {
	for (const name of form.keys()) if (!allowed.includes(name)) return { ok: false, field: name.slice(0, 60), message: m.form_field_unknown({ field: name.slice(0, 60) }) };
	return null;
}

function pick(form: FormData, name: string, label: string, among: readonly number[]): FieldParsed<number> {
	const parsed = id(form, name, label);
	if (!parsed.ok) return { ...parsed, field: name };
	return among.includes(parsed.value) ? parsed : { ok: false, field: name, message: m.field_invalid({ field: label }) };
}

function date(form: FormData, name: string, label: string): FieldParsed<string> {
	const raw = single(form, name);
	if (raw === undefined || raw === '') return { ok: false, field: name, message: m.field_required({ field: label }) };
	return raw !== null && isCalendarDate(raw) ? { ok: true, value: raw } : { ok: false, field: name, message: m.field_invalid({ field: label }) };
}

/** A new group: its name, the team (one of the user's) and who leads it (one of that team's). */
export function parseGroupForm(form: FormData, teams: readonly { id: number; clinicians: readonly number[] }[]): FieldParsed<{ name: string; teamId: number; clinicianId: number }> {
	const unknown = only(form, ['name', 'team', 'clinician']);
	if (unknown !== null) return unknown;
	const name = text(form, 'name', m.grp_name(), NAME_MAX, true);
	if (!name.ok) return { ...name, field: 'name' };
	const team = pick(
		form,
		'team',
		m.grp_team(),
		teams.map((t) => t.id)
	);
	if (!team.ok) return team;
	const clinician = pick(form, 'clinician', m.bk_clinician(), teams.find((t) => t.id === team.value)!.clinicians);
	if (!clinician.ok) return { ...clinician, message: m.bk_clinician_outside() };
	return { ok: true, value: { name: name.value, teamId: team.value, clinicianId: clinician.value } };
}

/** Joining: which open episode of the team, from which date. */
export function parseJoinForm(form: FormData, episodeIds: readonly number[]): FieldParsed<{ episodeId: number; fromDate: string }> {
	const unknown = only(form, ['episode', 'from']);
	if (unknown !== null) return unknown;
	const episode = pick(form, 'episode', m.grp_member(), episodeIds);
	if (!episode.ok) return episode;
	const from = date(form, 'from', m.grp_from());
	if (!from.ok) return from;
	return { ok: true, value: { episodeId: episode.value, fromDate: from.value } };
}

/** Leaving: which membership, from which date. */
export function parseLeaveForm(form: FormData, memberIds: readonly number[]): FieldParsed<{ memberId: number; untilDate: string }> {
	const unknown = only(form, ['member', 'until']);
	if (unknown !== null) return unknown;
	const member = pick(form, 'member', m.grp_member(), memberIds);
	if (!member.ok) return member;
	const until = date(form, 'until', m.grp_until());
	if (!until.ok) return until;
	return { ok: true, value: { memberId: member.value, untilDate: until.value } };
}
