import { describe, expect, it } from 'vitest';
import { DEFAULT_CLINIC_NETWORKS, inNetworks, parseAddress, parseNetwork, type Network } from './networks';

const nets = (...texts: string[]): Network[] => texts.map((t) => parseNetwork(t)!);

describe('parseNetwork', () => {
	it.each([
		// 10.20.0.0 = 10·2^24 + 20·2^16 = 167772160 + 1310720
		['10.20.0.0/16', 4, 167772160n + 1310720n, 16],
		['192.168.1.7', 4, (192n << 24n) + (168n << 16n) + (1n << 8n) + 7n, 32],
		['0.0.0.0/0', 4, 0n, 0],
		['::1/128', 6, 1n, 128],
		['fd00::/8', 6, 0xfdn << 120n, 8],
		['2001:db8::/32', 6, 0x20010db8n << 96n, 32]
	])('%s', (text, family, base, prefix) => {
		expect(parseNetwork(text)).toEqual({ family, base, prefix, text });
	});

	it.each(['', '10.0.0.0/33', '10.0.0.1/8', '256.0.0.0/8', '10.0.0/8', '10.0.0.0/', '10.0.0.0/8/8', '::1/129', '1:2:3:4:5:6:7:8:9', '1::2::3', 'clinic', '010.0.0.0/8', 'fd00::/-1'])(
		'refuses %j',
		(text) => {
			expect(parseNetwork(text)).toBeNull();
		}
	);
});

describe('parseAddress', () => {
	it('reads an IPv4-mapped IPv6 address as IPv4', () => {
		expect(parseAddress('::ffff:10.1.2.3')).toEqual(parseAddress('10.1.2.3'));
		expect(parseAddress('::ffff:a01:203')).toEqual({ family: 4, value: (10n << 24n) + (1n << 16n) + (2n << 8n) + 3n });
	});
	it('drops brackets and a zone', () => {
		expect(parseAddress('[fe80::1%eth0]')).toEqual({ family: 6, value: (0xfe80n << 112n) + 1n });
	});
	it('refuses what is not an address', () => {
		expect(parseAddress('localhost')).toBeNull();
	});
});

describe('inNetworks', () => {
	const clinic = nets('10.20.0.0/16', '2001:db8:5::/48');
	it.each([
		['10.20.0.1', true],
		['10.20.255.255', true],
		['10.21.0.0', false],
		['::ffff:10.20.9.9', true],
		['2001:db8:5:ffff::1', true],
		['2001:db8:6::1', false],
		['127.0.0.1', false],
		['nonsense', false],
		[null, false]
	])('%s → %s', (address, inside) => {
		expect(inNetworks(address, clinic)).toBe(inside);
	});

	it('the default is loopback only, IPv4 and IPv6', () => {
		const loopback = nets(...DEFAULT_CLINIC_NETWORKS);
		expect(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'].map((a) => inNetworks(a, loopback))).toEqual([true, true, true, true]);
		expect(['10.0.0.1', '::2', '192.168.0.1'].map((a) => inNetworks(a, loopback))).toEqual([false, false, false]);
	});
});
