/**
 * The caseload's address with its filters, carried to a patient page and back ("back to the
 * list" keeps the filter). Only the caseload's own parameters pass, so the link can only ever lead
 * to the caseload.
 */
const LIST_PARAMS = ['scope', 'kind', 'setting', 'page'] as const;

/**
 * The caseload address for a `from` value (the caseload's query string).
 * @example listAddress('?scope=mine&kind=alliance') // '/patients?scope=mine&kind=alliance'
 */
export function listAddress(from: string | null): string {
	if (from === null) return '/patients';
	const given = new URLSearchParams(from);
	const kept = new URLSearchParams();
	for (const key of LIST_PARAMS) {
		const value = given.get(key);
		if (value !== null && /^[\w-]{1,40}$/.test(value)) kept.set(key, value);
	}
	const query = kept.toString();
	return query === '' ? '/patients' : `/patients?${query}`;
}

/** A patient's page, remembering the caseload view it was opened from. */
export function patientFromList(patientId: string | number, search: string): string {
	const kept = listAddress(search).slice('/patients'.length);
	return kept === '' ? `/patients/${patientId}` : `/patients/${patientId}?${new URLSearchParams({ from: kept })}`;
}
