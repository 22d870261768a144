import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { ANYWHERE_INSIDE, smallClinic } from '../test/fixtures';
import { startTestProvider, signOnAtProvider, type TestProvider } from '../test/oidc-provider';
import { configFrom, type SsoConfig } from '../config';
import { auditEvents, sessions, ssoAttempts, ssoRequests, teamMemberships, users } from '../db/schema';
import { actorFromToken } from './actor';
import { signIn } from './sign-in';
import { approveSsoRequest, finishSingleSignOn, HELSEID_HPR_NUMBER, HELSEID_SECURITY_LEVEL, startSingleSignOn, turnAwaySsoRequest, waitingPeople, type SsoResult } from './sso';
import { parseTurnAwayForm } from './sso-form';
import { setUserIdentity } from '../admin/user-identity';
import { parseIdentityForm } from '../admin/user-form';
import { endSessionUrl } from './oidc';
import type { Db } from '../db';
import { setPin, startHandoff, unlockWithPin } from '../tablet/handoff';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry, getInstrument } from '$lib/domain/registry';

const REDIRECT = 'http://127.0.0.1:5999/login/sso/callback';
const LIMITS = { absoluteMs: 3_600_000, idleMs: 1_800_000 };

let provider: TestProvider;
let sso: SsoConfig;

beforeAll(async () => {
	provider = await startTestProvider({ redirectUri: REDIRECT, postLogoutRedirectUri: 'http://127.0.0.1:5999/login' });
	sso = configFrom({
		STEMME_SSO_ISSUER: provider.issuer,
		STEMME_SSO_CLIENT_ID: provider.clientId,
		STEMME_SSO_KEY_FILE: provider.keyFile,
		STEMME_SSO_PROFILE: 'helseid',
		STEMME_SSO_SCOPE: 'openid profile email helseid://scopes/identity/hpr_number helseid://scopes/identity/security_level',
		STEMME_SSO_INSECURE_LOOPBACK: 'on'
	}).sso!;
	provider.accounts.set('hpr-person', { name: 'Kari Nordmann', [HELSEID_HPR_NUMBER]: '1234567', [HELSEID_SECURITY_LEVEL]: '4' });
	provider.accounts.set('mail-person', { name: 'Ola Lav', email: 'ola@example.org', email_verified: true, [HELSEID_SECURITY_LEVEL]: '3' });
	provider.accounts.set('stranger', { name: 'Ukjent Person', email: 'ukjent@example.org', email_verified: true, [HELSEID_SECURITY_LEVEL]: '4' });
});
afterAll(() => provider.close());
beforeEach(() => {
	provider.tamper = null;
});

const now = () => new Date();

/** One sign-on through the provider: the attempt, the browser at the provider, the callback. */
async function signOn(db: Db, login: string, change: (url: URL) => URL = (u) => u): Promise<{ result: SsoResult; callback: URL; attemptId: string }> {
	const { attemptId, url } = await startSingleSignOn(db, sso, { redirectUri: REDIRECT, next: '/today' }, now());
	const callback = await signOnAtProvider(url, login);
	const result = await finishSingleSignOn(db, sso, { attemptId, url: change(callback), address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE, limits: LIMITS }, now());
	return { result, callback, attemptId };
}

function lastFailure(db: Db): string | null {
	const rows = db.select().from(auditEvents).where(eq(auditEvents.action, 'failed_sign_in')).all();
	return rows.at(-1)?.detail ?? null;
}

describe('single sign-on through a real OpenID Provider (PAR, PKCE, private_key_jwt, DPoP)', () => {
	it('signs in the account an admin created with the HPR number, strongly at security level 4', async () => {
		const { db, users: u } = smallClinic();
		db.update(users).set({ hprNumber: '1234567' }).where(eq(users.id, u.clinicianA.id)).run();
		const { result } = await signOn(db, 'hpr-person');
		expect(result).toMatchObject({ ok: true, user: { id: u.clinicianA.id }, secondFactor: null, next: '/today' });
		if (!result.ok) return;
		const actor = actorFromToken(db, result.token, now());
		expect(actor).toMatchObject({ kind: 'staff', auth: { method: 'sso', secondFactor: 'sso' } });
		expect(db.select().from(users).where(eq(users.id, u.clinicianA.id)).get()?.ssoSubject).toBe('hpr-person');
		const session = db.select().from(sessions).where(eq(sessions.userId, u.clinicianA.id)).get()!;
		// The provider's sign-out, with the ID token as the hint.
		const end = await endSessionUrl(sso, session.ssoIdToken!, 'http://127.0.0.1:5999/login');
		expect(end).toContain(`${provider.issuer}/session/end?`);
		expect(end).toContain('id_token_hint=');
	});

	it('a single sign-on user takes the tablet back with their PIN', async () => {
		const { db, users: u } = smallClinic();
		db.update(users).set({ hprNumber: '1234567' }).where(eq(users.id, u.clinicianA.id)).run();
		const { result } = await signOn(db, 'hpr-person');
		if (!result.ok) throw new Error(result.reason);
		await setPin(db, u.clinicianA.id, '2468', now());
		const made = createRegistry(builtInInstruments, []);
		if (!made.ok) throw new Error(made.errors.join('\n'));
		const instrument = getInstrument(made.registry, 'stemme-outcome-adult', 1)!;
		const session = db.select().from(sessions).where(eq(sessions.userId, u.clinicianA.id)).get()!;
		const handoff = startHandoff(db, { sessionId: session.id, userId: u.clinicianA.id, appointmentIds: [1], instrument, rater: 'patient', patientIds: [] }, now());
		expect(actorFromToken(db, result.token, now()).kind).toBe('tablet');
		expect(await unlockWithPin(db, handoff, '2468', now())).toEqual({ ok: true });
		expect(actorFromToken(db, result.token, now())).toMatchObject({ kind: 'staff', auth: { method: 'sso', secondFactor: 'sso' } });
	});

	it('matches by e-mail; below the strong level an administrator still owes a code', async () => {
		const { db, users: u } = smallClinic();
		db.update(users).set({ email: 'ola@example.org' }).where(eq(users.id, u.admin.id)).run();
		const { result } = await signOn(db, 'mail-person');
		expect(result).toMatchObject({ ok: true, user: { id: u.admin.id }, secondFactor: 'enrol' });
	});

	it('an unknown person waits; once an admin approves with role and teams, the next sign-on gets in', async () => {
		const { db, users: u, teamA } = smallClinic();
		const { result } = await signOn(db, 'stranger');
		expect(result).toEqual({ ok: false, reason: 'waiting' });
		const waiting = waitingPeople(db);
		expect(waiting).toMatchObject([{ name: 'Ukjent Person', email: 'ukjent@example.org', securityLevel: '4' }]);
		const approval = approveSsoRequest(db, { ...u.admin, address: '10.0.0.2' }, { requestId: waiting[0]!.id, username: 'ukjent', role: 'clinician', teamIds: [teamA] }, now());
		expect(approval.ok).toBe(true);
		if (!approval.ok) return;
		expect(waitingPeople(db)).toEqual([]);
		expect(db.select().from(teamMemberships).where(eq(teamMemberships.userId, approval.userId)).all()).toHaveLength(1);
		expect(db.select().from(auditEvents).where(eq(auditEvents.action, 'sso_approved')).all()).toHaveLength(1);
		const again = await signOn(db, 'stranger');
		expect(again.result).toMatchObject({ ok: true, user: { id: approval.userId, username: 'ukjent' }, secondFactor: null });
		// Password sign-in is off for the account made from single sign-on.
		const byPassword = await signIn(db, { username: 'ukjent', password: 'anything at all here', address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now());
		expect(byPassword).toEqual({ ok: false, reason: 'wrong_credentials' });
		// Approving the same request twice, or with a taken user name, is refused.
		expect(approveSsoRequest(db, u.admin, { requestId: waiting[0]!.id, username: 'other', role: 'clinician', teamIds: [teamA] }, now())).toEqual({ ok: false, reason: 'not_found' });
	});

	it('a wrong state is refused', async () => {
		const { db } = smallClinic();
		const { result } = await signOn(db, 'hpr-person', (u) => {
			u.searchParams.set('state', 'not-the-state');
			return u;
		});
		expect(result).toEqual({ ok: false, reason: 'refused' });
		expect(lastFailure(db)).toMatch(/state/i);
	});

	it('a callback used twice finds no sign-on; a replayed code is refused by the provider', async () => {
		const { db, users: u } = smallClinic();
		db.update(users).set({ hprNumber: '1234567' }).where(eq(users.id, u.clinicianA.id)).run();
		const first = await signOn(db, 'hpr-person');
		expect(first.result.ok).toBe(true);
		const input = { url: first.callback, address: null, clinicNetworks: ANYWHERE_INSIDE, limits: LIMITS };
		expect(await finishSingleSignOn(db, sso, { ...input, attemptId: first.attemptId }, now())).toEqual({ ok: false, reason: 'no_attempt' });
		// A fresh attempt in the browser, answered with the old code (the new attempt's state put in,
		// read from the server's row: with PAR it is not in the address): the provider refuses the code.
		const second = await startSingleSignOn(db, sso, { redirectUri: REDIRECT, next: '/today' }, now());
		const replay = new URL(first.callback);
		replay.searchParams.set('state', db.select().from(ssoAttempts).get()!.state);
		expect(await finishSingleSignOn(db, sso, { ...input, url: replay, attemptId: second.attemptId }, now())).toEqual({ ok: false, reason: 'refused' });
		expect(lastFailure(db)).toMatch(/invalid_grant/);
		expect(await finishSingleSignOn(db, sso, { ...input, attemptId: undefined }, now())).toEqual({ ok: false, reason: 'no_attempt' });
	});

	it.each([
		['an expired ID token', (p: Record<string, unknown>) => provider.sign({ ...p, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }), /exp|expired|timestamp/i],
		['a wrong audience', (p: Record<string, unknown>) => provider.sign({ ...p, aud: 'someone-else' }), /aud/i],
		['a token signed with another key', (p: Record<string, unknown>) => provider.sign(p, 'other'), /signature/i]
	])('%s is refused', async (_what, tamper, why) => {
		const { db, users: u } = smallClinic();
		db.update(users).set({ hprNumber: '1234567' }).where(eq(users.id, u.clinicianA.id)).run();
		provider.tamper = tamper;
		const { result } = await signOn(db, 'hpr-person');
		expect(result).toEqual({ ok: false, reason: 'refused' });
		expect(lastFailure(db)).toMatch(why);
		expect(db.select().from(sessions).all()).toEqual([]);
	});
});

const form = (fields: Record<string, string>): FormData => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
};
const lastAudit = (db: Db) => db.select().from(auditEvents).orderBy(desc(auditEvents.id)).get()!;

describe("the admin's HPR number and e-mail for an account from before single sign-on", () => {
	it.each([
		[
			{ hprNumber: ' 1234 567 ', email: ' Kari@Helse.NO ' },
			{ hprNumber: '1234567', email: 'kari@helse.no' }
		],
		[
			{ hprNumber: '', email: '' },
			{ hprNumber: null, email: null }
		],
		[{ hprNumber: '12a4', email: '' }, 'hprNumber: HPR-nummer skal bare ha sifre (høyst 10).'],
		[{ hprNumber: '12345678901', email: '' }, 'hprNumber: HPR-nummer skal bare ha sifre (høyst 10).'],
		[{ hprNumber: '', email: 'kari@helse' }, 'email: E-post må være en e-postadresse, som navn@helse.no.'],
		[{ hprNumber: '', email: 'ka ri@helse.no' }, 'email: E-post må være en e-postadresse, som navn@helse.no.'],
		[{ email: 'kari@helse.no' }, 'hprNumber: HPR-nummer må fylles ut.']
	])('%o → %o', (fields, expected) => {
		const parsed = parseIdentityForm(form(fields));
		expect(parsed.ok ? parsed.value : `${parsed.field}: ${parsed.message}`).toEqual(expected);
	});

	it('is stored, unique over all accounts, audited with what changed; the first sign-on then finds the account', async () => {
		const { db, users: u } = smallClinic();
		const admin = { ...u.admin, address: '10.0.0.2' };
		expect(setUserIdentity(db, admin, u.clinicianA.id, { hprNumber: '1234567', email: 'clin-a@helse.no' }, new Date())).toEqual({ ok: true, username: 'clin-a' });
		expect([lastAudit(db).action, lastAudit(db).detail, lastAudit(db).address]).toEqual(['user_changed', `user ${u.clinicianA.id}: HPR number – → 1234567, e-mail – → clin-a@helse.no`, '10.0.0.2']);
		// Another account cannot take either; nothing is stored or audited.
		const events = db.select().from(auditEvents).all().length;
		expect(setUserIdentity(db, admin, u.clinicianB.id, { hprNumber: '1234567', email: null }, new Date())).toEqual({ ok: false, reason: 'hpr_taken' });
		expect(setUserIdentity(db, admin, u.clinicianB.id, { hprNumber: null, email: 'clin-a@helse.no' }, new Date())).toEqual({ ok: false, reason: 'email_taken' });
		expect(setUserIdentity(db, admin, 999_999, { hprNumber: null, email: null }, new Date())).toEqual({ ok: false, reason: 'not_found' });
		expect(db.select().from(auditEvents).all().length).toBe(events);
		expect(db.select({ hpr: users.hprNumber }).from(users).where(eq(users.id, u.clinicianB.id)).get()!.hpr).toBeNull();
		// Saving the same again changes nothing and writes no row.
		setUserIdentity(db, admin, u.clinicianA.id, { hprNumber: '1234567', email: 'clin-a@helse.no' }, new Date());
		expect(db.select().from(auditEvents).all().length).toBe(events);
		// clin-a had a password account before; HelseID gives the HPR number: the account is found.
		const result = (await signOn(db, 'hpr-person')).result;
		expect(result).toMatchObject({ ok: true, user: { id: u.clinicianA.id } });
		expect(waitingPeople(db)).toEqual([]);
	});
});

describe('turning a waiting person away', () => {
	it('closes the request with the reason (audited); signing on again they are told to ask, and are not listed again', async () => {
		const { db, users: u } = smallClinic();
		expect((await signOn(db, 'stranger')).result).toEqual({ ok: false, reason: 'waiting' });
		const [waiting] = waitingPeople(db);
		const parsed = parseTurnAwayForm(form({ request: String(waiting!.id), reason: ' Ikke ansatt i klinikken. ' }));
		expect(parsed).toEqual({ ok: true, value: { requestId: waiting!.id, reason: 'Ikke ansatt i klinikken.' } });
		if (!parsed.ok) return;
		const admin = { ...u.admin, address: '10.0.0.2' };
		expect(turnAwaySsoRequest(db, admin, parsed.value, new Date())).toEqual({ ok: true, name: 'Ukjent Person' });
		expect(waitingPeople(db)).toEqual([]);
		expect([lastAudit(db).action, lastAudit(db).userId, lastAudit(db).detail]).toEqual([
			'sso_turned_away',
			u.admin.id,
			`single sign-on request ${waiting!.id} (Ukjent Person): Ikke ansatt i klinikken.`
		]);
		// Twice is refused: the request is no longer waiting.
		expect(turnAwaySsoRequest(db, admin, parsed.value, new Date())).toEqual({ ok: false, reason: 'not_found' });

		expect((await signOn(db, 'stranger')).result).toEqual({ ok: false, reason: 'waiting' });
		expect(waitingPeople(db)).toEqual([]);
		expect(lastAudit(db)).toMatchObject({ action: 'sso_waiting', detail: 'subject stranger: Ukjent Person (turned away before: not listed again)' });
		expect(db.select({ reason: ssoRequests.turnedAwayReason }).from(ssoRequests).get()!.reason).toBe('Ikke ansatt i klinikken.');
		// Later the admin does let them in: an account with their e-mail is found at the next sign-on.
		setUserIdentity(db, admin, u.clinicianB.id, { hprNumber: null, email: 'ukjent@example.org' }, new Date());
		expect((await signOn(db, 'stranger')).result).toMatchObject({ ok: true, user: { id: u.clinicianB.id } });
	});

	it.each([
		[{ request: '1' }, 'reason: Begrunnelse for avvisningen må fylles ut.'],
		[{ request: '1', reason: '   ' }, 'reason: Begrunnelse for avvisningen må fylles ut.'],
		[{ request: '0', reason: 'x' }, 'request: personen har en ugyldig verdi.'],
		[{ request: '1', reason: 'x'.repeat(301) }, 'reason: Begrunnelse for avvisningen er for langt (høyst 300 tegn).'],
		[{ request: '1', reason: 'a\u001Bb' }, 'reason: Begrunnelse for avvisningen har en ugyldig verdi.']
	])('the form %o is refused: %s', (fields, expected) => {
		const parsed = parseTurnAwayForm(form(fields));
		expect(parsed.ok ? 'ok' : `${parsed.field}: ${parsed.message}`).toBe(expected);
	});
});
