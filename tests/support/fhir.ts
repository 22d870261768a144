import { expect } from 'vitest';
import type { Client } from './http';

/**
 * An API client made the way an administrator makes one, on /admin/api-clients: the key is read
 * from the page that shows it once. Returns the token and the client's id (from the list).
 */
export async function makeApiClient(admin: Client, name: string, teamIds: readonly number[], expires = nextYear()): Promise<{ token: string }> {
	const made = await admin.post('/admin/api-clients?/create', { form: { name, expires, ...Object.fromEntries(teamIds.map((id) => [`team-${id}`, 'on'])) } });
	expect(made.status).toBe(200);
	const token = /id="new-token"[^>]*value="([^"]+)"/.exec(made.body)?.[1] ?? /value="(stm_[^"]+)"/.exec(made.body)?.[1];
	expect(token).toMatch(/^stm_[a-z2-7]+$/);
	return { token: token! };
}

function nextYear(): string {
	return new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A GET or POST on /fhir with a bearer token (none: no Authorization header). */
export async function fhirRequest(
	base: string,
	token: string | null,
	method: string,
	path: string,
	body?: string,
	contentType = 'application/fhir+json'
): Promise<{ status: number; type: string; json: { resourceType?: string; issue?: { code: string; expression?: string[] }[] } }> {
	const headers: Record<string, string> = { accept: 'application/fhir+json' };
	if (token !== null) headers.authorization = `Bearer ${token}`;
	if (body !== undefined) headers['content-type'] = contentType;
	const res = await fetch(new URL(path, base), { method, headers, body, redirect: 'manual' });
	const text = await res.text();
	return { status: res.status, type: res.headers.get('content-type') ?? '', json: text === '' ? {} : JSON.parse(text) };
}
