import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { apiClients, auditEvents } from '../db/schema';
import { apiClientFromToken, createApiClient, listApiClients, revokeApiClient } from './api-clients';
import { parseApiClientForm } from './api-client-form';

const NOW = new Date('2026-12-03T12:00:00Z');
const LATER = new Date('2027-06-01T00:00:00Z');

describe('API clients', () => {
	it('shows the token once, keeps only its hash, and reads it back as the client with its teams', () => {
		const c = smallClinic();
		const made = createApiClient(c.db, c.users.admin, { name: 'DIPS', teamIds: [c.teamA], expiresAt: LATER }, '10.0.0.1', NOW);
		if (!made.ok) throw new Error(made.reason);
		const row = c.db.select().from(apiClients).where(eq(apiClients.id, made.client.id)).get()!;
		expect(row.tokenHash).not.toContain(made.token);
		expect(JSON.stringify(row)).not.toContain(made.token.slice(4));
		expect(apiClientFromToken(c.db, made.token, NOW)).toEqual({ id: made.client.id, name: 'DIPS', organisationId: c.users.admin.organisationId, teamIds: [c.teamA] });
		expect(listApiClients(c.db, c.users.admin.organisationId).map((r) => r.teams)).toEqual([['A']]);
		expect(
			c.db
				.select()
				.from(auditEvents)
				.all()
				.map((e) => e.action)
		).toEqual(['api_client_created']);
	});

	it('answers nobody for an unknown, expired or revoked token', () => {
		const c = smallClinic();
		const made = createApiClient(c.db, c.users.admin, { name: 'DIPS', teamIds: [c.teamA, c.teamB], expiresAt: LATER }, null, NOW);
		if (!made.ok) throw new Error(made.reason);
		expect(apiClientFromToken(c.db, made.token + 'x', NOW)).toBeNull();
		expect(apiClientFromToken(c.db, made.token, LATER)).toBeNull();
		expect(revokeApiClient(c.db, c.users.admin, made.client.id, null, NOW)).toBe(true);
		expect(apiClientFromToken(c.db, made.token, NOW)).toBeNull();
		// Revoking twice changes nothing more.
		expect(revokeApiClient(c.db, c.users.admin, made.client.id, null, NOW)).toBe(false);
	});

	it('refuses a team of another organisation or none at all', () => {
		const c = smallClinic();
		expect(createApiClient(c.db, c.users.admin, { name: 'X', teamIds: [9999], expiresAt: LATER }, null, NOW)).toEqual({ ok: false, reason: 'unknown_team' });
	});

	it('parses the form, naming the field at fault', () => {
		const form = (entries: Record<string, string>): FormData => {
			const f = new FormData();
			for (const [k, v] of Object.entries(entries)) f.set(k, v);
			return f;
		};
		expect(parseApiClientForm(form({ name: 'DIPS', expires: '2027-01-01', 'team-1': 'on' }), [1, 2], NOW)).toEqual({
			ok: true,
			value: { name: 'DIPS', expiresAt: new Date('2027-01-01T00:00:00Z'), teamIds: [1] }
		});
		expect(parseApiClientForm(form({ name: 'DIPS', expires: '2026-12-01', 'team-1': 'on' }), [1], NOW)).toMatchObject({ ok: false, field: 'expires' });
		expect(parseApiClientForm(form({ name: 'DIPS', expires: '2026-02-30', 'team-1': 'on' }), [1], NOW)).toMatchObject({ ok: false, field: 'expires' });
		// Three years and more ahead is past the longest lifetime.
		expect(parseApiClientForm(form({ name: 'DIPS', expires: '2030-01-01', 'team-1': 'on' }), [1], NOW)).toMatchObject({ ok: false, field: 'expires' });
		expect(parseApiClientForm(form({ name: 'DIPS', expires: '2027-01-01' }), [1], NOW)).toMatchObject({ ok: false, field: 'teams' });
		expect(parseApiClientForm(form({ name: 'DIPS', expires: '2027-01-01', 'team-3': 'on' }), [1], NOW)).toMatchObject({ ok: false, field: 'team-3' });
	});
});
