import { describe, expect, it } from 'vitest';
import { ConfigError, configFrom } from './config';
import { inNetworks } from '$lib/domain/networks';

describe('STEMME_CLINIC_NETWORKS', () => {
	it('is loopback when not set', () => {
		const { clinicNetworks } = configFrom({});
		expect(clinicNetworks.map((n) => n.text)).toEqual(['127.0.0.0/8', '::1/128']);
	});

	it('reads comma-separated ranges of both families', () => {
		const { clinicNetworks } = configFrom({ STEMME_CLINIC_NETWORKS: ' 10.20.0.0/16, fd00:5::/32 ' });
		expect(clinicNetworks.map((n) => n.text)).toEqual(['10.20.0.0/16', 'fd00:5::/32']);
		expect(inNetworks('10.20.1.1', clinicNetworks)).toBe(true);
		// Given a list, loopback is no longer inside unless listed.
		expect(inNetworks('127.0.0.1', clinicNetworks)).toBe(false);
	});

	it.each(['10.20.0.0/33', 'clinic', '10.20.0.0/16,10.0.0.1/8'])('refuses %j naming the variable', (value) => {
		expect(() => configFrom({ STEMME_CLINIC_NETWORKS: value })).toThrow(ConfigError);
		expect(() => configFrom({ STEMME_CLINIC_NETWORKS: value })).toThrow(/STEMME_CLINIC_NETWORKS/);
	});
});

describe('STEMME_FOLLOW_UP_MONTHS and the birth-date gate', () => {
	it('sends follow-ups 1, 3 and 6 months after the end, and asks no birth date, unless told', () => {
		const { messaging } = configFrom({});
		expect(messaging.followUpMonths).toEqual({ outpatient: [1, 3, 6], inpatient: [1, 3, 6], group: [1, 3, 6] });
		expect(messaging.askBirthDate).toBe(false);
	});

	it('takes months for every service and per service, or none', () => {
		const { messaging } = configFrom({ STEMME_FOLLOW_UP_MONTHS: '12, 2', STEMME_FOLLOW_UP_MONTHS_GROUP: 'none', STEMME_LINK_BIRTH_DATE: 'on' });
		expect(messaging.followUpMonths).toEqual({ outpatient: [2, 12], inpatient: [2, 12], group: [] });
		expect(messaging.askBirthDate).toBe(true);
	});

	it.each(['0', '1,1', '25', 'monthly'])('refuses %j naming the variable', (value) => {
		expect(() => configFrom({ STEMME_FOLLOW_UP_MONTHS_INPATIENT: value })).toThrow(/STEMME_FOLLOW_UP_MONTHS_INPATIENT/);
	});
});
