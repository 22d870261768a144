import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import { apiClients, apiClientTeams, teams, type ApiClient } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { recordAudit } from '../audit';

/** An API client as a request carries it: the row and the teams whose patients it may read. */
export interface ApiClientActor {
	id: number;
	name: string;
	organisationId: number;
	teamIds: number[];
}

/** The secret's prefix, so that a leaked token is recognisable for what it is. */
const TOKEN_PREFIX = 'stm_';

function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

function newToken(): string {
	const bytes = new Uint8Array(32); // 256 random bits: a bearer token no one can guess
	crypto.getRandomValues(bytes);
	return TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
}

/**
 * The client a bearer token stands for, or null: unknown, revoked and expired tokens alike (the
 * hook answers all three 401). Only the token's hash is looked up.
 */
export function apiClientFromToken(db: Db, token: string, now: Date): ApiClientActor | null {
	if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
	const row = db
		.select()
		.from(apiClients)
		.where(and(eq(apiClients.tokenHash, hashToken(token)), isNull(apiClients.revokedAt)))
		.get();
	if (row === undefined || row.expiresAt.getTime() <= now.getTime()) return null;
	const teamIds = db
		.select({ id: apiClientTeams.teamId })
		.from(apiClientTeams)
		.where(eq(apiClientTeams.clientId, row.id))
		.all()
		.map((t) => t.id);
	return { id: row.id, name: row.name, organisationId: row.organisationId, teamIds };
}

export interface ApiClientInput {
	name: string;
	teamIds: number[];
	expiresAt: Date;
}

export type CreateApiClientResult = { ok: true; client: ApiClient; token: string } | { ok: false; reason: 'unknown_team' };

/** Makes a client for a system; the token is returned this once and stored only as its hash. */
export function createApiClient(db: Db, admin: SessionUser, input: ApiClientInput, address: string | null, now: Date): CreateApiClientResult {
	const known = db
		.select({ id: teams.id })
		.from(teams)
		.where(and(eq(teams.organisationId, admin.organisationId), inArray(teams.id, input.teamIds)))
		.all();
	if (known.length !== new Set(input.teamIds).size) return { ok: false, reason: 'unknown_team' };
	const token = newToken();
	const client = db.transaction((tx) => {
		const row = tx
			.insert(apiClients)
			.values({ organisationId: admin.organisationId, name: input.name, tokenHash: hashToken(token), expiresAt: input.expiresAt, createdById: admin.id, createdAt: now })
			.returning()
			.get();
		tx.insert(apiClientTeams)
			.values(known.map((t) => ({ clientId: row.id, teamId: t.id })))
			.run();
		recordAudit(tx, { userId: admin.id, action: 'api_client_created', detail: `api client ${row.id} "${input.name}" teams ${known.map((t) => t.id).join(',')}`, address }, now);
		return row;
	});
	return { ok: true, client, token };
}

/** Revokes a client: its token answers 401 from now on. An unknown or already revoked client: false. */
export function revokeApiClient(db: Db, admin: SessionUser, clientId: number, address: string | null, now: Date): boolean {
	return db.transaction((tx) => {
		const done = tx
			.update(apiClients)
			.set({ revokedAt: now })
			.where(and(eq(apiClients.id, clientId), eq(apiClients.organisationId, admin.organisationId), isNull(apiClients.revokedAt)))
			.run();
		if (done.changes === 0) return false;
		recordAudit(tx, { userId: admin.id, action: 'api_client_revoked', detail: `api client ${clientId}`, address }, now);
		return true;
	});
}

export interface ApiClientRow {
	id: number;
	name: string;
	teams: string[];
	expiresAt: Date;
	revokedAt: Date | null;
	createdAt: Date;
}

/** The organisation's clients, newest first, with the names of their teams. */
export function listApiClients(db: Db, organisationId: number): ApiClientRow[] {
	const rows = db.select().from(apiClients).where(eq(apiClients.organisationId, organisationId)).orderBy(asc(apiClients.id)).all();
	const links = db.select({ clientId: apiClientTeams.clientId, name: teams.name }).from(apiClientTeams).innerJoin(teams, eq(teams.id, apiClientTeams.teamId)).orderBy(asc(teams.name)).all();
	return rows.reverse().map((r) => ({
		id: r.id,
		name: r.name,
		teams: links.filter((l) => l.clientId === r.id).map((l) => l.name),
		expiresAt: r.expiresAt,
		revokedAt: r.revokedAt,
		createdAt: r.createdAt
	}));
}
