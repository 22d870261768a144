import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { builtInRegistry, smallClinic, testContext } from '../test/fixtures';
import { appointments, episodeStatistics, patients } from '../db/schema';
import { endEpisode, startEpisode } from '../episode-course';
import { storeRating } from '../ratings';
import { getInstrument } from '$lib/domain/registry';
import { DEFAULT_CHECKLIST } from '$lib/domain/checklist';
import { loadScope } from './episodes';
import { missingStatistics, refreshStatistics } from './summaries';
import { requireStatistics } from './scope';
import { loadStatisticsPage } from '../views/statistics-page';

const now = new Date('2026-11-23T10:00:00Z');
const outcome = getInstrument(builtInRegistry(), 'stemme-outcome-adult')!;
const filters = { from: '2026-01-01', to: '2026-11-23', setting: 'all', age: 'all', rater: 'patient' } as const;

/** One open episode from 2026-03-02 with an intake rated 15, a second session booked and a third planned after the ending. */
function clinic() {
	const c = smallClinic();
	const { db } = c;
	const patient = db.select().from(patients).where(eq(patients.id, c.patientA)).get()!;
	const started = startEpisode(
		db,
		c.users.clinicianA,
		patient,
		{ teamId: c.teamA, setting: 'outpatient', responsibleId: c.users.clinicianA.id, startDate: '2026-03-02', sessionIntervalDays: 7, plannedEnd: null, referralReason: '' },
		DEFAULT_CHECKLIST,
		now
	);
	if (!started.ok) throw new Error(JSON.stringify(started));
	const appt = (day: number) =>
		db
			.insert(appointments)
			.values({ episodeId: started.episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: new Date(Date.UTC(2026, 2, day, 9)), status: 'scheduled' })
			.returning()
			.get().id;
	const rate = (appointmentId: number, total: number) => {
		const r = storeRating(
			db,
			{
				clientId: `c-${appointmentId}`,
				appointmentId,
				instrument: outcome,
				rater: 'patient',
				values: { self: total - 9, close: 3, daily: 3, overall: 3 },
				source: 'paper',
				enteredById: c.users.clinicianA.id,
				auditUserId: c.users.clinicianA.id,
				address: null
			},
			now
		);
		if (!r.ok) throw new Error(JSON.stringify(r));
	};
	const first = appt(2);
	rate(first, 15);
	const second = appt(9);
	appt(30);
	const scope = { kind: 'team' as const, teamId: c.teamA, teamName: 'A' };
	const read = () => loadScope(db, builtInRegistry(), scope, filters, now).episodes.find((e) => e.id === started.episode.id)!;
	return { ...c, patient, episode: started.episode, second, rate, read };
}

describe('the statistics facts stored per episode', () => {
	it('are stored by the sweep, forgotten in the transaction of a rating, and read afresh until stored again', async () => {
		const c = clinic();
		expect(missingStatistics(c.db)).toBeGreaterThan(0);
		const live = c.read();
		await refreshStatistics(c.db, builtInRegistry(), () => now);
		expect(missingStatistics(c.db)).toBe(0);
		// Read from the stored row: the same as worked out from the appointments (the intake, rated 15, on paper).
		expect(c.read()).toEqual(live);
		expect(live.history.map((s) => [s.session, s.attendance, s.outcome?.total ?? null])).toEqual([[1, 'attended', 15]]);

		c.rate(c.second, 19);
		// The rating forgot the stored row; the page reads the two sessions at once, without waiting for the sweep.
		expect(c.db.select().from(episodeStatistics).where(eq(episodeStatistics.episodeId, c.episode.id)).get()).toBeUndefined();
		const after = c.read();
		expect(after.history.map((s) => [s.session, s.attendance, s.outcome?.total ?? null])).toEqual([
			[1, 'attended', 15],
			[2, 'attended', 19]
		]);
		// +4 on the outcome: the episode is judged with its thresholds, as before
		expect(after.episode?.thresholds).toEqual(live.episode?.thresholds);
		await refreshStatistics(c.db, builtInRegistry(), () => now);
		expect(c.read()).toEqual(after);
	});

	it('are forgotten when the ending cancels the sessions still booked', async () => {
		const c = clinic();
		await refreshStatistics(c.db, builtInRegistry(), () => now);
		const ended = endEpisode(
			c.db,
			c.users.clinicianA,
			c.patient,
			c.episode,
			{ reason: 'planned_completion', endDate: '2026-03-20', lastAttendedDate: null, note: '', withoutDischargePlan: true },
			false,
			now
		);
		expect(ended.ok).toBe(true);
		// The session booked for 2026-03-30 is now cancelled and part of the history; the one of 03-09 was never rated.
		expect(c.read().history.map((s) => s.attendance)).toEqual(['attended', 'cancelled']);
		expect(missingStatistics(c.db)).toBe(1);
	});

	it('are not written by opening the page', () => {
		const c = clinic();
		const user = c.users.leadA;
		const ctx = testContext(c.db, { now, actor: { kind: 'staff', user, session: { id: 's' } as never, auth: { method: 'password', at: now, secondFactor: null } } });
		const before = missingStatistics(c.db);
		loadStatisticsPage(ctx, user, requireStatistics(ctx, new URLSearchParams('from=2026-01-01')), 'en');
		expect(missingStatistics(c.db)).toBe(before);
	});

	it('stored in an older form are worked out afresh and stored again by the sweep', async () => {
		const c = clinic();
		await refreshStatistics(c.db, builtInRegistry(), () => now);
		const current = c.read();
		// A row as the first version stored it: no version, no collateral sessions or channels, no alliance thresholds.
		const row = c.db.select().from(episodeStatistics).where(eq(episodeStatistics.episodeId, c.episode.id)).get()!;
		const { version: _version, collateral_sessions: _collateral, collateral_channels: _channels, alliance: _alliance, ...old } = row.facts as Record<string, unknown>;
		c.db.update(episodeStatistics).set({ facts: old }).where(eq(episodeStatistics.episodeId, c.episode.id)).run();
		// Read as from the appointments, with the alliance thresholds of the adult measure (cutoff 36, drop 1)
		expect(c.read()).toEqual(current);
		expect(current.alliance).toEqual({ cutoff: 36, drop: 1 });
		expect(await refreshStatistics(c.db, builtInRegistry(), () => now)).toBe(1);
		expect((c.db.select().from(episodeStatistics).where(eq(episodeStatistics.episodeId, c.episode.id)).get()!.facts as { version: number }).version).toBe(3);
	});
});
