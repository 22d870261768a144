import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import { ssoAttempts, ssoRequests, users, type Role, type SecondFactorState, type Session, type User } from '../db/schema';
import type { SsoConfig } from '../config';
import type { Doer } from '../context';
import { recordAudit } from '../audit';
import { createSession, invalidateSession, type SessionLimits, type SessionUser } from './session';
import { hasConfirmedTotp, secondFactorFor } from './two-factor';
import { addMembership, organisationTeams, teamsOfOrganisation } from '../admin/users';
import { beginSignOn, completeSignOn, endSessionUrl, type SignedOnClaims } from './oidc';
import { inNetworks, type Network } from '$lib/domain/networks';

/** How long a sign-on may take at the provider before its callback is refused. */
export const SSO_ATTEMPT_MS = 10 * 60 * 1000;
/** Where the provider sends the browser back (registered at the provider as ORIGIN + this path). */
export const SSO_CALLBACK_PATH = '/login/sso/callback';

/** HelseID's claims (docs/clinical/sign-in-and-logs.md): the HPR number and the security level (4 = high). */
export const HELSEID_HPR_NUMBER = 'helseid://claims/hpr/hpr_number';
export const HELSEID_SECURITY_LEVEL = 'helseid://claims/identity/security_level';

/** `amr` values (RFC 8176) a standard provider gives for a sign-in with more than one factor. */
const STRONG_AMR = new Set(['mfa', 'otp', 'hwk', 'sc', 'swk']);

const hashId = (id: string): string => encodeHexLowerCase(sha256(new TextEncoder().encode(id)));

/**
 * Starts a single sign-on: the provider gets a pushed authorization request (where it offers PAR),
 * and what the callback must check is kept on the server under a hash of the attempt id the
 * browser gets as a cookie. Old attempts are swept in the same write.
 */
export async function startSingleSignOn(db: Db, sso: SsoConfig, input: { redirectUri: string; next: string }, now: Date): Promise<{ attemptId: string; url: string }> {
	const { url, pending } = await beginSignOn(sso, input.redirectUri);
	const attemptId = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
	db.transaction((tx) => {
		tx.delete(ssoAttempts).where(lt(ssoAttempts.expiresAt, now)).run();
		tx.insert(ssoAttempts)
			.values({ idHash: hashId(attemptId), ...pending, next: input.next, expiresAt: new Date(now.getTime() + SSO_ATTEMPT_MS) })
			.run();
	});
	return { attemptId, url: url.href };
}

export type SsoRefusal = 'no_attempt' | 'refused' | 'waiting' | 'disabled' | 'weak';

export type SsoResult = { ok: true; token: string; expiresAt: Date; user: SessionUser; secondFactor: 'pending' | 'enrol' | null; next: string } | { ok: false; reason: SsoRefusal };

export interface SsoCallback {
	/** The attempt cookie; undefined when the browser has none (the callback opened on its own). */
	attemptId: string | undefined;
	/** The callback's full address as the provider sent the browser to it. */
	url: URL;
	address: string | null;
	clinicNetworks: readonly Network[];
	limits: SessionLimits;
}

/**
 * Finishes a single sign-on at the callback: the attempt is taken once (a replayed callback finds
 * none), openid-client checks the answer and exchanges the code, and the person is matched to a
 * Stemme account — by the subject they signed on with before, else by the HPR number (HelseID) or
 * the e-mail an admin entered. An unknown person waits for an admin's approval. Every refusal is
 * audited with the reason; a session is opened like a password sign-in's, marked as single sign-on.
 */
export async function finishSingleSignOn(db: Db, sso: SsoConfig, input: SsoCallback, now: Date): Promise<SsoResult> {
	const refuse = (reason: SsoRefusal, detail: string, userId: number | null = null): SsoResult => {
		recordAudit(db, { userId, action: 'failed_sign_in', detail: `single sign-on: ${detail}`.slice(0, 300), address: input.address }, now);
		return { ok: false, reason };
	};
	const attempt = input.attemptId === undefined ? undefined : takeAttempt(db, input.attemptId, now);
	if (attempt === undefined) return refuse('no_attempt', 'no sign-on under way in this browser (expired, used, or never started)');
	const outcome = await completeSignOn(sso, input.url, attempt);
	if (!outcome.ok) return refuse('refused', outcome.why);
	const person = personOf(sso, outcome.claims);
	return db.transaction((tx): SsoResult => {
		const user = matchAccount(tx, person);
		if (user === undefined) {
			const turnedAway = waitForApproval(tx, person, now);
			const detail = `subject ${person.subject.slice(0, 100)}: ${person.name.slice(0, 100)}${turnedAway ? ' (turned away before: not listed again)' : ''}`;
			recordAudit(tx, { userId: null, action: 'sso_waiting', detail, address: input.address }, now);
			return { ok: false, reason: 'waiting' };
		}
		if (user.disabledAt !== null) return refuse('disabled', `disabled user ${user.id}`, user.id);
		const strong = person.strong ? ('sso' as const) : null;
		const owed = strong ?? secondFactorFor({ role: user.role, hasTotp: hasConfirmedTotp(tx, user.id), inside: inNetworks(input.address, input.clinicNetworks) });
		if (owed === 'refuse') return refuse('weak', `user ${user.id}: outside the clinic networks at a low security level without a second factor`, user.id);
		if (user.ssoSubject !== person.subject) tx.update(users).set({ ssoSubject: person.subject }).where(eq(users.id, user.id)).run();
		const { token, session } = createSession(tx, user.id, now, input.limits, owed satisfies SecondFactorState | null, { method: 'sso', idToken: outcome.idToken });
		recordAudit(
			tx,
			{ userId: user.id, action: 'signed_in', detail: `single sign-on${person.level === null ? '' : `, security level ${person.level}`}${strong ? ', strong' : ''}`, address: input.address },
			now
		);
		const { id, username, displayName, role, organisationId, preferredLocale } = user;
		return {
			ok: true,
			token,
			expiresAt: session.expiresAt,
			user: { id, username, displayName, role, organisationId, preferredLocale, mustChangePassword: false },
			secondFactor: owed === 'sso' ? null : owed,
			next: attempt.next
		};
	});
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

function takeAttempt(db: Db, attemptId: string, now: Date): typeof ssoAttempts.$inferSelect | undefined {
	const row = db
		.delete(ssoAttempts)
		.where(eq(ssoAttempts.idHash, hashId(attemptId)))
		.returning()
		.get();
	return row !== undefined && row.expiresAt > now ? row : undefined;
}

interface Person {
	subject: string;
	name: string;
	email: string | null;
	hprNumber: string | null;
	level: string | null;
	/** The provider vouches for two factors: HelseID's security level, or a standard provider's `amr`. */
	strong: boolean;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

function personOf(sso: SsoConfig, claims: SignedOnClaims): Person {
	const helseid = sso.profile === 'helseid';
	const level = helseid ? text(claims[HELSEID_SECURITY_LEVEL]) : null;
	const amr = Array.isArray(claims.amr) ? claims.amr : [];
	const email = claims.email_verified === false ? null : text(claims.email)?.toLowerCase();
	return {
		subject: claims.sub,
		name: text(claims.name) ?? ([text(claims.given_name), text(claims.family_name)].filter((s) => s !== null).join(' ') || claims.sub),
		email: email ?? null,
		hprNumber: helseid ? text(claims[HELSEID_HPR_NUMBER]) : null,
		level,
		strong: helseid ? Number(level) >= sso.strongLevel : amr.some((a) => STRONG_AMR.has(String(a)))
	};
}

function matchAccount(tx: Tx, person: Person): User | undefined {
	const by = (column: typeof users.ssoSubject | typeof users.hprNumber | typeof users.email, value: string | null): User | undefined =>
		value === null ? undefined : tx.select().from(users).where(eq(column, value)).get();
	return by(users.ssoSubject, person.subject) ?? by(users.hprNumber, person.hprNumber) ?? by(users.email, person.email);
}

/**
 * Puts the person on the admin's list, or notes their new attempt. Someone an admin turned away
 * stays off the list (the decision stands); to let them in later the admin gives an account their
 * HPR number or e-mail. Says whether they were turned away.
 */
function waitForApproval(tx: Tx, person: Person, now: Date): boolean {
	const values = { name: person.name.slice(0, 200), email: person.email, hprNumber: person.hprNumber, securityLevel: person.level, lastAt: now };
	const row = tx
		.insert(ssoRequests)
		.values({ subject: person.subject, firstAt: now, ...values })
		.onConflictDoUpdate({ target: ssoRequests.subject, set: { ...values, decidedAt: sql`case when ${ssoRequests.turnedAwayReason} is null then null else ${ssoRequests.decidedAt} end` } })
		.returning({ turnedAwayReason: ssoRequests.turnedAwayReason })
		.get();
	return row.turnedAwayReason !== null;
}

export interface WaitingPerson {
	id: number;
	name: string;
	email: string | null;
	hprNumber: string | null;
	securityLevel: string | null;
	firstAt: Date;
	lastAt: Date;
}

/** People who signed on and have no account yet, the longest waiting first. */
export function waitingPeople(db: Pick<Db, 'select'>): WaitingPerson[] {
	const { id, name, email, hprNumber, securityLevel, firstAt, lastAt } = ssoRequests;
	return db.select({ id, name, email, hprNumber, securityLevel, firstAt, lastAt }).from(ssoRequests).where(isNull(ssoRequests.decidedAt)).orderBy(asc(ssoRequests.firstAt)).all();
}

export interface Approval {
	requestId: number;
	username: string;
	role: Role;
	teamIds: number[];
}

export type ApprovalResult = { ok: true; userId: number } | { ok: false; reason: 'not_found' | 'username_taken' | 'unknown_team' | 'identity_taken' };

/**
 * An admin lets a waiting person in: a new account of the admin's organisation with the role and
 * teams chosen, signing in by single sign-on only (no password), tied to the provider's subject —
 * the request closed, all in one transaction with its audit rows.
 */
export function approveSsoRequest(db: Db, admin: Doer, input: Approval, now: Date): ApprovalResult {
	const address = admin.address ?? null;
	return db.transaction((tx): ApprovalResult => {
		const request = tx
			.select()
			.from(ssoRequests)
			.where(and(eq(ssoRequests.id, input.requestId), isNull(ssoRequests.decidedAt)))
			.get();
		if (request === undefined) return { ok: false, reason: 'not_found' };
		const username = input.username.trim().toLowerCase();
		if (tx.select({ id: users.id }).from(users).where(eq(users.username, username)).get() !== undefined) return { ok: false, reason: 'username_taken' };
		if (!teamsOfOrganisation(tx, admin.organisationId, input.teamIds)) return { ok: false, reason: 'unknown_team' };
		const taken = matchAccount(tx, { subject: request.subject, hprNumber: request.hprNumber, email: request.email, name: '', level: null, strong: false });
		if (taken !== undefined) return { ok: false, reason: 'identity_taken' };
		const user = tx
			.insert(users)
			.values({
				organisationId: admin.organisationId,
				username,
				displayName: request.name,
				// No password at all: password sign-in is off, and no argon2 hash matches this.
				passwordHash: '!sso',
				passwordSignIn: false,
				role: input.role,
				ssoSubject: request.subject,
				hprNumber: request.hprNumber,
				email: request.email,
				createdAt: now
			})
			.returning({ id: users.id })
			.get();
		tx.update(ssoRequests).set({ decidedAt: now, userId: user.id }).where(eq(ssoRequests.id, request.id)).run();
		recordAudit(tx, { userId: admin.id, action: 'sso_approved', detail: `user ${user.id} ${username} (${input.role}) from single sign-on request ${request.id}`, address }, now);
		for (const teamId of input.teamIds) addMembership(tx, admin.id, user.id, teamId, address, now);
		return { ok: true, userId: user.id };
	});
}

export type TurnAwayResult = { ok: true; name: string } | { ok: false; reason: 'not_found' };

/**
 * An admin turns a waiting person away, with the reason: the request is closed and off the list,
 * in one transaction with its audit row. Signing on again, the person is told to ask their
 * administrator, and is not listed again.
 */
export function turnAwaySsoRequest(db: Db, admin: Doer, input: { requestId: number; reason: string }, now: Date): TurnAwayResult {
	return db.transaction((tx): TurnAwayResult => {
		const request = tx
			.update(ssoRequests)
			.set({ decidedAt: now, turnedAwayReason: input.reason })
			.where(and(eq(ssoRequests.id, input.requestId), isNull(ssoRequests.decidedAt)))
			.returning({ id: ssoRequests.id, name: ssoRequests.name })
			.get();
		if (request === undefined) return { ok: false, reason: 'not_found' };
		recordAudit(
			tx,
			{ userId: admin.id, action: 'sso_turned_away', detail: `single sign-on request ${request.id} (${request.name}): ${input.reason}`.slice(0, 500), address: admin.address ?? null },
			now
		);
		return { ok: true, name: request.name };
	});
}

/** The admin's page of people waiting: the people, and the teams and roles to let them in with. */
export function ssoApprovalsView(db: Db, organisationId: number): { waiting: WaitingPerson[]; teams: { id: number; name: string }[] } {
	return { waiting: waitingPeople(db), teams: organisationTeams(db, organisationId) };
}

/**
 * Ends a Stemme session (audited); returns where the browser goes next: for a session opened by
 * single sign-on, the page that sends it on to the provider's end-session address where the
 * provider offers one; else the sign-in page.
 */
export async function signOut(db: Db, sso: SsoConfig | null, input: { user: SessionUser; session: Session; address: string | null; signedOutUrl: string }, now: Date): Promise<string> {
	const { user, session } = input;
	db.transaction((tx) => {
		invalidateSession(tx, session.id);
		recordAudit(tx, { userId: user.id, action: 'signed_out', detail: session.authMethod === 'sso' ? 'single sign-on' : null, address: input.address }, now);
	});
	if (sso === null || session.authMethod !== 'sso' || session.ssoIdToken === null) return '/login';
	const end = await endSessionUrl(sso, session.ssoIdToken, input.signedOutUrl);
	return end === null ? '/login' : `/login/sso/end?to=${encodeURIComponent(end)}`;
}
