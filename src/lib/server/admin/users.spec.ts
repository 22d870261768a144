import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ANYWHERE_INSIDE, smallClinic } from '../test/fixtures';
import { auditEvents, sessions, teamMemberships, users } from '../db/schema';
import { createSession, validateSessionToken } from '../auth/session';
import { hashPassword } from '../auth/password';
import { signIn } from '../auth/sign-in';
import { createUser, listOrganisationUsers, setUserDisabled, type NewUser } from './users';
import { parseNewUserForm } from './user-form';

const now = new Date('2026-11-23T08:00:00Z');
const GOOD = 'grå katt på blå benk';

function form(fields: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
}

const valid: Record<string, string> = { username: 'Nina.Lund', displayName: 'Nina Lund', role: 'clinician', 'team-1': 'on', preferredLocale: 'nn', password: GOOD };

describe('the new-user form', () => {
	it('accepts a complete form and lower-cases the user name', () => {
		const parsed = parseNewUserForm(form(valid));
		expect(parsed).toEqual({ ok: true, value: { username: 'nina.lund', displayName: 'Nina Lund', role: 'clinician', teamIds: [1], preferredLocale: 'nn', password: GOOD } });
	});

	it.each([
		['username', { username: '' }, 'Brukernavn må fylles ut.'],
		['username', { username: 'nina lund' }, 'Brukernavn har en ugyldig verdi.'],
		['displayName', { displayName: ' ' }, 'Navn må fylles ut.'],
		['role', { role: 'root' }, 'Rolle har en ugyldig verdi.'],
		['password', { password: 'kort' }, 'Startpassord må ha minst 12 tegn. En passfrase av flere ord er lettest å huske.'],
		['password', { password: 'Nina.Lund' + 'xyz' }, null],
		['password', { password: 'password1234' }, 'Startpassord er blant de vanligste passordene og er lett å gjette. Velg et annet.']
	])('names the field %s', (field, change, message) => {
		const parsed = parseNewUserForm(form({ ...valid, ...change }));
		if (message === null) {
			expect(parsed.ok).toBe(true);
			return;
		}
		expect(parsed).toEqual({ ok: false, field, message });
	});

	it('asks a clinician for at least one team, and takes several', () => {
		const { 'team-1': _, ...noTeam } = valid;
		expect(parseNewUserForm(form(noTeam))).toEqual({ ok: false, field: 'teams', message: 'Team: velg minst ett team for en behandler eller teamleder.' });
		expect(parseNewUserForm(form({ ...valid, 'team-2': 'on' }))).toMatchObject({ ok: true, value: { teamIds: [1, 2] } });
		expect(parseNewUserForm(form({ ...valid, 'team-2': 'yes' }))).toMatchObject({ ok: false, field: 'teams' });
	});

	it('refuses a field the form does not have, naming it', () => {
		expect(parseNewUserForm(form({ ...valid, isAdmin: '1' }))).toEqual({ ok: false, field: 'isAdmin', message: 'Skjemaet har ikke feltet «isAdmin». Ingenting ble lagret.' });
	});

	it('lets an admin belong to no team', () => {
		const { 'team-1': _, ...noTeam } = valid;
		expect(parseNewUserForm(form({ ...noTeam, role: 'admin' })).ok).toBe(true);
	});
});

describe('creating a user', () => {
	const input = (c: ReturnType<typeof smallClinic>): NewUser => ({ username: 'nina', displayName: 'Nina Lund', role: 'clinician', teamIds: [c.teamA], preferredLocale: 'nb', password: GOOD });

	it('stores the user on a one-time password, the team membership (audited as joining the team) and the audit event; the user can sign in', async () => {
		const c = smallClinic();
		const result = await createUser(c.db, c.users.admin, input(c), '10.0.0.1', now);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(c.db.select().from(teamMemberships).where(eq(teamMemberships.userId, result.user.id)).all()).toEqual([{ userId: result.user.id, teamId: c.teamA }]);
		expect(
			c.db
				.select()
				.from(auditEvents)
				.all()
				.map((e) => [e.action, e.userId, e.detail, e.address])
		).toEqual([
			['user_created', c.users.admin.id, `user ${result.user.id} nina (clinician), one-time password`, '10.0.0.1'],
			['team_member_added', c.users.admin.id, `user ${result.user.id} to team ${c.teamA}`, '10.0.0.1']
		]);
		const signedIn = await signIn(c.db, { username: 'nina', password: GOOD, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now);
		expect(signedIn.ok && signedIn.user.mustChangePassword).toBe(true);
	});

	it('refuses a weak password and a taken user name and stores nothing', async () => {
		const c = smallClinic();
		const before = c.db.select().from(users).all().length;
		expect(await createUser(c.db, c.users.admin, { ...input(c), password: 'Velkommen12345' }, null, now)).toEqual({ ok: false, reason: 'weak_password', problem: 'common' });
		expect(await createUser(c.db, c.users.admin, { ...input(c), username: 'Clin-A' }, null, now)).toEqual({ ok: false, reason: 'username_taken' });
		expect(await createUser(c.db, c.users.admin, { ...input(c), teamIds: [9999] }, null, now)).toEqual({ ok: false, reason: 'unknown_team' });
		expect(c.db.select().from(users).all()).toHaveLength(before);
		expect(c.db.select().from(auditEvents).all()).toEqual([]);
	});

	it('lists the organisation’s users with their teams', () => {
		const c = smallClinic();
		const list = listOrganisationUsers(c.db, c.users.admin.organisationId);
		expect(list.map((u) => [u.username, u.teamNames])).toEqual([
			['admin', []],
			['clin-a', ['A']],
			['clin-b', ['B']],
			['lead-a', ['A']]
		]);
	});
});

describe('disabling a user', () => {
	it('ends every session of the user at once, refuses their sign-in like a wrong password, and is audited', async () => {
		const c = smallClinic();
		c.db
			.update(users)
			.set({ passwordHash: await hashPassword(GOOD) })
			.where(eq(users.id, c.users.clinicianA.id))
			.run();
		const phone = createSession(c.db, c.users.clinicianA.id, now);
		const pc = createSession(c.db, c.users.clinicianA.id, now);
		const other = createSession(c.db, c.users.clinicianB.id, now);
		expect(setUserDisabled(c.db, c.users.admin, c.users.clinicianA.id, true, null, now)).toEqual({ ok: true, username: 'clin-a' });
		expect(c.db.select().from(sessions).where(eq(sessions.userId, c.users.clinicianA.id)).all()).toEqual([]);
		expect(validateSessionToken(c.db, phone.token, now).session).toBeNull();
		expect(validateSessionToken(c.db, pc.token, now).session).toBeNull();
		expect(validateSessionToken(c.db, other.token, now).session).not.toBeNull();
		expect(await signIn(c.db, { username: 'clin-a', password: GOOD, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now)).toEqual({ ok: false, reason: 'wrong_credentials' });
		const log = c.db
			.select()
			.from(auditEvents)
			.all()
			.map((e) => [e.action, e.detail]);
		expect(log).toEqual([
			['user_disabled', `user ${c.users.clinicianA.id} clin-a`],
			['failed_sign_in', 'disabled user: clin-a']
		]);
		// Enabled again, the right password works.
		expect(setUserDisabled(c.db, c.users.admin, c.users.clinicianA.id, false, null, now).ok).toBe(true);
		expect((await signIn(c.db, { username: 'clin-a', password: GOOD, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now)).ok).toBe(true);
	});

	it('rejects a session of a disabled user even if one were left behind', () => {
		const c = smallClinic();
		const s = createSession(c.db, c.users.clinicianA.id, now);
		c.db.update(users).set({ disabledAt: now }).where(eq(users.id, c.users.clinicianA.id)).run();
		expect(validateSessionToken(c.db, s.token, now).session).toBeNull();
		expect(c.db.select().from(sessions).where(eq(sessions.id, s.session.id)).get()).toBeUndefined();
	});

	it('refuses the admin’s own account and a user of another organisation', () => {
		const c = smallClinic();
		expect(setUserDisabled(c.db, c.users.admin, c.users.admin.id, true, null, now)).toEqual({ ok: false, reason: 'self' });
		expect(setUserDisabled(c.db, { ...c.users.admin, organisationId: 999 }, c.users.clinicianA.id, true, null, now)).toEqual({ ok: false, reason: 'not_found' });
		expect(c.db.select().from(auditEvents).all()).toEqual([]);
	});
});
