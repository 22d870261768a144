import { describe, expect, it } from 'vitest';
import { sessionCookieName, sessionCookieOptions } from './cookie';

describe('the session cookie', () => {
	it('carries the __Host- prefix over HTTPS, with what the prefix demands: Secure, path /, no Domain', () => {
		const url = new URL('https://stemme.example.no/login');
		expect(sessionCookieName(url)).toBe('__Host-stemme_session');
		const options = sessionCookieOptions(url, null);
		expect(options).toMatchObject({ path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
		expect(options).not.toHaveProperty('domain');
	});

	it('keeps the plain name over HTTP on loopback, where a browser would refuse the prefix', () => {
		const url = new URL('http://127.0.0.1:3000/login');
		expect(sessionCookieName(url)).toBe('stemme_session');
		expect(sessionCookieOptions(url, null)).toMatchObject({ secure: false });
	});
});
