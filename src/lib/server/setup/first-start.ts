import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import { demoCredentials, organisations, setupTokens, users, type Locale } from '../db/schema';
import { hashPassword, verifyPassword } from '../auth/password';
import { passwordProblem, type PasswordProblem } from '../auth/password-rules';
import { recordAudit } from '../audit';
import { demoClinicians, LEGACY_DEMO_PASSWORD, randomDemoPassword } from '../demo/seed';

/** A setup link is good for a day: long enough to open it after reading the log, short enough not to lie around. */
export const SETUP_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

import { demoSetting, type DemoSetting } from '../config';

export { demoSetting, type DemoSetting };

/** Addresses that only this machine can reach; anything else (0.0.0.0, a LAN address, a name) is the network. */
export function isLoopbackHost(host: string | undefined): boolean {
	if (host === undefined || host === '') return false;
	const h = host
		.trim()
		.toLowerCase()
		.replace(/^\[|\]$/g, '');
	return h === 'localhost' || h === '::1' || /^127(\.[0-9]{1,3}){3}$/.test(h);
}

/**
 * Whether the demo clinic may be seeded on an empty database: by default only on loopback (someone
 * trying Stemme out); a server opened to the network seeds it only when told STEMME_DEMO=on.
 */
export function seedsDemo(setting: DemoSetting, loopback: boolean): boolean {
	return setting === 'on' || (setting === 'unset' && loopback);
}

/** Demo accounts that can still sign in. */
export function activeDemoAccounts(db: Pick<Db, 'select'>): { username: string; role: string }[] {
	return db
		.select({ username: users.username, role: users.role })
		.from(users)
		.where(and(eq(users.isDemo, true), isNull(users.disabledAt)))
		.all();
}

/** The demo password of this database, while a demo account can sign in with it; null otherwise. */
export function demoPassword(db: Pick<Db, 'select'>): string | null {
	if (activeDemoAccounts(db).length === 0) return null;
	return db.select({ password: demoCredentials.password }).from(demoCredentials).where(eq(demoCredentials.id, 1)).get()?.password ?? null;
}

/**
 * A database made before demo passwords were random still has the demo accounts on the published
 * password: they are marked as demo accounts and given this database's own random password.
 * Accounts whose password someone changed are left alone (and are not demo accounts any more).
 */
export async function retireLegacyDemoPassword(db: Db): Promise<number> {
	if (db.select({ n: count() }).from(demoCredentials).get()!.n > 0) return 0;
	const names = demoClinicians.map((c) => c.username);
	const candidates = db
		.select({ id: users.id, passwordHash: users.passwordHash })
		.from(users)
		.where(and(inArray(users.username, names), eq(users.isDemo, false)))
		.all();
	const legacy: number[] = [];
	for (const c of candidates) if (await verifyPassword(c.passwordHash, LEGACY_DEMO_PASSWORD)) legacy.push(c.id);
	if (legacy.length === 0) return 0;
	const password = randomDemoPassword();
	const passwordHash = await hashPassword(password);
	db.transaction((tx) => {
		tx.insert(demoCredentials).values({ id: 1, password }).run();
		tx.update(users).set({ passwordHash, isDemo: true }).where(inArray(users.id, legacy)).run();
	});
	return legacy.length;
}

/**
 * What the sign-in page may say about the demo: the demo password, only while the server listens
 * on loopback (whoever sees the page is on this machine) and a demo account can still sign in.
 */
export function demoSignIn(db: Pick<Db, 'select'>, host: string | undefined): { username: string; password: string } | null {
	if (!isLoopbackHost(host)) return null;
	const password = demoPassword(db);
	if (password === null) return null;
	const accounts = activeDemoAccounts(db);
	const preferred = accounts.find((a) => a.username === 'kari') ?? accounts[0];
	return preferred === undefined ? null : { username: preferred.username, password };
}

export function hasOrganisation(db: Pick<Db, 'select'>): boolean {
	return db.select({ n: count() }).from(organisations).get()!.n > 0;
}

function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * A new one-time setup token (160 random bits), stored only as its hash; links printed at earlier
 * starts stop working, so only the newest log line opens the page.
 */
export function issueSetupToken(db: Db, now: Date): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	const token = encodeBase32LowerCaseNoPadding(bytes);
	db.transaction((tx) => {
		tx.delete(setupTokens).where(isNull(setupTokens.usedAt)).run();
		tx.insert(setupTokens)
			.values({ tokenHash: hashToken(token), createdAt: now, expiresAt: new Date(now.getTime() + SETUP_TOKEN_LIFETIME_MS) })
			.run();
	});
	return token;
}

/** Whether `token` opens the setup page now: unused, unexpired, and no organisation made yet. */
export function setupTokenValid(db: Pick<Db, 'select'>, token: string, now: Date): boolean {
	if (!/^[a-z2-7]{32}$/.test(token) || hasOrganisation(db)) return false;
	const row = db
		.select()
		.from(setupTokens)
		.where(eq(setupTokens.tokenHash, hashToken(token)))
		.get();
	return row !== undefined && row.usedAt === null && row.expiresAt.getTime() > now.getTime();
}

export interface FirstAdmin {
	organisation: string;
	username: string;
	displayName: string;
	preferredLocale: Locale;
	password: string;
}

export type SetupResult =
	{ ok: true; userId: number; organisationId: number } | { ok: false; reason: 'token' | 'already_set_up' | 'username_taken' } | { ok: false; reason: 'weak_password'; problem: PasswordProblem };

/**
 * Creates the organisation and its first administrator, once. `token`: the setup link's (the web
 * page); null from the command line, where whoever runs it already has the database file. The
 * token is spent in the same transaction, so a second post with it stores nothing. The first admin
 * belongs to no team: the admin treats no one.
 */
export async function completeSetup(db: Db, token: string | null, input: FirstAdmin, address: string | null, now: Date): Promise<SetupResult> {
	const username = input.username.trim().toLowerCase();
	const problem = passwordProblem(input.password, username);
	if (problem !== null) return { ok: false, reason: 'weak_password', problem };
	const passwordHash = await hashPassword(input.password);
	return db.transaction((tx): SetupResult => {
		if (hasOrganisation(tx)) return { ok: false, reason: 'already_set_up' };
		if (token !== null) {
			if (!setupTokenValid(tx, token, now)) return { ok: false, reason: 'token' };
			tx.update(setupTokens)
				.set({ usedAt: now })
				.where(eq(setupTokens.tokenHash, hashToken(token)))
				.run();
		}
		if (tx.select({ id: users.id }).from(users).where(eq(users.username, username)).get() !== undefined) return { ok: false, reason: 'username_taken' };
		const org = tx.insert(organisations).values({ name: input.organisation.trim(), createdAt: now }).returning({ id: organisations.id }).get();
		const admin = tx
			.insert(users)
			.values({ organisationId: org.id, username, displayName: input.displayName.trim(), passwordHash, role: 'admin', preferredLocale: input.preferredLocale, createdAt: now })
			.returning({ id: users.id })
			.get();
		recordAudit(
			tx,
			{ userId: admin.id, action: 'setup_completed', detail: `organisation ${org.id}, first admin user ${admin.id} ${username}${token === null ? ' (command line)' : ''}`, address },
			now
		);
		return { ok: true, userId: admin.id, organisationId: org.id };
	});
}
