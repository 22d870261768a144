/**
 * The clinic's networks: CIDR ranges (IPv4 and IPv6) that an installation lists as inside. A
 * sign-in from outside them needs a second factor (docs/clinical/sign-in-and-logs.md: the data
 * protection authority expects two factors when sensitive data is reached over an outside
 * network). Pure: addresses are parsed to big integers and compared under the prefix mask.
 */

export interface Network {
	family: 4 | 6;
	/** The range's first address, as a number of 32 or 128 bits. */
	base: bigint;
	prefix: number;
	/** As written in the configuration, for messages. */
	text: string;
}

/** Loopback only: a server on one machine (the demo, the tests) counts its own address as the clinic. */
export const DEFAULT_CLINIC_NETWORKS = ['127.0.0.0/8', '::1/128'] as const;

function parseIPv4(text: string): bigint | null {
	const parts = text.split('.');
	if (parts.length !== 4) return null;
	let n = 0n;
	for (const p of parts) {
		if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
		n = (n << 8n) | BigInt(Number(p));
	}
	return n;
}

function parseIPv6(text: string): bigint | null {
	let s = text.toLowerCase();
	// An embedded IPv4 tail (::ffff:10.0.0.1) becomes two groups.
	const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
	if (v4 !== null) {
		const tail = parseIPv4(v4[2]!);
		if (tail === null) return null;
		s = `${v4[1]}${((tail >> 16n) & 0xffffn).toString(16)}:${(tail & 0xffffn).toString(16)}`;
	}
	const halves = s.split('::');
	if (halves.length > 2) return null;
	const groups = (h: string): string[] | null => (h === '' ? [] : h.split(':'));
	const head = groups(halves[0]!);
	const tail = halves.length === 2 ? groups(halves[1]!) : [];
	if (head === null || tail === null) return null;
	const missing = 8 - head.length - tail.length;
	if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
	const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	let n = 0n;
	for (const g of all) {
		if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
		n = (n << 16n) | BigInt(parseInt(g, 16));
	}
	return n;
}

/** An address as family and number; null when it is neither IPv4 nor IPv6. An IPv4-mapped IPv6 address counts as its IPv4 address. */
export function parseAddress(text: string): { family: 4 | 6; value: bigint } | null {
	const plain = text
		.trim()
		.replace(/^\[|\]$/g, '')
		.replace(/%.*$/, '');
	const v4 = parseIPv4(plain);
	if (v4 !== null) return { family: 4, value: v4 };
	const v6 = parseIPv6(plain);
	if (v6 === null) return null;
	if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
	return { family: 6, value: v6 };
}

/**
 * A CIDR range, or null when it is not one. A bare address is a range of one; host bits past the
 * prefix must be zero (`10.0.0.1/8` is refused as a likely typo).
 * @example parseNetwork('10.20.0.0/16') // { family: 4, base: 169082880n, prefix: 16, text: '10.20.0.0/16' }
 */
export function parseNetwork(text: string): Network | null {
	const [addressText, prefixText, extra] = text.trim().split('/');
	if (extra !== undefined || addressText === undefined) return null;
	const plain = addressText.trim();
	const v4 = parseIPv4(plain);
	const family: 4 | 6 | null = v4 !== null ? 4 : parseIPv6(plain) !== null ? 6 : null;
	if (family === null) return null;
	const base = family === 4 ? v4! : parseIPv6(plain)!;
	const bits = family === 4 ? 32 : 128;
	if (prefixText !== undefined && !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null;
	const prefix = prefixText === undefined ? bits : Number(prefixText);
	if (prefix > bits) return null;
	if ((base & hostMask(bits, prefix)) !== 0n) return null;
	return { family, base, prefix, text: text.trim() };
}

function hostMask(bits: number, prefix: number): bigint {
	return (1n << BigInt(bits - prefix)) - 1n;
}

/**
 * Whether an address lies in one of the networks. An unknown or unparsable address is outside.
 * @example inNetworks('10.20.3.4', [parseNetwork('10.20.0.0/16')!]) // true
 */
export function inNetworks(address: string | null, networks: readonly Network[]): boolean {
	if (address === null) return false;
	const parsed = parseAddress(address);
	if (parsed === null) return false;
	return networks.some((n) => {
		if (n.family !== parsed.family) return false;
		const mask = hostMask(n.family === 4 ? 32 : 128, n.prefix);
		return (parsed.value & ~mask) === n.base;
	});
}
