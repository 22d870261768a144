import { describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { smallClinic } from './test/fixtures';
import { applyDueTransitions, endEpisode, episodeOfPatient, recordTransition, reopenEpisode, startEpisode, type NewEpisode } from './episode-course';
import { closeOutreachTask, openOutreachTasks, outreachTaskOfPatient, recordAttempt } from './outreach';
import { findPatientForUser, listPatients } from './patients';
import { findAppointmentForUser } from './appointments';
import { absencePlans, appointments, checklistAnswers, episodes, flags, outreachTasks, patients } from './db/schema';
import { DEFAULT_CHECKLIST } from '$lib/domain/checklist';
import { caseload } from './risk/caseload';
import { episodeConditions } from './risk/flags';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry } from '$lib/domain/registry';
import { riskConfigFrom } from './risk/config';
import { episodeRecords } from './patients';

const now = new Date('2026-11-23T10:00:00Z');
const today = '2026-11-23';
const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const registry = made.registry;
const config = riskConfigFrom({});

function clinic() {
	const c = smallClinic();
	const patient = () => c.db.select().from(patients).where(eq(patients.id, c.patientA)).get()!;
	const ep = (over: Partial<NewEpisode> = {}): NewEpisode => ({
		teamId: c.teamA,
		setting: 'outpatient',
		responsibleId: c.users.clinicianA.id,
		startDate: '2026-10-01',
		sessionIntervalDays: 7,
		plannedEnd: '2027-03-01',
		referralReason: 'Henvist fra fastlege',
		...over
	});
	const open = (over: Partial<NewEpisode> = {}) => {
		const r = startEpisode(c.db, c.users.clinicianA, patient(), ep(over), DEFAULT_CHECKLIST, now);
		if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
		return r;
	};
	const episode = (id: number) => c.db.select().from(episodes).where(eq(episodes.id, id)).get()!;
	return { ...c, patient, ep, open, episode };
}

describe('opening an episode', () => {
	it('stores team, setting, responsible, dates, interval and referral; audited', () => {
		const c = clinic();
		const r = c.open();
		expect(r.episode).toMatchObject({
			teamId: c.teamA,
			setting: 'outpatient',
			responsibleId: c.users.clinicianA.id,
			startDate: '2026-10-01',
			plannedEnd: '2027-03-01',
			sessionIntervalDays: 7,
			referralReason: 'Henvist fra fastlege',
			actualEnd: null
		});
		expect(r.earlierDropout).toBeNull();
	});

	it.each([
		['another team', { teamId: 'B' }, { field: 'teamId', reason: 'not-your-team' }],
		['a responsible clinician of another team', { responsibleId: 'B' }, { field: 'responsibleId', reason: 'not-in-team' }],
		['a planned end in the past', { plannedEnd: '2026-11-01' }, { field: 'plannedEnd', reason: 'in-past' }],
		['a planned end before the start', { startDate: '2027-05-01', plannedEnd: '2027-04-01' }, { field: 'plannedEnd', reason: 'before-start' }]
	] as const)('refuses %s', (_, over, expected) => {
		const c = clinic();
		const fixed = { ...over, ...('teamId' in over ? { teamId: c.teamB } : {}), ...('responsibleId' in over ? { responsibleId: c.users.clinicianB.id } : {}) } as Partial<NewEpisode>;
		expect(startEpisode(c.db, c.users.clinicianA, c.patient(), c.ep(fixed), DEFAULT_CHECKLIST, now)).toEqual({ ok: false, ...expected });
		expect(c.db.select().from(episodes).all()).toEqual([]);
	});

	it('allows one open episode per patient and team', () => {
		const c = clinic();
		const first = c.open();
		expect(startEpisode(c.db, c.users.clinicianA, c.patient(), c.ep(), DEFAULT_CHECKLIST, now)).toEqual({ ok: false, field: 'teamId', reason: 'already-open', episodeId: first.episode.id });
	});
});

describe('a transition to another team', () => {
	it('moves the whole episode: the receiving team sees it, the sending team gets not-found', () => {
		const c = clinic();
		const { episode } = c.open();
		const appt = c.db
			.insert(appointments)
			.values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: new Date('2026-10-08T09:00:00Z'), status: 'attended' })
			.returning()
			.get();
		const r = recordTransition(c.db, c.users.clinicianA, c.patient(), episode, { date: today, kind: 'team', toTeamId: c.teamB, toSetting: 'inpatient', place: '', note: '' }, now);
		expect(r).toMatchObject({ ok: true, planned: false });
		expect(c.episode(episode.id)).toMatchObject({ teamId: c.teamB, setting: 'inpatient' });
		expect(findPatientForUser(c.db, c.users.clinicianB, c.patientA)?.id).toBe(c.patientA);
		expect(findAppointmentForUser(c.db, c.users.clinicianB, appt.id)?.appointment.id).toBe(appt.id);
		expect(findPatientForUser(c.db, c.users.clinicianA, c.patientA)).toBeNull();
		expect(findAppointmentForUser(c.db, c.users.clinicianA, appt.id)).toBeNull();
		expect(listPatients(c.db, c.users.clinicianA).map((p) => p.code)).toEqual([]);
		expect(
			listPatients(c.db, c.users.clinicianB)
				.map((p) => p.code)
				.sort()
		).toEqual(['A-1', 'B-1']);
		expect(caseload(c.db, c.users.clinicianB, { scope: 'team', kind: 'all', setting: 'all' }, today, now).rows.map((x) => x.episodeId)).toEqual([episode.id]);
		expect(caseload(c.db, c.users.clinicianA, { scope: 'team', kind: 'all', setting: 'all' }, today, now).rows).toEqual([]);
	});

	it('a planned one moves nothing until its day, and the risk rule reads its date', () => {
		const c = clinic();
		const { episode } = c.open();
		const r = recordTransition(
			c.db,
			c.users.clinicianA,
			c.patient(),
			episode,
			{ date: '2026-12-01', kind: 'prison', toTeamId: c.teamA, toSetting: 'outpatient', place: 'Oslo fengsel', note: '' },
			now
		);
		expect(r).toMatchObject({ ok: true, planned: true });
		expect(applyDueTransitions(c.db, now)).toBe(0);
		const record = episodeRecords(c.db, registry, [c.episode(episode.id)])[0]!;
		// 8 days ahead: within the rule's 14 days either side.
		const conditions = episodeConditions(c.db, registry, config, record, 1990, undefined, now, { transitions: ['2026-12-01'] });
		expect(conditions.find((x) => x.rule === 'transition-near')?.params).toEqual({ days: 8 });
		expect(applyDueTransitions(c.db, new Date('2026-12-01T08:00:00Z'))).toBe(1);
	});

	it.each([
		['before the start', { date: '2026-09-01' }, { field: 'date', reason: 'before-start' }],
		['to another organisation’s or no team', { toTeamId: 9999 }, { field: 'toTeamId', reason: 'unknown-team' }],
		['that moves nothing (same team, same setting)', { kind: 'setting' }, { field: 'kind', reason: 'nothing-moves' }],
		['to prison without where', { kind: 'prison', place: ' ' }, { field: 'place', reason: 'required' }]
	] as const)('refuses one %s', (_, over, expected) => {
		const c = clinic();
		const { episode } = c.open();
		expect(recordTransition(c.db, c.users.clinicianA, c.patient(), episode, { date: today, kind: 'team', toTeamId: c.teamA, toSetting: 'outpatient', place: '', note: '', ...over }, now)).toEqual({
			ok: false,
			...expected
		});
		expect(c.episode(episode.id).teamId).toBe(c.teamA);
	});
});

describe('ending, outreach, reopening and returning', () => {
	it('a drop-out closes the flags, cancels later bookings and opens an outreach task; attempts; reopened → re-engaged', () => {
		const c = clinic();
		const { episode } = c.open();
		c.db.insert(flags).values({ episodeId: episode.id, key: 'signal:long-gap', source: 'signal', rule: 'long-gap', rulesVersion: 2, params: {}, text: 't', raisedAt: now }).run();
		c.db
			.insert(appointments)
			.values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: new Date('2026-11-30T09:00:00Z') })
			.run();
		const ending = { reason: 'dropout', endDate: today, lastAttendedDate: '2026-10-29', note: '', withoutDischargePlan: false } as const;
		expect(endEpisode(c.db, c.users.clinicianA, c.patient(), episode, ending, false, now)).toEqual({ ok: false, field: 'withoutDischargePlan', reason: 'discharge-plan-missing' });
		const r = endEpisode(c.db, c.users.clinicianA, c.patient(), episode, { ...ending, withoutDischargePlan: true }, false, now);
		expect(r).toMatchObject({ ok: true, flagsClosed: 1, cancelled: 1 });
		expect(c.db.select({ resolution: flags.resolution }).from(flags).all()).toEqual([{ resolution: 'episode-ended' }]);
		expect(c.episode(episode.id)).toMatchObject({ actualEnd: today, endReason: 'dropout', lastAttendedDate: '2026-10-29' });
		const tasks = openOutreachTasks(c.db, c.users.leadA, false);
		expect(tasks.map((t) => [t.reason, t.ownerId])).toEqual([['dropout', c.users.clinicianA.id]]);
		expect(openOutreachTasks(c.db, c.users.clinicianB, false)).toEqual([]);
		const task = outreachTaskOfPatient(c.db, c.patientA, tasks[0]!.taskId)!;
		expect(recordAttempt(c.db, c.users.clinicianA, c.patientA, task, { date: today, channel: 'phone', result: 'no-answer', note: '' }, today, now)).toMatchObject({ ok: true });
		expect(recordAttempt(c.db, c.users.clinicianA, c.patientA, task, { date: today, channel: 'letter', result: 'appointment-agreed', note: '' }, today, now)).toMatchObject({ ok: true });
		expect(recordAttempt(c.db, c.users.clinicianA, c.patientA, task, { date: '2026-11-24', channel: 'letter', result: 'reached', note: '' }, today, now)).toEqual({
			ok: false,
			field: 'date',
			reason: 'in-future'
		});
		expect(openOutreachTasks(c.db, c.users.leadA, false)[0]?.attempts).toBe(2);
		const later = new Date('2026-12-01T10:00:00Z');
		expect(reopenEpisode(c.db, c.users.clinicianA, c.patient(), c.episode(episode.id), 'Pasienten tok kontakt', later)).toEqual({ ok: true });
		expect(c.episode(episode.id)).toMatchObject({ actualEnd: null, endReason: null });
		expect(c.db.select({ outcome: outreachTasks.outcome, result: outreachTasks.resultEpisodeId }).from(outreachTasks).all()).toEqual([{ outcome: 're-engaged', result: episode.id }]);
	});

	it('refuses a drop-out on or after the planned end, an end before the start or in the future, and reopening after 30 days', () => {
		const c = clinic();
		const { episode } = c.open({ startDate: '2026-06-01', plannedEnd: '2026-12-01' });
		const end = (over: object) =>
			endEpisode(
				c.db,
				c.users.clinicianA,
				c.patient(),
				c.episode(episode.id),
				{ reason: 'dropout', endDate: today, lastAttendedDate: '2026-11-01', note: '', withoutDischargePlan: true, ...over },
				true,
				now
			);
		expect(end({ lastAttendedDate: null })).toEqual({ ok: false, field: 'lastAttendedDate', reason: 'lastAttended-required' });
		expect(end({ endDate: '2026-05-01' })).toEqual({ ok: false, field: 'endDate', reason: 'endDate-before-start' });
		expect(end({ endDate: '2026-11-24' })).toEqual({ ok: false, field: 'endDate', reason: 'endDate-in-future' });
		expect(end({ lastAttendedDate: '2026-11-24' })).toEqual({ ok: false, field: 'lastAttendedDate', reason: 'lastAttended-after-end' });
		expect(end({ reason: 'planned_completion', endDate: '2026-10-24' })).toMatchObject({ ok: true });
		// Ended 2026-10-24, 30 days before today: a return is a new episode.
		expect(reopenEpisode(c.db, c.users.clinicianA, c.patient(), c.episode(episode.id), 'x', now)).toEqual({ ok: false, field: 'episode', reason: 'too-late' });
	});

	it('a new episode after a drop-out pre-fills the "earlier drop-out" factor with the date, and closes the outreach task as re-engaged', () => {
		const c = clinic();
		const { episode } = c.open({ startDate: '2026-03-01', plannedEnd: '2027-01-01' });
		endEpisode(c.db, c.users.clinicianA, c.patient(), episode, { reason: 'dropout', endDate: '2026-11-20', lastAttendedDate: '2026-10-01', note: '', withoutDischargePlan: true }, false, now);
		const second = c.open({ startDate: today, plannedEnd: '2027-06-01' });
		expect(second.earlierDropout).toEqual({ episodeId: episode.id, endedOn: '2026-11-20' });
		const answer = c.db
			.select()
			.from(checklistAnswers)
			.where(and(eq(checklistAnswers.episodeId, second.episode.id), eq(checklistAnswers.factorKey, 'earlier-dropout')))
			.get();
		expect(answer).toMatchObject({ answer: 'yes', factorDate: '2026-11-20' });
		expect(c.db.select({ outcome: outreachTasks.outcome, result: outreachTasks.resultEpisodeId }).from(outreachTasks).all()).toEqual([{ outcome: 're-engaged', result: second.episode.id }]);
	});

	it('a drop-out that was reopened and then completed still pre-fills the factor of the next episode', () => {
		const c = clinic();
		const { episode } = c.open({ startDate: '2026-03-01', plannedEnd: '2027-01-01' });
		endEpisode(
			c.db,
			c.users.clinicianA,
			c.patient(),
			episode,
			{ reason: 'dropout', endDate: '2026-11-10', lastAttendedDate: '2026-10-01', note: '', withoutDischargePlan: true },
			false,
			new Date('2026-11-10T10:00:00Z')
		);
		expect(reopenEpisode(c.db, c.users.clinicianA, c.patient(), c.episode(episode.id), 'Tilbake', new Date('2026-11-15T10:00:00Z'))).toEqual({ ok: true });
		endEpisode(
			c.db,
			c.users.clinicianA,
			c.patient(),
			c.episode(episode.id),
			{ reason: 'planned_completion', endDate: '2026-11-20', lastAttendedDate: null, note: '', withoutDischargePlan: true },
			false,
			now
		);
		expect(c.open({ startDate: today, plannedEnd: '2027-06-01' }).earlierDropout).toEqual({ episodeId: episode.id, endedOn: '2026-11-10' });
	});

	it('closes a task as declined or unreachable, once', () => {
		const c = clinic();
		const { episode } = c.open();
		endEpisode(c.db, c.users.clinicianA, c.patient(), episode, { reason: 'dropout', endDate: today, lastAttendedDate: today, note: '', withoutDischargePlan: true }, false, now);
		const task = c.db.select().from(outreachTasks).get()!;
		expect(closeOutreachTask(c.db, c.users.clinicianA, c.patientA, task, 'unreachable', now)).toEqual({ ok: true });
		const closed = c.db.select().from(outreachTasks).get()!;
		expect(closeOutreachTask(c.db, c.users.clinicianA, c.patientA, closed, 'declined', now)).toEqual({ ok: false, field: 'task', reason: 'closed' });
		expect(c.db.select().from(outreachTasks).where(isNull(outreachTasks.closedAt)).all()).toEqual([]);
	});

	it('only the episode’s own patient: an episode id of another patient is not found', () => {
		const c = clinic();
		const { episode } = c.open();
		expect(episodeOfPatient(c.db, c.patientB, episode.id)).toBeNull();
		expect(episodeOfPatient(c.db, c.patientA, episode.id)?.id).toBe(episode.id);
		expect(c.db.select().from(absencePlans).all()).toEqual([]);
	});
});
