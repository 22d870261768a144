import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

const ORIGIN = 'https://stemme.example';

describe('safeNext', () => {
	it.each([
		// A TAB after the first slash: the browser drops it and reads //evil.example (another host).
		{ name: 'TAB after the slash (percent-decoded by searchParams)', next: '/\t/evil.example' },
		{ name: 'CR', next: '/patients\r\nlocation: https://evil.example' },
		{ name: 'LF', next: '/\n/evil.example' },
		{ name: 'NUL', next: '/patients\u0000' },
		{ name: 'DEL', next: '/patients\u007f' },
		{ name: 'ideographic full stop U+3002', next: '//evil\u3002example' },
		{ name: 'a non-Latin letter', next: '/pasient/\u0416' },
		{ name: 'a space', next: '/ /evil.example' }
	])('refuses $name (the route answers 400)', ({ next }) => {
		expect(safeNext(next, ORIGIN)).toEqual({ ok: false });
	});

	it.each([
		{ next: '//evil.example' },
		{ next: '/\\evil.example' },
		{ next: '/\\/evil.example' },
		{ next: 'https://evil.example/patients' },
		{ next: 'evil.example' },
		{ next: 'javascript:alert(1)' },
		{ next: '/%2F/evil.example/..' }
	])('sends $next to the default, never off-site', ({ next }) => {
		const target = safeNext(next, ORIGIN);
		expect(target.ok).toBe(true);
		if (target.ok) expect(new URL(target.path, ORIGIN).origin).toBe(ORIGIN);
	});

	it.each([
		{ next: '/patients/3?x=1', path: '/patients/3?x=1' },
		{ next: '/patients/../admin/audit', path: '/admin/audit' },
		{ next: '/appointments/7#tablet', path: '/appointments/7#tablet' },
		{ next: null, path: '/today' },
		{ next: '', path: '/today' },
		{ next: '//evil.example', path: '/today' }
	])('keeps a same-site path: $next → $path', ({ next, path }) => {
		expect(safeNext(next, ORIGIN)).toEqual({ ok: true, path });
	});

	it('uses the fallback it is given', () => {
		expect(safeNext('https://evil.example', ORIGIN, '/')).toEqual({ ok: true, path: '/' });
	});
});
