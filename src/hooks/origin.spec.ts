import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { handleOrigin } from './origin';

const SITE = 'http://127.0.0.1:3000';

/** Runs the handle for one request; `reached` says whether the route would have run. */
async function send(method: string, path: string, headers: Record<string, string | undefined>): Promise<{ status: number; reached: boolean; body: string }> {
	const request = new Request(SITE + path, {
		method,
		headers: Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined)),
		body: method === 'GET' || method === 'HEAD' ? undefined : ''
	});
	let reached = false;
	const event = { request, url: new URL(request.url) } as RequestEvent;
	const response = await handleOrigin({
		event,
		resolve: () => {
			reached = true;
			return new Response('ok');
		}
	});
	return { status: response.status, reached, body: await response.text() };
}

describe('handleOrigin: every request that may change something comes from this site', () => {
	it.each([
		// The finding: no Content-Type, so SvelteKit's form check never looked at the origin.
		{ name: 'POST /printed without Content-Type or Origin', method: 'POST', path: '/patients/1/printed', headers: {} },
		{ name: 'POST /printed from another site, no Content-Type', method: 'POST', path: '/patients/1/printed', headers: { origin: 'https://evil.example' } },
		{ name: 'JSON to /rate/submit from another site', method: 'POST', path: '/rate/submit', headers: { origin: 'https://evil.example', 'content-type': 'application/json' } },
		{ name: 'a same-site but other-port page', method: 'POST', path: '/rate/submit', headers: { origin: 'http://127.0.0.1:3001', 'content-type': 'application/json' } },
		{ name: 'Origin: null (a sandboxed frame, a file:// page)', method: 'POST', path: '/locale', headers: { origin: 'null' } },
		{ name: 'PUT', method: 'PUT', path: '/patients/1', headers: {} },
		{ name: 'DELETE', method: 'DELETE', path: '/patients/1', headers: { origin: 'https://evil.example' } }
	])('refuses $name with 403 before the route runs', async ({ method, path, headers }) => {
		const answer = await send(method, path, headers);
		expect(answer).toMatchObject({ status: 403, reached: false });
	});

	it('answers a JSON caller in JSON', async () => {
		const answer = await send('POST', '/rate/submit', { 'content-type': 'application/json', accept: 'application/json' });
		expect(JSON.parse(answer.body)).toEqual({ ok: false, reason: 'cross_site' });
	});

	it.each([
		{ name: 'a POST from this site', method: 'POST', headers: { origin: SITE } },
		{ name: 'a GET without Origin', method: 'GET', headers: {} },
		{ name: 'a HEAD from anywhere', method: 'HEAD', headers: { origin: 'https://evil.example' } }
	])('lets $name through', async ({ method, headers }) => {
		expect(await send(method, '/patients/1/printed', headers)).toMatchObject({ reached: true, status: 200 });
	});
});
