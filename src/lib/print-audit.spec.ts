import { afterEach, describe, expect, it, vi } from 'vitest';
import { printAudit } from './print-audit';

describe('printAudit', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('posts once per print, to the address as it is when the print starts', () => {
		const fetch = vi.fn(() => Promise.resolve(new Response('{}')));
		vi.stubGlobal('fetch', fetch);
		let id = 3;
		const audit = printAudit(() => `/patients/${id}/printed`);
		audit.started();
		audit.started(); // the same print (no afterprint between)
		expect(fetch).toHaveBeenCalledTimes(1);
		audit.ended();
		id = 4;
		audit.started();
		expect(fetch.mock.calls.map((call) => (call as unknown as [string])[0])).toEqual(['/patients/3/printed', '/patients/4/printed']);
	});

	it('lets the print go on when the note cannot be sent', async () => {
		vi.stubGlobal(
			'fetch',
			vi.fn(() => Promise.reject(new Error('offline')))
		);
		const audit = printAudit(() => '/patients/3/printed');
		expect(() => audit.started()).not.toThrow();
		await new Promise((r) => setTimeout(r, 0)); // the rejection is caught, not unhandled
	});
});
