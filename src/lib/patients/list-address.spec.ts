import { describe, expect, it } from 'vitest';
import { listAddress, patientFromList } from './list-address';

describe('the caseload address carried to a patient page and back', () => {
	it('keeps the caseload filters and nothing else', () => {
		expect(listAddress('?scope=mine&kind=alliance&setting=group&page=2&evil=1')).toBe('/patients?scope=mine&kind=alliance&setting=group&page=2');
		expect(listAddress(null)).toBe('/patients');
		expect(listAddress('')).toBe('/patients');
	});

	it('never leads anywhere but the caseload', () => {
		expect(listAddress('//evil.example/x')).toBe('/patients');
		expect(listAddress('?scope=https://evil.example')).toBe('/patients');
	});

	it('opens a patient at the top of the page (the chart), with the view to go back to', () => {
		expect(patientFromList(7, '?scope=mine&kind=all')).toBe('/patients/7?from=%3Fscope%3Dmine%26kind%3Dall');
		expect(patientFromList(7, '')).toBe('/patients/7');
		// Round trip: the patient page's back link is the view it came from.
		const from = new URL(patientFromList(7, '?scope=mine&kind=all'), 'http://x').searchParams.get('from');
		expect(listAddress(from)).toBe('/patients?scope=mine&kind=all');
	});
});
