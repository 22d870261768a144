import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { auditEvents, episodes, flags, meetingRecords, milestoneMeetings, riskActions } from '../db/schema';
import { episodeMeetings, meetingDates, meetingOfPatient, meetingVersions, planMeeting, recordMeeting, saveMeeting } from './meetings';
import { meetingList } from './meeting-list';
import { addGoal, currentGoals, episodeGoals, updateGoal, currentDischargePlan, recordDischargePlan } from './plan';
import { riskConfigFrom } from '../risk/config';

const config = riskConfigFrom({});
const TODAY = '2026-11-23';
const DAY_START = new Date('2026-11-22T23:00:00Z');
const NOW = new Date('2026-11-23T10:00:00Z');
const record = {
	heldOn: '2026-10-29',
	participants: { patientPresent: true, people: [{ role: 'psykolog', name: 'Kari' }] },
	answers: { useful: 'Ja, mest samtalene.' },
	decisions: 'Fortsette som nå.',
	patientWords: 'Jeg vil klare jobben.',
	nextDate: null
};

function clinic(start = '2026-10-01', setting: 'outpatient' | 'inpatient' = 'outpatient') {
	const c = smallClinic();
	const episode = c.db.insert(episodes).values({ patientId: c.patientA, startDate: start, setting, responsibleId: c.users.clinicianA.id }).returning().get();
	const ids = { episodeId: episode.id, patientId: c.patientA };
	const list = (horizonDays = 14, today = TODAY) => meetingList(c.db, c.users.leadA, config, { scope: 'team', horizonDays }, today, DAY_START);
	return { ...c, episode, ids, list };
}

describe('when the next milestone meeting is due', () => {
	it('four weeks after the start before any meeting; overdue the day after', () => {
		const c = clinic('2026-10-01');
		expect(c.list(28, '2026-10-20')[0]?.due).toEqual({ date: '2026-10-29', source: 'interval', status: 'due' });
		expect(c.list(28, '2026-10-30')[0]?.due.status).toBe('overdue');
		expect(c.list(7, '2026-10-20')).toEqual([]);
	});

	it('uses the episode’s own interval, else the setting’s configured one', () => {
		const c = clinic('2026-10-01', 'inpatient');
		c.db.update(episodes).set({ milestoneIntervalDays: 42 }).where(eq(episodes.id, c.episode.id)).run();
		expect(c.list(60, '2026-10-02')[0]?.due.date).toBe('2026-11-12');
		const six = meetingList(c.db, c.users.leadA, riskConfigFrom({ STEMME_MILESTONE_DAYS_INPATIENT: '42' }), { scope: 'team', horizonDays: 60 }, '2026-10-02', DAY_START);
		expect(six[0]?.intervalDays).toBe(42);
	});

	it('counts from the last held meeting and takes the next date it agreed', () => {
		const c = clinic('2026-09-01');
		const m = planMeeting(c.db, c.users.leadA, { ...c.ids, date: '2026-09-29', presenterId: c.users.leadA.id, calledEarly: false, flagId: null }, NOW);
		recordMeeting(c.db, c.users.leadA, { ...m, episodeOpen: true }, c.patientA, { ...record, heldOn: '2026-09-29', nextDate: null }, new Date('2026-09-29T12:00:00Z'));
		expect(c.list(28, '2026-10-10')[0]?.due).toMatchObject({ date: '2026-10-27', source: 'interval' });
		const again = planMeeting(c.db, c.users.leadA, { ...c.ids, date: '2026-10-27', presenterId: null, calledEarly: false, flagId: null }, NOW);
		recordMeeting(c.db, c.users.leadA, { ...again, episodeOpen: true }, c.patientA, { ...record, heldOn: '2026-10-27', nextDate: '2026-11-17' }, new Date('2026-10-27T12:00:00Z'));
		expect(c.list(28, '2026-11-01')[0]?.due).toMatchObject({ date: '2026-11-17', source: 'planned', status: 'due' });
		expect(c.list(28, '2026-11-18')[0]?.due.status).toBe('overdue');
	});

	it('a meeting called early from a flag moves the planned one earlier, never later, and remembers the flag', () => {
		const c = clinic('2026-11-01');
		planMeeting(c.db, c.users.leadA, { ...c.ids, date: '2026-11-29', presenterId: null, calledEarly: false, flagId: null }, NOW);
		const flag = c.db
			.insert(flags)
			.values({ episodeId: c.episode.id, key: 'signal:alliance-below-cutoff', source: 'signal', rule: 'alliance-below-cutoff', rulesVersion: 1, params: {}, text: 'x', raisedAt: NOW })
			.returning()
			.get();
		const early = planMeeting(c.db, c.users.leadA, { ...c.ids, date: '2026-11-25', presenterId: null, calledEarly: true, flagId: flag.id }, NOW);
		expect(early).toMatchObject({ scheduledDate: '2026-11-25', calledEarly: true, flagId: flag.id });
		expect(c.db.select().from(milestoneMeetings).all()).toHaveLength(1);
		// Calling it "early" for a later date keeps the earlier one.
		expect(planMeeting(c.db, c.users.leadA, { ...c.ids, date: '2026-12-10', presenterId: null, calledEarly: true, flagId: null }, NOW).scheduledDate).toBe('2026-11-25');
		expect(meetingDates(c.db, [c.episode.id]).get(c.episode.id)?.planned).toMatchObject({ date: '2026-11-25', calledEarly: true });
		expect(c.list(7)[0]?.due).toMatchObject({ date: '2026-11-25', source: 'planned', status: 'due' });
	});

	it('lists the most at-risk patients first', () => {
		const c = clinic('2026-10-01');
		const calm = c.db.insert(episodes).values({ patientId: c.patientA, startDate: '2026-10-02', setting: 'outpatient' }).returning().get();
		c.db
			.insert(flags)
			.values({
				episodeId: calm.id,
				key: 'signal:long-gap',
				source: 'signal',
				rule: 'long-gap',
				rulesVersion: 1,
				params: {},
				text: 'x',
				raisedAt: NOW,
				acknowledgedAt: NOW,
				acknowledgedById: c.users.leadA.id
			})
			.run();
		c.db.insert(flags).values({ episodeId: c.episode.id, key: 'signal:missed-recently', source: 'signal', rule: 'missed-recently', rulesVersion: 1, params: {}, text: 'x', raisedAt: NOW }).run();
		expect(c.list(60).map((r) => r.episodeId)).toEqual([c.episode.id, calm.id]);
	});

	it('shows only the teams the user may see', () => {
		const c = clinic();
		expect(meetingList(c.db, c.users.clinicianB, config, { scope: 'team', horizonDays: 60 }, TODAY, DAY_START)).toEqual([]);
	});
});

describe('recording a meeting', () => {
	it('keeps every version, marks the meeting held once, and audits each save', () => {
		const c = clinic();
		const m = planMeeting(c.db, c.users.leadA, { ...c.ids, date: '2026-10-29', presenterId: c.users.leadA.id, calledEarly: false, flagId: null }, NOW);
		const found = meetingOfPatient(c.db, m.id, c.patientA)!;
		recordMeeting(c.db, c.users.leadA, found, c.patientA, record, new Date('2026-10-29T12:00:00Z'));
		recordMeeting(c.db, c.users.clinicianA, meetingOfPatient(c.db, m.id, c.patientA)!, c.patientA, { ...record, decisions: 'Fortsette; legge til nettverksmøte.' }, new Date('2026-10-30T09:00:00Z'));
		const versions = meetingVersions(c.db, m.id);
		expect(versions.map((v) => [v.version, v.decisions, v.recordedBy])).toEqual([
			[2, 'Fortsette; legge til nettverksmøte.', 'clin-a'],
			[1, 'Fortsette som nå.', 'lead-a']
		]);
		expect(c.db.select().from(milestoneMeetings).where(eq(milestoneMeetings.id, m.id)).get()?.heldAt).toEqual(new Date('2026-10-29T12:00:00Z'));
		const [summary] = episodeMeetings(c.db, c.episode.id);
		expect(summary).toMatchObject({ versions: 2, presenter: 'lead-a', record: { version: 2, patientWords: 'Jeg vil klare jobben.' } });
		const audits = c.db.select().from(auditEvents).where(eq(auditEvents.action, 'meeting_recorded')).all();
		expect(audits.map((a) => a.detail)).toEqual([`meeting ${m.id} version 1`, `meeting ${m.id} version 2`]);
		expect(c.db.select().from(meetingRecords).all()).toHaveLength(2);
	});

	it('a meeting recorded before its planned date is dated the day it was held, apart from the next one planned', () => {
		const c = clinic();
		const m = planMeeting(c.db, c.users.leadA, { ...c.ids, date: '2026-10-29', presenterId: null, calledEarly: false, flagId: null }, NOW);
		// Held a week early, on 2026-10-22; the next is agreed for 2026-11-19.
		recordMeeting(c.db, c.users.leadA, meetingOfPatient(c.db, m.id, c.patientA)!, c.patientA, { ...record, heldOn: '2026-10-22', nextDate: '2026-11-19' }, new Date('2026-10-22T12:00:00Z'));
		const all = episodeMeetings(c.db, c.episode.id);
		expect(all.map((x) => [x.id === m.id, x.scheduledDate, x.heldAt !== null])).toEqual([
			[true, '2026-10-22', true],
			[false, '2026-11-19', false]
		]);
		// A later version of the record does not move the held date.
		recordMeeting(c.db, c.users.leadA, meetingOfPatient(c.db, m.id, c.patientA)!, c.patientA, { ...record, heldOn: '2026-10-24', nextDate: null }, new Date('2026-10-24T12:00:00Z'));
		expect(episodeMeetings(c.db, c.episode.id)[0]?.scheduledDate).toBe('2026-10-22');
	});

	it('finds a meeting only through its own patient', () => {
		const c = clinic();
		const m = planMeeting(c.db, c.users.leadA, { ...c.ids, date: '2026-10-29', presenterId: null, calledEarly: false, flagId: null }, NOW);
		expect(meetingOfPatient(c.db, m.id, c.patientB)).toBeNull();
	});
});

describe('saving the record form (one use case, one transaction)', () => {
	const audits = (c: ReturnType<typeof clinic>) =>
		c.db
			.select()
			.from(auditEvents)
			.all()
			.filter((a) => a.action.startsWith('meeting_') || a.action === 'action_agreed');
	const actions = (c: ReturnType<typeof clinic>) => [{ what: 'Ringe NAV om bolig', ownerId: c.users.clinicianA.id, dueDate: '2026-11-30' }];

	it('with no meeting planned: plans it on the day held, saves the record and its actions, each audited', () => {
		const c = clinic();
		const saved = saveMeeting(c.db, c.users.leadA, c.ids, null, { ...record, heldOn: '2026-11-20', nextDate: '2026-12-18' }, actions(c), NOW)!;
		const all = episodeMeetings(c.db, c.episode.id);
		expect(all.map((x) => [x.id === saved.meetingId, x.scheduledDate, x.heldAt !== null])).toEqual([
			[true, '2026-11-20', true],
			[false, '2026-12-18', false]
		]);
		expect(
			c.db
				.select()
				.from(riskActions)
				.all()
				.map((a) => [a.meetingId, a.actionKey, a.note, a.ownerId, a.dueDate, a.episodeId])
		).toEqual([[saved.meetingId, 'other', 'Ringe NAV om bolig', c.users.clinicianA.id, '2026-11-30', c.episode.id]]);
		expect(audits(c).map((a) => [a.action, a.patientId])).toEqual([
			['meeting_planned', c.patientA],
			['meeting_recorded', c.patientA],
			['action_agreed', c.patientA]
		]);
	});

	it('with a planned meeting: records that one, adds no second meeting', () => {
		const c = clinic();
		const m = planMeeting(c.db, c.users.leadA, { ...c.ids, date: '2026-11-26', presenterId: null, calledEarly: false, flagId: null }, NOW);
		const saved = saveMeeting(c.db, c.users.leadA, c.ids, m.id, { ...record, heldOn: '2026-11-23' }, [], NOW)!;
		expect(saved.meetingId).toBe(m.id);
		expect(c.db.select().from(milestoneMeetings).all()).toHaveLength(1);
		expect(c.db.select().from(riskActions).all()).toEqual([]);
	});

	it('a meeting of another patient or episode is not found, and nothing is stored', () => {
		const c = clinic();
		const other = c.db.insert(episodes).values({ patientId: c.patientB, startDate: '2026-10-01', setting: 'outpatient' }).returning().get();
		const foreign = planMeeting(c.db, c.users.leadA, { episodeId: other.id, patientId: c.patientB, date: '2026-11-26', presenterId: null, calledEarly: false, flagId: null }, NOW);
		const before = c.db.select().from(auditEvents).all().length;
		expect(saveMeeting(c.db, c.users.leadA, c.ids, foreign.id, record, actions(c), NOW)).toBeNull();
		expect(c.db.select().from(meetingRecords).all()).toEqual([]);
		expect(c.db.select().from(riskActions).all()).toEqual([]);
		expect(c.db.select().from(auditEvents).all()).toHaveLength(before);
	});

	it('a failure part-way (an owner who does not exist) stores nothing: no meeting, record or audit row', () => {
		const c = clinic();
		const before = c.db.select().from(auditEvents).all().length;
		expect(() => saveMeeting(c.db, c.users.leadA, c.ids, null, record, [{ what: 'x', ownerId: 999_999, dueDate: '2026-11-30' }], NOW)).toThrow();
		expect(c.db.select().from(milestoneMeetings).all()).toEqual([]);
		expect(c.db.select().from(meetingRecords).all()).toEqual([]);
		expect(c.db.select().from(auditEvents).all()).toHaveLength(before);
	});
});

describe('the treatment plan and discharge plan', () => {
	it('goals keep their earlier words and statuses', () => {
		const c = clinic();
		const id = addGoal(c.db, c.users.clinicianA, c.ids, 'Klare å være i jobb hele uka', 'in-progress', NOW);
		updateGoal(c.db, c.users.clinicianA, c.patientA, id, 'Klare å være i jobb hele uka', 'achieved', new Date('2026-11-24T10:00:00Z'));
		expect(episodeGoals(c.db, c.episode.id)).toEqual([expect.objectContaining({ id, status: 'achieved', versions: 2, recordedBy: 'clin-a' })]);
		expect(c.db.select().from(auditEvents).where(eq(auditEvents.action, 'goal_recorded')).all()).toHaveLength(2);
	});

	it('the current goals (for the patient page and the together view) are the newest words of those not dropped', () => {
		const c = clinic();
		const work = addGoal(c.db, c.users.clinicianA, c.ids, 'Jobbe tre dager i uka', 'in-progress', NOW);
		const drop = addGoal(c.db, c.users.clinicianA, c.ids, 'Flytte', 'not-started', NOW);
		updateGoal(c.db, c.users.clinicianA, c.patientA, work, 'Jobbe fire dager i uka', 'achieved', NOW);
		updateGoal(c.db, c.users.clinicianA, c.patientA, drop, 'Flytte', 'dropped', NOW);
		expect(currentGoals(c.db, c.episode.id)).toEqual([{ id: work, text: 'Jobbe fire dager i uka', status: 'achieved' }]);
	});

	it('the discharge plan in force is the newest version', () => {
		const c = clinic();
		const plan = {
			housing: 'Egen leilighet fra januar',
			activity: 'Arbeidstrening',
			economy: 'NAV',
			followUpTeam: 'Ansvarsgruppe hos kommunen',
			contactPerson: 'Per',
			contactPhone: '+47 400 00 000',
			followUpRatingDate: '2027-03-01'
		};
		recordDischargePlan(c.db, c.users.clinicianA, c.ids, plan, NOW);
		recordDischargePlan(c.db, c.users.clinicianA, c.ids, { ...plan, housing: 'Bolig via kommunen' }, new Date('2026-11-24T10:00:00Z'));
		expect(currentDischargePlan(c.db, c.episode.id)?.plan.housing).toBe('Bolig via kommunen');
	});
});
