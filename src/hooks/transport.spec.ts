import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { handleTransport } from './transport';

async function answer(url: string, type: string | null): Promise<Headers> {
	const event = { url: new URL(url), request: new Request(url) } as RequestEvent;
	const response = await handleTransport({ event, resolve: () => new Response('<p>hei</p>', { headers: type === null ? {} : { 'content-type': type } }) });
	return response.headers;
}

describe('handleTransport', () => {
	it('sends HSTS over HTTPS only', async () => {
		expect((await answer('https://stemme.example/patients', 'text/html')).get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
		expect((await answer('http://127.0.0.1:3000/patients', 'text/html')).get('strict-transport-security')).toBeNull();
	});

	it.each([
		{ type: 'text/html', sent: 'text/html; charset=utf-8' },
		{ type: 'text/plain', sent: 'text/plain; charset=utf-8' },
		{ type: 'text/html; charset=utf-8', sent: 'text/html; charset=utf-8' },
		{ type: 'application/json', sent: 'application/json' }
	])('$type is sent as $sent', async ({ type, sent }) => {
		expect((await answer('http://127.0.0.1:3000/', type)).get('content-type')).toBe(sent);
	});
});
