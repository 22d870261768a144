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
