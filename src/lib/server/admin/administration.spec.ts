import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { ANYWHERE_INSIDE, smallClinic } from '../test/fixtures';
import { auditEvents, episodes, milestoneMeetings, sessions, teamMemberships, teams, users } from '../db/schema';
import { createSession, validateSessionToken } from '../auth/session';
import { hashPassword } from '../auth/password';
import { signIn } from '../auth/sign-in';
import { replaceOneTimePassword } from '../account';
import { findOrganisationUser, resetPassword, resetPin, setUserDisabled, updateUser } from './users';
import { createTeam, setTeamArchived, teamTakesNewEpisodes, updateTeam, listTeams } from './teams';
import { assignPresenter, assignResponsible, isTeamLeadOf, leadAddMember, leadRemoveMember, openTeamPage } from './team-lead';
import { teamMembers } from '../risk/patient-risk';
import { adminDetail } from './audit-log';

const now = new Date('2026-11-23T08:00:00Z');
const GOOD = 'grå katt på blå benk';
const OWN = 'min egen lange passfrase 9';

const log = (c: ReturnType<typeof smallClinic>) =>
	c.db
		.select()
		.from(auditEvents)
		.all()
		.map((e) => [e.action, e.detail]);

describe('teams', () => {
	it('creates, renames, sets the default setting and archives a team; an archived team takes no new episodes', () => {
		const c = smallClinic();
		const made = createTeam(c.db, c.users.admin, { name: 'Rus døgn', defaultSetting: 'inpatient' }, null, now);
		expect(made.ok).toBe(true);
		if (!made.ok) return;
		expect(createTeam(c.db, c.users.admin, { name: 'rus DØGN', defaultSetting: 'outpatient' }, null, now)).toEqual({ ok: false, reason: 'name_taken' });
		expect(updateTeam(c.db, c.users.admin, made.team.id, { name: 'A', defaultSetting: 'group' }, null, now)).toEqual({ ok: false, reason: 'name_taken' });
		expect(updateTeam(c.db, c.users.admin, made.team.id, { name: 'Rusdøgn', defaultSetting: 'group' }, null, now).ok).toBe(true);
		expect(teamTakesNewEpisodes(c.db, made.team.id)).toBe(true);
		expect(setTeamArchived(c.db, c.users.admin, made.team.id, true, null, now).ok).toBe(true);
		expect(teamTakesNewEpisodes(c.db, made.team.id)).toBe(false);
		expect(teamTakesNewEpisodes(c.db, 9999)).toBe(false);
		expect(listTeams(c.db, c.users.admin.organisationId).map((t) => [t.name, t.defaultSetting, t.archivedAt !== null, t.members])).toEqual([
			['A', 'outpatient', false, 2],
			['B', 'outpatient', false, 1],
			['Rusdøgn', 'group', true, 0]
		]);
		expect(log(c)).toEqual([
			['team_created', `team ${made.team.id} (inpatient)`],
			['team_changed', `team ${made.team.id}: renamed, setting inpatient → group`],
			['team_archived', `team ${made.team.id}`]
		]);
	});

	it('does not touch another organisation’s team', () => {
		const c = smallClinic();
		const stranger = { ...c.users.admin, organisationId: 999 };
		expect(updateTeam(c.db, stranger, c.teamA, { name: 'X', defaultSetting: 'group' }, null, now)).toEqual({ ok: false, reason: 'not_found' });
		expect(setTeamArchived(c.db, stranger, c.teamA, true, null, now)).toEqual({ ok: false, reason: 'not_found' });
		expect(c.db.select().from(teams).where(eq(teams.id, c.teamA)).get()?.archivedAt).toBeNull();
	});
});

describe('editing a user', () => {
	it('changes name, role, language and teams; each team joined or left is its own audit row', () => {
		const c = smallClinic();
		const id = c.users.clinicianA.id;
		expect(updateUser(c.db, c.users.admin, id, { displayName: 'Clin A', role: 'team_lead', preferredLocale: 'en', teamIds: [c.teamB] }, '10.0.0.2', now)).toEqual({ ok: true, username: 'clin-a' });
		expect(findOrganisationUser(c.db, c.users.admin.organisationId, id)).toMatchObject({ displayName: 'Clin A', role: 'team_lead', preferredLocale: 'en', teamIds: [c.teamB] });
		expect(log(c)).toEqual([
			['user_changed', `user ${id}: name, role clinician → team_lead, language nb → en`],
			['team_member_removed', `user ${id} from team ${c.teamA}`],
			['team_member_added', `user ${id} to team ${c.teamB}`]
		]);
		// Several teams at once.
		expect(updateUser(c.db, c.users.admin, id, { displayName: 'Clin A', role: 'team_lead', preferredLocale: 'en', teamIds: [c.teamA, c.teamB] }, null, now).ok).toBe(true);
		expect(c.db.select().from(teamMemberships).where(eq(teamMemberships.userId, id)).all()).toHaveLength(2);
	});

	it('refuses an unknown team, another organisation’s user, and the admin demoting themself; stores nothing', () => {
		const c = smallClinic();
		const before = JSON.stringify([c.db.select().from(users).all(), c.db.select().from(teamMemberships).all()]);
		expect(updateUser(c.db, c.users.admin, c.users.clinicianA.id, { displayName: 'X', role: 'clinician', preferredLocale: 'nb', teamIds: [c.teamA, 9999] }, null, now)).toEqual({
			ok: false,
			reason: 'unknown_team'
		});
		expect(updateUser(c.db, { ...c.users.admin, organisationId: 999 }, c.users.clinicianA.id, { displayName: 'X', role: 'clinician', preferredLocale: 'nb', teamIds: [] }, null, now)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(updateUser(c.db, c.users.admin, c.users.admin.id, { displayName: 'X', role: 'clinician', preferredLocale: 'nb', teamIds: [c.teamA] }, null, now)).toEqual({
			ok: false,
			reason: 'self_role'
		});
		expect(JSON.stringify([c.db.select().from(users).all(), c.db.select().from(teamMemberships).all()])).toBe(before);
		expect(log(c)).toEqual([]);
	});
});

describe('one-time passwords', () => {
	it('a reset ends the user’s sessions; they sign in with it and must choose their own, not the same one', async () => {
		const c = smallClinic();
		const id = c.users.clinicianA.id;
		const old = createSession(c.db, id, now);
		expect(await resetPassword(c.db, c.users.admin, id, GOOD, null, now)).toEqual({ ok: true, username: 'clin-a' });
		expect(validateSessionToken(c.db, old.token, now).session).toBeNull();
		const signed = await signIn(c.db, { username: 'clin-a', password: GOOD, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now);
		expect(signed.ok && signed.user.mustChangePassword).toBe(true);
		if (!signed.ok) return;
		const session = validateSessionToken(c.db, signed.token, now);
		expect(session.user?.mustChangePassword).toBe(true);
		expect(await replaceOneTimePassword(c.db, signed.user, session.session!.id, GOOD, null, now)).toEqual({ ok: false, reason: 'same_as_one_time' });
		expect(await replaceOneTimePassword(c.db, signed.user, session.session!.id, 'kort', null, now)).toEqual({ ok: false, reason: 'weak_password', problem: 'too_short' });
		expect(await replaceOneTimePassword(c.db, signed.user, session.session!.id, OWN, null, now)).toEqual({ ok: true });
		expect(validateSessionToken(c.db, signed.token, now).user?.mustChangePassword).toBe(false);
		// The admin's password no longer opens the account; the user's own does.
		expect((await signIn(c.db, { username: 'clin-a', password: GOOD, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now)).ok).toBe(false);
		expect((await signIn(c.db, { username: 'clin-a', password: OWN, address: '10.0.0.1', clinicNetworks: ANYWHERE_INSIDE }, now)).ok).toBe(true);
		expect(await replaceOneTimePassword(c.db, signed.user, session.session!.id, 'en helt annen passfrase', null, now)).toEqual({ ok: false, reason: 'not_required' });
		expect(log(c).map(([a]) => a)).toEqual(['password_reset', 'signed_in', 'password_changed', 'failed_sign_in', 'signed_in']);
	});

	it('refuses a weak one, the admin’s own account and another organisation’s user', async () => {
		const c = smallClinic();
		expect(await resetPassword(c.db, c.users.admin, c.users.clinicianA.id, 'password1234', null, now)).toEqual({ ok: false, reason: 'weak_password', problem: 'common' });
		expect(await resetPassword(c.db, c.users.admin, c.users.admin.id, GOOD, null, now)).toEqual({ ok: false, reason: 'self' });
		expect(await resetPassword(c.db, { ...c.users.admin, organisationId: 999 }, c.users.clinicianA.id, GOOD, null, now)).toEqual({ ok: false, reason: 'not_found' });
		expect(c.db.select().from(users).where(eq(users.mustChangePassword, true)).all()).toEqual([]);
	});

	it('a PIN reset clears the PIN and is audited', async () => {
		const c = smallClinic();
		c.db
			.update(users)
			.set({ pinHash: await hashPassword('2468') })
			.where(eq(users.id, c.users.clinicianA.id))
			.run();
		expect(resetPin(c.db, c.users.admin, c.users.clinicianA.id, null, now)).toEqual({ ok: true, username: 'clin-a' });
		expect(c.db.select({ pin: users.pinHash }).from(users).where(eq(users.id, c.users.clinicianA.id)).get()).toEqual({ pin: null });
		expect(log(c)).toEqual([['pin_reset', `user ${c.users.clinicianA.id}`]]);
	});
});

describe('the team lead', () => {
	function withEpisode() {
		const c = smallClinic();
		const episode = c.db.insert(episodes).values({ patientId: c.patientA, startDate: '2026-10-01', setting: 'outpatient' }).returning().get();
		const meeting = c.db.insert(milestoneMeetings).values({ episodeId: episode.id, scheduledDate: '2026-12-01', createdById: c.users.leadA.id, createdAt: now }).returning().get();
		return { c, episode, meeting };
	}

	it('is a team-lead user on that team; a clinician of the same team is not', () => {
		const c = smallClinic();
		expect(isTeamLeadOf(c.db, c.users.leadA, c.teamA)).toBe(true);
		expect(isTeamLeadOf(c.db, c.users.leadA, c.teamB)).toBe(false);
		expect(isTeamLeadOf(c.db, c.users.clinicianA, c.teamA)).toBe(false);
	});

	it('assigns the responsible clinician and the presenter from the team’s active members, audited on the patient', () => {
		const { c, episode, meeting } = withEpisode();
		expect(assignResponsible(c.db, c.users.leadA, c.teamA, episode.id, c.users.clinicianA.id, null, now)).toEqual({ ok: true });
		expect(assignResponsible(c.db, c.users.leadA, c.teamA, episode.id, c.users.clinicianB.id, null, now)).toEqual({ ok: false, reason: 'not_member' });
		expect(assignResponsible(c.db, c.users.leadA, c.teamB, episode.id, null, null, now)).toEqual({ ok: false, reason: 'not_found' });
		// The presenter is someone other than the responsible clinician.
		expect(assignPresenter(c.db, c.users.leadA, c.teamA, meeting.id, c.users.clinicianA.id, null, now)).toEqual({ ok: false, reason: 'not_member' });
		expect(assignPresenter(c.db, c.users.leadA, c.teamA, meeting.id, c.users.leadA.id, null, now)).toEqual({ ok: true });
		expect(c.db.select().from(episodes).get()?.responsibleId).toBe(c.users.clinicianA.id);
		expect(c.db.select().from(milestoneMeetings).get()?.presenterId).toBe(c.users.leadA.id);
		expect(c.db.select({ a: auditEvents.action, p: auditEvents.patientId }).from(auditEvents).all()).toEqual([
			{ a: 'responsible_assigned', p: c.patientA },
			{ a: 'presenter_assigned', p: c.patientA }
		]);
	});

	it('manages the membership: adds active staff (never an admin), removes members but not themself', () => {
		const c = smallClinic();
		expect(leadAddMember(c.db, c.users.leadA, c.teamA, c.users.clinicianB.id, null, now)).toEqual({ ok: true });
		expect(leadAddMember(c.db, c.users.leadA, c.teamA, c.users.admin.id, null, now)).toEqual({ ok: false, reason: 'not_allowed' });
		expect(leadRemoveMember(c.db, c.users.leadA, c.teamA, c.users.leadA.id, null, now)).toEqual({ ok: false, reason: 'self' });
		expect(leadRemoveMember(c.db, c.users.leadA, c.teamA, c.users.clinicianA.id, null, now)).toEqual({ ok: true });
		expect(
			c.db
				.select()
				.from(teamMemberships)
				.where(eq(teamMemberships.teamId, c.teamA))
				.all()
				.map((m) => m.userId)
				.sort()
		).toEqual([c.users.clinicianB.id, c.users.leadA.id].sort());
		expect(log(c)).toEqual([
			['team_member_added', `user ${c.users.clinicianB.id} to team ${c.teamA}`],
			['team_member_removed', `user ${c.users.clinicianA.id} from team ${c.teamA}`]
		]);
	});

	it('the team page is only for a lead of the team, and audits the list it shows', () => {
		const { c } = withEpisode();
		expect(openTeamPage(c.db, c.users.clinicianA, c.teamA, null, now)).toBeNull();
		expect(openTeamPage(c.db, c.users.leadA, c.teamB, null, now)).toBeNull();
		const page = openTeamPage(c.db, c.users.leadA, null, null, now);
		expect(page?.view.episodes.map((e) => e.patientCode)).toEqual(['A-1']);
		expect(page?.view.candidates.map((p) => p.name)).toEqual(['clin-b']);
		expect(log(c)).toEqual([['viewed_patient_list', `team page ${c.teamA}: 1 episodes`]]);
	});
});

describe('deactivated users leave every picker', () => {
	it('the team’s members for responsible clinician, action owner and presenter skip them', () => {
		const c = smallClinic();
		expect(teamMembers(c.db, c.teamA).map((m) => m.name)).toEqual(['clin-a', 'lead-a']);
		setUserDisabled(c.db, c.users.admin, c.users.clinicianA.id, true, null, now);
		expect(teamMembers(c.db, c.teamA).map((m) => m.name)).toEqual(['lead-a']);
		expect(
			c.db
				.select()
				.from(sessions)
				.where(and(eq(sessions.userId, c.users.clinicianA.id)))
				.all()
		).toEqual([]);
	});
});

describe('the audit trail the admin reads', () => {
	it('names the event and the record, never what the treating team wrote or what fired', () => {
		expect(adminDetail('checklist_assessed', 'episode 12: earlier-dropout=yes, housing=yes')).toBe('episode 12');
		expect(adminDetail('flag_raised', 'flag 7 signal:alliance-drop (alliance 28 → 21)')).toBe('flag 7');
		expect(adminDetail('action_agreed', 'action 3 call-today owner 4 due 2026-11-30 on flag 7')).toBe('action 3, flag 7');
		expect(adminDetail('rated', 'stemme-outcome-adult v1 total 22.5')).toBeNull();
		expect(adminDetail('team_member_added', 'user 4 to team 2')).toBe('user 4 to team 2');
		expect(adminDetail('user_created', 'user 5 nina (clinician), one-time password')).toBe('user 5 nina (clinician), one-time password');
	});
});
