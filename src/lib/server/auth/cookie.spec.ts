import { describe, expect, it } from 'vitest';
import { sessionCookieOptions } from './cookie';

describe('sessionCookieOptions', () => {
	const expires = new Date('2026-12-31T00:00:00Z');
	it.each([
		['http://localhost:3000/login', false],
		['http://127.0.0.1:3000/login', false],
		['https://stemme.example.org/login', true]
	])('on %s: httpOnly, SameSite=Lax, Secure %s', (address, secure) => {
		expect(sessionCookieOptions(new URL(address), expires)).toEqual({ path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
	});

	it('leaves the expiry out when none is given (the cookie being cleared)', () => {
		expect(sessionCookieOptions(new URL('https://stemme.example.org/'), null)).not.toHaveProperty('expires');
	});
});
