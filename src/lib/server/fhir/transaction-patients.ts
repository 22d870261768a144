import { and, eq } from 'drizzle-orm';
import { locales, patients, type Locale, type Patient } from '../db/schema';
import { patientChanges } from '../registration';
import { D_NUMMER_SYSTEM, FODSELSNUMMER_SYSTEM } from './identifiers';
import { conditionOf, conditionPath, identifiersOf, isClientPatient, isObject, str, type Entry, type PatientEntry, type Transaction } from './transaction-entries';
import { checkNationalId } from '$lib/domain/national-id';
import { isCalendarDate } from '$lib/domain/booking';

/** The name a Patient gives: its text, or its given names and family name. */
function nameOf(resource: Record<string, unknown>): string | null {
	const first = (Array.isArray(resource.name) ? resource.name.filter(isObject) : [])[0];
	return str(first?.text) ?? str([...(Array.isArray(first?.given) ? first.given : []), first?.family].filter((x) => typeof x === 'string').join(' '));
}

/** The language of the Patient's first communication with a coding, or null. */
function languageOf(resource: Record<string, unknown>): string | null {
	const comms = Array.isArray(resource.communication) ? resource.communication.filter(isObject) : [];
	const language = comms.map((c) => (isObject(c.language) && Array.isArray(c.language.coding) ? c.language.coding[0] : undefined)).find(isObject);
	return str(language?.code);
}

/**
 * The Patient entries checked, each matched on the identifier its condition names (the patient
 * code or the national identity number). A registered patient's changeable fields — name, birth
 * date, language, a national identity number where none was registered — become its changes;
 * a field the Patient leaves out is kept. The code and a registered identity number are not
 * changed here (the patient page does that).
 */
export function checkPatients(t: Transaction, entries: Entry[]): PatientEntry[] {
	const { urls, refusals } = t;
	const seen = new Map<string, number>();
	const out: PatientEntry[] = [];
	for (const k of entries) {
		const r = k.resource;
		const ids = identifiersOf(r);
		const codeValue = str(ids.find((x) => x.system === urls.patientCode)?.value);
		const national = ids.find((x) => x.system === FODSELSNUMMER_SYSTEM || x.system === D_NUMMER_SYSTEM);
		if (codeValue === null || codeValue.length > 40) {
			refusals.refuse(k, 'resource.identifier', 'required', `A Patient needs its patient code (system ${urls.patientCode}, at most 40 characters)`);
			continue;
		}
		let nationalId: string | null = null;
		let nationalBirthDate: string | null = null;
		if (national !== undefined) {
			const checked = checkNationalId(String(national.value ?? ''));
			if (!checked.ok) {
				refusals.refuse(k, 'resource.identifier', 'value', `The national identity number is not valid (${checked.reason})`);
				continue;
			}
			nationalId = checked.value;
			nationalBirthDate = checked.birthDate;
			if (str(r.birthDate) !== null && /^\d{4}-/.test(String(r.birthDate)) && r.birthDate !== checked.birthDate) {
				refusals.refuse(k, 'resource.birthDate', 'value', 'The birth date differs from the national identity number’s');
				continue;
			}
		}
		const condition = conditionOf(k);
		if (condition === null) {
			refusals.refuse(k, conditionPath(k), 'required', 'The entry must be conditional on one of the Patient’s identifiers (identifier=system|value)');
			continue;
		}
		const displayName = nameOf(r);
		if (displayName === null || displayName.length > 100) {
			refusals.refuse(k, 'resource.name', 'required', 'A Patient needs a name (at most 100 characters)');
			continue;
		}
		const birth = str(r.birthDate);
		const birthYear = birth !== null && /^\d{4}$/.test(birth) ? Number(birth) : null;
		const birthDate = birth !== null && birthYear === null ? birth : null;
		if ((birthDate !== null && !isCalendarDate(birthDate)) || (birth === null && nationalId === null)) {
			refusals.refuse(k, 'resource.birthDate', birth === null ? 'required' : 'value', 'A Patient needs a birth date (YYYY or YYYY-MM-DD) or a national identity number');
			continue;
		}
		const locale = languageOf(r);
		if (locale !== null && !(locales as readonly string[]).includes(locale)) {
			refusals.refuse(k, 'resource.communication', 'value', `The language must be one of ${locales.join(', ')}`);
			continue;
		}
		const twice = seen.get(codeValue) ?? (nationalId === null ? undefined : seen.get(nationalId));
		if (twice !== undefined) {
			refusals.refuse(k, 'resource.identifier', 'duplicate', `The same patient as Bundle.entry[${twice}]`);
			continue;
		}
		seen.set(codeValue, k.index);
		if (nationalId !== null) seen.set(nationalId, k.index);
		const existing =
			t.ctx.db
				.select()
				.from(patients)
				.where(and(eq(patients.organisationId, t.client.organisationId), condition.system === urls.patientCode ? eq(patients.code, condition.value) : eq(patients.nationalId, nationalId ?? '')))
				.get() ?? null;
		const entry: PatientEntry = {
			index: k.index,
			fullUrl: k.fullUrl,
			code: codeValue,
			nationalId,
			displayName,
			birthDate,
			birthYear,
			locale: locale as Locale | null,
			existing,
			changes: {},
			changeDetail: ''
		};
		if (existing !== null) {
			if (!isClientPatient(t, existing.id)) {
				refusals.refuse(k, 'resource.identifier', 'forbidden', 'This patient is registered in a team this client may not write');
				continue;
			}
			const refusal = changesOf(entry, existing, nationalBirthDate);
			if (refusal !== null) {
				refusals.refuse(k, refusal.path, 'value', refusal.diagnostics);
				continue;
			}
		}
		out.push(entry);
		if (k.fullUrl !== null) t.byFullUrl.set(k.fullUrl, entry);
	}
	return out;
}

/** Fills in a registered patient's changes, or says why the Patient cannot be this patient's. */
function changesOf(entry: PatientEntry, existing: Patient, nationalBirthDate: string | null): { path: string; diagnostics: string } | null {
	if (entry.code !== existing.code) return { path: 'resource.identifier', diagnostics: `The registered patient with this national identity number has the patient code ${existing.code}` };
	if (existing.nationalId !== null && entry.nationalId !== null && entry.nationalId !== existing.nationalId)
		return { path: 'resource.identifier', diagnostics: 'The national identity number differs from the registered one (it is corrected on the patient page)' };
	const nationalId = existing.nationalId ?? entry.nationalId;
	const registeredBirth = existing.nationalId === null ? null : nationalIdBirthDate(existing.nationalId);
	const birthDate = entry.birthDate ?? nationalBirthDate ?? registeredBirth ?? (entry.birthYear === null ? existing.birthDate : null);
	const birthYear = birthDate !== null ? Number(birthDate.slice(0, 4)) : (entry.birthYear ?? existing.birthYear);
	if ((registeredBirth !== null && birthDate !== registeredBirth) || (entry.birthYear !== null && entry.birthYear !== birthYear))
		return { path: 'resource.birthDate', diagnostics: 'The birth date differs from the registered national identity number’s' };
	const next = { displayName: entry.displayName, birthDate, birthYear, nationalId, preferredLocale: entry.locale ?? existing.preferredLocale };
	const { changed, detail } = patientChanges(existing, next);
	entry.changes = Object.fromEntries(changed.map((key) => [key, next[key]]));
	entry.changeDetail = detail;
	return null;
}

function nationalIdBirthDate(nationalId: string): string | null {
	const checked = checkNationalId(nationalId);
	return checked.ok ? checked.birthDate : null;
}
