import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { handleSecurityHeaders } from './security-headers';

async function headersFor(address: string): Promise<Headers> {
	const event = { url: new URL(address) } as RequestEvent;
	const response = await handleSecurityHeaders({ event, resolve: async () => new Response('<p>hei</p>', { headers: { 'content-type': 'text/html; charset=utf-8' } }) });
	return response.headers;
}

describe('security headers', () => {
	it('ask the browser to keep to HTTPS for a year when served over HTTPS', async () => {
		expect((await headersFor('https://stemme.example.no/patients')).get('strict-transport-security')).toBe('max-age=31536000');
	});

	it('send no HSTS over plain HTTP (loopback), and nosniff, no framing and a same-origin referrer either way', async () => {
		const h = await headersFor('http://127.0.0.1:3000/patients');
		expect(h.get('strict-transport-security')).toBeNull();
		expect([h.get('x-content-type-options'), h.get('x-frame-options'), h.get('referrer-policy')]).toEqual(['nosniff', 'DENY', 'same-origin']);
	});
});
