import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic, testContext } from './test/fixtures';
import { appointments, auditEvents, episodes, flags, patients } from './db/schema';
import { bookAppointments, changeAttendance, changeSessionMode, moveAppointment, sameDayConflicts, type BookingInput } from './booking';
import { dayList } from './today';
import { riskConfigFrom } from './risk/config';
import { resetFittedModels } from './expected-models';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry } from '$lib/domain/registry';
import { clinicInstant } from '$lib/domain/booking';

const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const risk = { registry: made.registry, config: riskConfigFrom({}) };
// Monday 30 Nov 2026, 08:00 in Oslo.
const NOW = new Date('2026-11-30T07:00:00Z');

function clinic() {
	resetFittedModels();
	const c = smallClinic();
	const episode = c.db
		.insert(episodes)
		.values({ patientId: c.patientA, startDate: '2026-09-01', setting: 'outpatient', plannedEnd: '2027-01-31', sessionIntervalDays: 7, responsibleId: c.users.clinicianA.id })
		.returning()
		.get();
	const patient = c.db.select().from(patients).where(eq(patients.id, c.patientA)).get()!;
	const input = (over: Partial<BookingInput> = {}): BookingInput => ({
		date: '2026-12-01',
		time: '10:00',
		durationMinutes: 45,
		clinicianId: c.users.clinicianA.id,
		sessionMode: 'in_person',
		repeat: 'weekly',
		end: { kind: 'count', sessions: 40 },
		confirmSameDay: false,
		...over
	});
	const rows = () => c.db.select().from(appointments).where(eq(appointments.episodeId, episode.id)).orderBy(appointments.scheduledAt).all();
	return { ...c, episode, patient, input, rows };
}

describe('booking', () => {
	it('books a 40-session weekly series in one go, in Oslo time across the new year, with one audit line', () => {
		const c = clinic();
		const r = bookAppointments(c.db, c.users.clinicianA, { patient: c.patient, episode: c.episode }, c.input(), NOW);
		expect(r).toMatchObject({ ok: true });
		const rows = c.rows();
		expect(rows).toHaveLength(40);
		// 10:00 in Oslo in winter is 09:00 UTC; session 18 (1 Dec + 17 weeks = 30 Mar 2027) is in summer time, 08:00 UTC.
		expect(rows[0]!.scheduledAt.toISOString()).toBe('2026-12-01T09:00:00.000Z');
		expect(rows[17]!.scheduledAt.toISOString()).toBe('2027-03-30T08:00:00.000Z');
		expect(rows.every((a) => a.durationMinutes === 45 && a.status === 'scheduled')).toBe(true);
		const audit = c.db.select().from(auditEvents).where(eq(auditEvents.patientId, c.patientA)).all();
		expect(audit).toHaveLength(1);
		expect(audit[0]!.detail).toContain('40 appointments');
	});

	it('keeps the session type booked, and a change of it on the page is audited once', () => {
		const c = clinic();
		const r = bookAppointments(c.db, c.users.clinicianA, { patient: c.patient, episode: c.episode }, c.input({ sessionMode: 'video', repeat: 'none', end: null }), NOW);
		expect(r).toMatchObject({ ok: true });
		const [booked] = c.rows();
		expect(booked!.sessionMode).toBe('video');
		const ctx = testContext(c.db, { now: NOW });
		const access = { user: c.users.clinicianA, context: { appointment: booked!, patient: c.patient } };
		expect(changeSessionMode(ctx, access, 'phone')).toEqual({ ok: true, changed: true });
		expect(c.rows()[0]!.sessionMode).toBe('phone');
		expect(changeSessionMode(ctx, { ...access, context: { ...access.context, appointment: c.rows()[0]! } }, 'phone')).toEqual({ ok: true, changed: false });
		const lines = c.db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.patientId, c.patientA))
			.all()
			.map((a) => a.detail);
		expect(lines.filter((d) => d?.includes('session type'))).toEqual([`appointment ${booked!.id} session type video → phone`]);
	});

	it('stops at the planned end and refuses 10,000 sessions, storing nothing', () => {
		const c = clinic();
		expect(bookAppointments(c.db, c.users.clinicianA, { patient: c.patient, episode: c.episode }, c.input({ end: { kind: 'count', sessions: 10_000 } }), NOW)).toEqual({
			ok: false,
			reason: 'too_many',
			max: 104
		});
		expect(c.rows()).toHaveLength(0);
		// Every second week until 31 Jan 2027: 1 Dec, 15 Dec, 29 Dec, 12 Jan, 26 Jan.
		bookAppointments(c.db, c.users.clinicianA, { patient: c.patient, episode: c.episode }, c.input({ repeat: 'fortnightly', end: { kind: 'until', date: '2027-01-31' } }), NOW);
		expect(c.rows()).toHaveLength(5);
	});

	it('asks before a second appointment the same day, then books it when confirmed', () => {
		const c = clinic();
		bookAppointments(c.db, c.users.clinicianA, { patient: c.patient, episode: c.episode }, c.input({ repeat: 'none', end: null }), NOW);
		const second = c.input({ repeat: 'weekly', end: { kind: 'count', sessions: 3 }, time: '14:00' });
		expect(bookAppointments(c.db, c.users.clinicianA, { patient: c.patient, episode: c.episode }, second, NOW)).toEqual({ ok: false, reason: 'same_day', days: ['2026-12-01'] });
		expect(c.rows()).toHaveLength(1);
		expect(bookAppointments(c.db, c.users.clinicianA, { patient: c.patient, episode: c.episode }, { ...second, confirmSameDay: true }, NOW)).toMatchObject({ ok: true });
		expect(c.rows()).toHaveLength(4);
		// With the 10:00 cancelled, the confirmed 14:00 is the day's one appointment going ahead.
		const first = c.rows()[0]!;
		changeAttendance(c.db, risk, c.users.clinicianA, { appointment: first, episode: c.episode, patient: c.patient }, 'cancelled_by_clinic', NOW);
		expect(sameDayConflicts(c.db, c.patientA, ['2026-12-01'], null)).toEqual(['2026-12-01']);
	});

	it('moves a scheduled appointment with before and after in the audit trail, and refuses the past', () => {
		const c = clinic();
		bookAppointments(c.db, c.users.clinicianA, { patient: c.patient, episode: c.episode }, c.input({ repeat: 'none', end: null }), NOW);
		const a = c.rows()[0]!;
		expect(
			moveAppointment(
				c.db,
				c.users.clinicianA,
				{ appointment: a, patient: c.patient },
				{ date: '2026-11-29', time: '10:00', durationMinutes: 45, clinicianId: a.clinicianId, confirmSameDay: false },
				NOW
			)
		).toEqual({ ok: false, reason: 'in_past' });
		expect(
			moveAppointment(
				c.db,
				c.users.clinicianA,
				{ appointment: a, patient: c.patient },
				{ date: '2026-12-03', time: '13:30', durationMinutes: 60, clinicianId: c.users.leadA.id, confirmSameDay: false },
				NOW
			)
		).toEqual({ ok: true });
		const moved = c.rows()[0]!;
		expect([moved.scheduledAt.toISOString(), moved.durationMinutes, moved.clinicianId]).toEqual(['2026-12-03T12:30:00.000Z', 60, c.users.leadA.id]);
		const detail = c.db.select().from(auditEvents).all().at(-1)!.detail!;
		expect(detail).toContain('from 2026-12-01 10:00');
		expect(detail).toContain('to 2026-12-03 13:30');
	});

	it('re-evaluates the flags on an attendance change: two no-shows raise the attendance signal', () => {
		const c = clinic();
		const at = (iso: string) =>
			c.db
				.insert(appointments)
				.values({ episodeId: c.episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: new Date(iso) })
				.returning()
				.get();
		const one = at('2026-11-16T09:00:00Z');
		const two = at('2026-11-23T09:00:00Z');
		const ctx = (a: typeof one) => ({ appointment: a, episode: c.episode, patient: c.patient });
		changeAttendance(c.db, risk, c.users.clinicianA, ctx(one), 'no_show', NOW);
		changeAttendance(c.db, risk, c.users.clinicianA, ctx(two), 'cancelled_late', NOW);
		const stored = c.rows().map((a) => [a.status, a.cancelledBy]);
		expect(stored).toEqual([
			['no_show', null],
			['late_cancellation', 'patient']
		]);
		const open = c.db
			.select()
			.from(flags)
			.where(eq(flags.episodeId, c.episode.id))
			.all()
			.filter((f) => f.resolvedAt === null);
		expect(open.map((f) => f.source)).toContain('signal');
	});
});

describe("the day's list", () => {
	it('lists my appointments today in time order with what they need, and yesterday’s unrecorded ones', () => {
		const c = clinic();
		const at = (date: string, time: string, clinicianId = c.users.clinicianA.id) =>
			c.db
				.insert(appointments)
				.values({ episodeId: c.episode.id, clinicianId, scheduledAt: clinicInstant(date, time) })
				.returning()
				.get();
		at('2026-11-30', '14:00');
		at('2026-11-30', '09:00');
		at('2026-11-30', '11:00', c.users.leadA.id);
		at('2026-11-29', '10:00');
		// 23:30 in Oslo is tomorrow in UTC terms only if we got the day wrong: it is today's.
		at('2026-11-30', '23:30');
		const mine = dayList(c.db, risk.registry, risk.config, c.users.clinicianA, 'mine', NOW);
		expect(mine.today.map((r) => r.at.toISOString())).toEqual(['2026-11-30T08:00:00.000Z', '2026-11-30T13:00:00.000Z', '2026-11-30T22:30:00.000Z']);
		expect(mine.today[0]!.needs).toMatchObject({ outcome: true, alliance: true, unseenFlags: 0 });
		expect(mine.unrecorded).toHaveLength(1);
		// The team lead's team day has the lead's own appointment too.
		expect(dayList(c.db, risk.registry, risk.config, c.users.leadA, 'team', NOW).today).toHaveLength(4);
		// Another team sees none of it.
		expect(dayList(c.db, risk.registry, risk.config, c.users.clinicianB, 'team', NOW).today).toHaveLength(0);
	});
});

describe('a named group with its own series', () => {
	it('books the members into each session, and a member joins and leaves from a date', async () => {
		const { createGroup, findGroupForUser, bookGroupSeries, joinGroup, leaveGroup } = await import('./groups');
		const c = clinic();
		const other = c.db.insert(patients).values({ organisationId: c.patient.organisationId, teamId: c.teamA, code: 'A-2', displayName: 'A-2', birthYear: 1980 }).returning().get();
		const otherEpisode = c.db.insert(episodes).values({ patientId: other.id, startDate: '2026-10-01', setting: 'group' }).returning().get();
		const made = createGroup(c.db, c.users.leadA, { teamId: c.teamA, name: 'Mestring', clinicianId: c.users.leadA.id }, NOW);
		expect(made.ok).toBe(true);
		const id = made.ok ? made.id : 0;
		const view = () => findGroupForUser(c.db, c.users.clinicianA, id, NOW)!;
		expect(findGroupForUser(c.db, c.users.clinicianB, id, NOW)).toBeNull();
		joinGroup(c.db, c.users.leadA, view(), { episodeId: c.episode.id, patientId: c.patientA }, '2026-11-30', NOW);
		// Four weekly sessions from Thursday 3 Dec: 3, 10, 17, 24 Dec.
		const r = bookGroupSeries(
			c.db,
			c.users.leadA,
			view(),
			{ date: '2026-12-03', time: '13:00', durationMinutes: 90, clinicianId: c.users.leadA.id, repeat: 'weekly', end: { kind: 'count', sessions: 4 } },
			NOW
		);
		expect(r).toEqual({ ok: true, sessions: 4, appointments: 4 });
		// A-2 joins from 10 Dec: booked into 10, 17 and 24 Dec.
		expect(joinGroup(c.db, c.users.leadA, view(), { episodeId: otherEpisode.id, patientId: other.id }, '2026-12-10', NOW)).toEqual({ ok: true, booked: 3 });
		expect(joinGroup(c.db, c.users.leadA, view(), { episodeId: otherEpisode.id, patientId: other.id }, '2026-12-11', NOW)).toEqual({ ok: false, reason: 'already_member' });
		// A-1 leaves from 17 Dec: the planned 17 and 24 Dec are taken off.
		const member = view().members.find((x) => x.episodeId === c.episode.id)!;
		expect(leaveGroup(c.db, c.users.leadA, view(), member.id, '2026-12-17', NOW)).toEqual({ ok: true, removed: 2 });
		expect(view().sessions.map((s) => s.booked)).toEqual([1, 2, 1, 1]);
		expect(c.rows().every((a) => a.isGroup && a.durationMinutes === 90)).toBe(true);
	});
});
