import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { builtInRegistry, smallClinic, testContext } from '../test/fixtures';
import { appointments, milestoneMeetings, patients, users } from '../db/schema';
import { endEpisode, startEpisode } from '../episode-course';
import { storeRating } from '../ratings';
import { getInstrument } from '$lib/domain/registry';
import { DEFAULT_CHECKLIST } from '$lib/domain/checklist';
import { requireStatistics, requireStatisticsExport } from './scope';
import { exportCsv } from './export';
import { auditEventPatients, auditEvents } from '../db/schema';
import { desc } from 'drizzle-orm';
import { loadStatisticsPage } from '../views/statistics-page';
import { tableRows } from './csv';
import type { SessionUser } from '../auth/session';
import type { EndReason } from '$lib/domain/episode-course';

const now = new Date('2026-11-23T10:00:00Z');
const outcome = getInstrument(builtInRegistry(), 'stemme-outcome-adult')!;
const alliance = getInstrument(builtInRegistry(), 'stemme-alliance-adult')!;
/** A total spread over the items in tenths, as evenly as it goes (38 → 9.5 each; 36.5 → 9.2, 9.1, 9.1, 9.1). */
const split = (total: number, keys: string[]) => {
	const tenths = Math.round(total * 10);
	const base = Math.floor(tenths / keys.length);
	return Object.fromEntries(keys.map((k, i) => [k, (base + (i < tenths - base * keys.length ? 1 : 0)) / 10]));
};

/**
 * A small service built through the server functions: team A (clinician A responsible), adults
 * born 1990, weekly sessions from 2026-03-02, ended 2026-06-01:
 * - 6 planned completions, intakes 14, 15, 16, 14, 15, 16 and +7 by the third session (reliably improved, below 25);
 * - 6 drop-outs, same intakes, +1 by the third session (unchanged), each with one no-show;
 * - 5 transfers with only the intake rating (not measured).
 */
function service(withOpen = false) {
	const c = smallClinic();
	const { db } = c;
	const org = db.select().from(users).where(eq(users.id, c.users.admin.id)).get()!.organisationId;
	const leader = db.insert(users).values({ organisationId: org, username: 'avd', displayName: 'Avd', passwordHash: 'x', role: 'service_leader' }).returning().get();
	let n = 0;
	const rate = (appointmentId: number, instrument: typeof outcome, rater: 'patient' | 'collateral', value: number, keys: readonly string[]) => {
		const r = storeRating(
			db,
			{
				clientId: `c-${appointmentId}-${instrument.definition.id}-${rater}`,
				appointmentId,
				instrument,
				rater,
				values: split(value, [...keys]),
				source: 'tablet',
				enteredById: null,
				auditUserId: c.users.clinicianA.id,
				address: null
			},
			now
		);
		if (!r.ok) throw new Error(JSON.stringify(r));
	};
	const OUTCOME_KEYS = ['self', 'close', 'daily', 'overall'] as const;
	const ALLIANCE_KEYS = ['heard', 'goals', 'approach', 'overall'] as const;
	const episode = (reason: EndReason | null, totals: number[], noShow: boolean, alliances: number[] = totals.map(() => 36), start = '2026-03-02', collateral: number[] = []) => {
		const patient = db
			.insert(patients)
			.values({ organisationId: org, teamId: c.teamA, code: `S-${++n}`, displayName: `S ${n}`, birthYear: 1990 })
			.returning()
			.get();
		const started = startEpisode(
			db,
			c.users.clinicianA,
			patient,
			{ teamId: c.teamA, setting: 'outpatient', responsibleId: c.users.clinicianA.id, startDate: start, sessionIntervalDays: 7, plannedEnd: null, referralReason: '' },
			DEFAULT_CHECKLIST,
			now
		);
		if (!started.ok) throw new Error(JSON.stringify(started));
		let day = 0;
		const at = () => new Date(Date.parse(`${start}T09:00:00Z`) + 7 * 86_400_000 * day++);
		totals.forEach((total, i) => {
			if (noShow && i === 1) db.insert(appointments).values({ episodeId: started.episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: at(), status: 'no_show' }).run();
			const appt = db.insert(appointments).values({ episodeId: started.episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: at(), status: 'attended' }).returning().get();
			rate(appt.id, outcome, 'patient', total, OUTCOME_KEYS);
			rate(appt.id, alliance, 'patient', alliances[i]!, ALLIANCE_KEYS);
			if (collateral[i] !== undefined) rate(appt.id, outcome, 'collateral', collateral[i], OUTCOME_KEYS);
		});
		if (reason === null) return started.episode.id;
		const ended = endEpisode(
			db,
			c.users.clinicianA,
			patient,
			started.episode,
			{ reason, endDate: '2026-06-01', lastAttendedDate: reason === 'dropout' ? '2026-03-30' : null, note: '', withoutDischargePlan: true },
			false,
			now
		);
		if (!ended.ok) throw new Error(JSON.stringify(ended));
		return started.episode.id;
	};
	for (const intake of [14, 15, 16, 14, 15, 16]) episode('planned_completion', [intake, intake + 3, intake + 7], false);
	for (const intake of [14, 15, 16, 14, 15, 16]) episode('dropout', [intake, intake, intake + 1], true);
	for (let i = 0; i < 5; i++) episode('transfer', [15], false);
	if (withOpen)
		for (let i = 0; i < 5; i++) {
			// Open since 2026-09-07, weekly: outcome flat at 15, alliance 38 → 36.5 (a fall of 1.5) → 35 (under 36); a relative rates 20, 22, 26.
			const id = episode(null, [15, 15, 15], false, [38, 36.5, 35], '2026-09-07', [20, 22, 26]);
			// One milestone meeting held four days after its date (on time), one set for 2026-10-01 and never held.
			for (const heldAt of [new Date('2026-10-05T10:00:00Z'), null])
				db.insert(milestoneMeetings).values({ episodeId: id, scheduledDate: '2026-10-01', createdById: c.users.clinicianA.id, createdAt: now, heldAt }).run();
		}
	const asUser = (user: SessionUser, query = '') => {
		const ctx = testContext(db, { now, actor: { kind: 'staff', user, session: { id: 's' } as never, auth: { method: 'password', at: now, secondFactor: null } } });
		const request = requireStatistics(ctx, new URLSearchParams(query));
		return loadStatisticsPage(ctx, user, request, 'en');
	};
	const leaderUser: SessionUser = { id: leader.id, username: 'avd', displayName: 'Avd', role: 'service_leader', organisationId: org, preferredLocale: 'nb' };
	const exportAs = (user: SessionUser, query: string) => {
		const ctx = testContext(db, { now, address: '10.0.0.7', actor: { kind: 'staff', user, session: { id: 's' } as never, auth: { method: 'password', at: now, secondFactor: null } } });
		const request = requireStatisticsExport(ctx, new URLSearchParams(query));
		return exportCsv(ctx, user, request, request.kind);
	};
	return { ...c, asUser, exportAs, leader: leaderUser };
}

const thrown = (f: () => unknown): { status?: number; body?: { message?: string } } => {
	try {
		f();
	} catch (e) {
		return e as { status: number; body?: { message?: string } };
	}
	throw new Error('did not throw');
};

describe('statistics of a small service', () => {
	const s = service();
	const page = s.asUser(s.users.leadA, 'from=2026-01-01');
	const f = page.figures;

	it('counts endings, suppresses the small cells and the one that would give them away', () => {
		// 17 closed: planned 6, drop-out 6, transfer 5, other 0 → "other" hidden; a lone hidden zero reveals no one, so the transfers stay
		expect(f.endings.closed).toEqual({ suppressed: false, n: 17 });
		expect(f.endings.rows.map((r) => [r.ending, r.count])).toEqual([
			['planned_completion', { suppressed: false, n: 6 }],
			['dropout', { suppressed: false, n: 6 }],
			['transfer', { suppressed: false, n: 5 }],
			['other', { suppressed: true }]
		]);
		// drop-out 6 / 17 = 0.3529
		expect(f.endings.rows[1]!.share).toBeCloseTo(6 / 17, 10);
		// all six drop-outs unchanged: without effect 6; with effect and not measured 0, both hidden
		expect(f.endings.dropoutByEffect.map((r) => r.count)).toEqual([{ suppressed: true }, { suppressed: false, n: 6 }, { suppressed: true }]);
	});

	it('computes completeness and the change figures from the ratings', () => {
		// attended 18 + 18 + 5 = 41, all with both ratings; due 41 + 6 no-shows = 47
		expect(f.completeness.outcome).toEqual({ count: { suppressed: false, n: 41 }, of: { suppressed: false, n: 41 }, share: 1 });
		expect(f.completeness.noShows.share).toBeCloseTo(6 / 47, 10);
		// episodes with two or more ratings: 12 of 17
		expect(f.completeness.twoOrMore.share).toBeCloseTo(12 / 17, 10);
		// used 12; transfers left out for one rating (5)
		expect(f.change.used).toEqual({ suppressed: false, n: 12 });
		expect(f.funnel.excluded['fewer-than-two-ratings']).toEqual({ suppressed: false, n: 5 });
		// mean intake 15; mean change (6 × 7 + 6 × 1) / 12 = 4
		expect(f.change.meanIntake).toBe(15);
		expect(f.change.meanChange).toBe(4);
		// SD of intakes: squares 1 + 0 + 1, four times = 8; √(8 / 11); d = 4 / √(8/11) = √22 = 4.6904
		expect(f.change.effectSize).toBeCloseTo(Math.sqrt(22), 10);
		// SE √(1/12 + 22/24) = √1 = 1, so the 90 % interval is d ± 1.644854
		expect(f.change.interval!.low).toBeCloseTo(Math.sqrt(22) - 1.644854, 5);
		expect(f.change.enoughForBenchmark).toBe(false);
		expect(f.change.rows.map((r) => [r.changeClass, r.count])).toEqual([
			['recovered', { suppressed: true }],
			['improved', { suppressed: false, n: 6 }],
			['unchanged', { suppressed: false, n: 6 }],
			['deteriorated', { suppressed: true }]
		]);
	});

	it('follows the episodes on the retention curve until fewer than five are at risk', () => {
		// 17 started on 2026-03-02, all ended on 2026-06-01 (91 days, week 13): 6 drop-outs, 11 censored
		expect(f.endings.retention.started).toEqual({ suppressed: false, n: 17 });
		const steps = f.endings.retention.steps;
		expect(steps[0]).toEqual({ week: 0, atRisk: 17, retained: 1 });
		// week 13: 1 − 6/17 = 0.6471
		expect(steps.at(-1)).toEqual({ week: 13, atRisk: 17, retained: 1 - 6 / 17 });
	});

	it('shows a clinician with fewer than the minimum without change figures', () => {
		const row = page.breakdown.rows.find((r) => r.id === s.users.clinicianA.id)!;
		expect(row).toMatchObject({ closed: { suppressed: false, n: 17 }, used: { suppressed: false, n: 12 }, compared: false, effectSize: null });
		expect(row.dropout.share).toBeCloseTo(6 / 17, 10);
		expect(tableRows(page, 'endings')[4]).toEqual(['Annet', '< 5', null]);
	});

	it('lets each role see what it may', () => {
		expect(s.asUser(s.users.clinicianA, 'from=2026-01-01').scope.kind).toBe('mine');
		expect(s.asUser(s.users.clinicianA, 'from=2026-01-01').figures.endings.closed).toEqual({ suppressed: false, n: 17 });
		expect(thrown(() => s.asUser(s.users.clinicianA, 'scope=team')).status).toBe(403);
		expect(thrown(() => s.asUser(s.users.leadA, 'scope=service')).status).toBe(403);
		expect(thrown(() => s.asUser(s.users.leadA, `scope=team&team=${s.teamB}`)).status).toBe(404);
		expect(thrown(() => s.asUser(s.users.admin)).status).toBe(403);
		const service = s.asUser(s.leader, 'from=2026-01-01');
		expect(service.scope.kind).toBe('service');
		expect(service.figures.endings.closed).toEqual({ suppressed: false, n: 17 });
		expect(service.breakdown.rows.map((r) => r.name)).toEqual(['A', 'B']);
		expect(s.asUser(s.leader, `scope=team&team=${s.teamB}`).figures.funnel.inPeriod).toEqual({ suppressed: true });
	});

	it('answers a bad filter with 400 naming the field (in the default language)', () => {
		const cases: [string, string][] = [
			['from=2026-02-31', 'Fra dato'],
			['to=9999-12-31', 'Til dato'],
			['from=2026-06-01&to=2026-05-01', 'Fra dato'],
			['setting=x', 'Behandlingsform'],
			['age=old', 'Aldersgruppe'],
			['scope=x', 'Omfang'],
			['scope=team&team=1.5', 'Team']
		];
		for (const [query, field] of cases) {
			const e = thrown(() => s.asUser(s.users.leadA, query));
			expect([query, e.status, e.body?.message?.includes(field)]).toEqual([query, 400, true]);
		}
	});
});

describe('statistics of a small service with open episodes off track', () => {
	const s = service(true);
	const page = s.asUser(s.users.leadA, 'from=2026-01-01');
	const f = page.figures;

	it('counts the alliance ratings under the cutoff, the drops and the means', () => {
		// 41 sessions of the closed episodes rated 36 (on the cutoff: fine) + 5 × (38, 36.5, 35) = 56 rated sessions
		expect(f.alliance.episodes).toEqual({ suppressed: false, n: 22 });
		expect(f.alliance.underCutoff).toEqual({ count: { suppressed: false, n: 5 }, of: { suppressed: false, n: 56 }, share: 5 / 56 });
		// mean (41 × 36 + 5 × 109.5) / 56 = 2023.5 / 56; first ratings (17 × 36 + 5 × 38) / 22 = 802 / 22
		expect(f.alliance.mean).toBeCloseTo(2023.5 / 56, 10);
		expect(f.alliance.meanIntake).toBeCloseTo(802 / 22, 10);
		// The drop 38 → 36.5 in each open episode: 5 of 22
		expect(f.alliance.withDrop.share).toBeCloseTo(5 / 22, 10);
		// No closed episode had an alliance signal: drop-out with a signal has 0 episodes, so both halves are hidden
		expect([f.alliance.dropoutWithSignal, f.alliance.dropoutWithoutSignal]).toEqual([{ suppressed: true }, { suppressed: true }]);
	});

	it('counts the milestone meetings held on time', () => {
		// 10 meetings set for 2026-10-01: 5 held on 2026-10-05 (4 days, within 7), 5 not held and long past
		expect(f.completeness.meetings).toMatchObject({ days: 7, count: { suppressed: false, n: 5 }, of: { suppressed: false, n: 10 }, share: 0.5 });
	});

	it('gives the trend by month and the distribution by reliable change', () => {
		const month = (m: string) => f.trend.find((r) => r.month === m)!;
		// January to November: 11 months
		expect(f.trend.map((r) => r.month)).toHaveLength(11);
		// March: every session of the closed episodes (6 × 3 + 6 × 3 + 5 = 41), all with both ratings
		expect(month('2026-03')).toMatchObject({ attended: { suppressed: false, n: 41 }, ratedShare: 1, ended: { suppressed: true } });
		// June: all 17 endings, 6 by drop-out
		expect(month('2026-06')).toMatchObject({ ended: { suppressed: false, n: 17 }, dropouts: { suppressed: false, n: 6 }, dropoutShare: 6 / 17 });
		expect(month('2026-09').attended).toEqual({ suppressed: false, n: 15 });
		// improved 0 + 6, no change 6, deteriorated 0 (hidden; a lone hidden zero reveals no one)
		expect(f.reliableChange).toEqual([
			{ group: 'improved', count: { suppressed: false, n: 6 } },
			{ group: 'no-change', count: { suppressed: false, n: 6 } },
			{ group: 'deteriorated', count: { suppressed: true } }
		]);
		// No model fitted and no table: no expected course to judge by
		expect(f.course.sources).toEqual([]);
		expect(f.course.target.of).toEqual({ suppressed: true });
	});

	it("lists the team's open episodes off track for the team lead, by clinician, with links", () => {
		expect(page.offTrack!.canOpen).toBe(true);
		// Session 3 without reliable improvement (rule checkpoints: watch), the alliance 35 under 36
		expect(page.offTrack!.rows).toHaveLength(5);
		expect(page.offTrack!.rows[0]).toMatchObject({ outcome: 'watch', alliance: 'below-cutoff', session: 3, clinician: s.users.clinicianA.displayName });
		// The CSV row as the page shows it: count, of, share rounded to three decimals (5 / 56 = 0.0893)
		expect(tableRows(page, 'alliance')[4]!.slice(1)).toEqual(['5', '56', 0.089]);
		// The service leader and the clinician get no list
		expect(s.asUser(s.leader, `scope=team&team=${s.teamA}&from=2026-01-01`).offTrack).toBeNull();
		expect(s.asUser(s.users.clinicianA, 'from=2026-01-01').offTrack).toBeNull();
	});

	it('reads the collateral raters through every figure', () => {
		const collateral = s.asUser(s.users.leadA, 'from=2026-01-01&rater=collateral').figures;
		// Only the 5 open episodes have a collateral rating; 15 sessions, each with the relative's outcome and no alliance from them
		expect(collateral.funnel.inPeriod).toEqual({ suppressed: false, n: 5 });
		expect(collateral.completeness.outcome).toEqual({ count: { suppressed: false, n: 15 }, of: { suppressed: false, n: 15 }, share: 1 });
		expect(collateral.alliance.episodes).toEqual({ suppressed: true });
		// Ratings by channel are the chosen rater's too: the relatives' 15, not the patients' 30 of the same sessions
		expect(collateral.completeness.channels).toEqual({ tablet: { suppressed: false, n: 15 } });
		// and the patients' page leaves the relatives' out: 41 closed sessions and 15 open ones, outcome and alliance each
		expect(f.completeness.channels).toEqual({ tablet: { suppressed: false, n: 112 } });
		const e = thrown(() => s.asUser(s.users.leadA, 'rater=friend'));
		expect([e.status, e.body?.message?.includes('Hvem som måler')]).toEqual([400, true]);
	});
});

describe('CSV export of the rows', () => {
	const s = service();
	const lines = (body: string) =>
		body
			.trimEnd()
			.split('\r\n')
			.map((l) => l.split(','));

	it('gives one row per episode with the summary the page uses', () => {
		const { filename, body } = s.exportAs(s.users.clinicianA, 'kind=episodes&from=2026-01-01&to=2026-11-23');
		expect(filename).toBe('stemme-episodes-2026-01-01-2026-11-23.csv');
		expect(body.endsWith('\r\n')).toBe(true);
		const [head, ...rows] = lines(body);
		expect(head!.join(',')).toBe(
			'patient_code,episode,setting,start_date,end_date,end_reason,outcome_instrument,intake_score,last_score,last_session,change,change_class,not_judged_because,sessions,sessions_with_outcome,sessions_with_alliance'
		);
		// 6 completions + 6 drop-outs + 5 transfers
		expect(rows).toHaveLength(17);
		const byCode = new Map(rows.map((r) => [r[0], r]));
		// S-1: completion, intake 14, 14 + 7 = 21 at session 3 → reliably improved, still below 25
		expect(byCode.get('S-1')!.slice(2)).toEqual(['outpatient', '2026-03-02', '2026-06-01', 'planned_completion', 'stemme-outcome-adult@1', '14', '21', '3', '7', 'improved', '', '3', '3', '3']);
		// S-7: drop-out, 14 → 15 (one no-show is not a session) → unchanged
		expect(byCode.get('S-7')!.slice(5, 16)).toEqual(['dropout', 'stemme-outcome-adult@1', '14', '15', '3', '1', 'unchanged', '', '3', '3', '3']);
		// S-13: a transfer with only the intake rating
		expect(byCode.get('S-13')!.slice(7, 16)).toEqual(['', '', '', '', '', 'fewer-than-two-ratings', '1', '1', '1']);
	});

	it('gives one row per rating in force, with its session, items and signal', () => {
		const [head, ...rows] = lines(s.exportAs(s.users.leadA, 'kind=ratings&scope=team&from=2026-01-01').body);
		expect(head!.slice(0, 10)).toEqual(['patient_code', 'episode', 'session', 'date', 'instrument', 'version', 'rater', 'source', 'total', 'signal']);
		expect(head!.slice(10, 12)).toEqual(['item_1', 'item_2']);
		// 41 attended sessions, each with an outcome and an alliance rating
		expect(rows).toHaveLength(82);
		const first = rows.find((r) => r[0] === 'S-1' && r[2] === '1' && r[4] === 'stemme-outcome-adult')!;
		// total 14 spread evenly over the four items, 3.5 each; 14 is under the adult cutoff 25 (docs/clinical/measures.md)
		expect(first.slice(3, 14)).toEqual(['2026-03-02T09:00:00.000Z', 'stemme-outcome-adult', '1', 'patient', 'tablet', '14', 'below-clinical-cutoff', '3.5', '3.5', '3.5', '3.5']);
		const alliance = rows.find((r) => r[0] === 'S-1' && r[2] === '1' && r[4] === 'stemme-alliance-adult')!;
		// 36 is at or above the alliance threshold: no signal
		expect(alliance.slice(8, 10)).toEqual(['36', '']);
		// a period that ends before the third session leaves it out: sessions on 2 and 9 March only
		expect(lines(s.exportAs(s.users.leadA, 'kind=ratings&scope=team&from=2026-01-01&to=2026-03-10').body).filter((r) => r[0] === 'S-1')).toHaveLength(4);
	});

	it('audits each download, linked to every patient in it', () => {
		s.exportAs(s.users.clinicianA, 'kind=episodes&from=2026-01-01');
		const event = s.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).get()!;
		expect(event).toMatchObject({ action: 'exported_csv', userId: s.users.clinicianA.id, address: '10.0.0.7' });
		expect(event.detail).toContain('episodes mine 2026-01-01–2026-11-23 all all: 17 rows');
		expect(s.db.select().from(auditEventPatients).where(eq(auditEventPatients.eventId, event.id)).all()).toHaveLength(17);
	});

	it('is for the treating team only, and names a bad kind', () => {
		expect(thrown(() => s.exportAs(s.leader, 'kind=ratings')).status).toBe(403);
		expect(thrown(() => s.exportAs(s.leader, `kind=ratings&scope=team&team=${s.teamA}`)).status).toBe(403);
		expect(thrown(() => s.exportAs(s.users.admin, 'kind=ratings')).status).toBe(403);
		expect(thrown(() => s.exportAs(s.users.leadA, `kind=ratings&scope=team&team=${s.teamB}`)).status).toBe(404);
		const bad = thrown(() => s.exportAs(s.users.leadA, 'kind=everything'));
		expect([bad.status, bad.body?.message?.includes('Eksport')]).toEqual([400, true]);
	});

	it('keeps a patient code that looks like a formula from running', () => {
		s.db.update(patients).set({ code: '=HYPERLINK("x")' }).where(eq(patients.code, 'S-2')).run();
		const body = s.exportAs(s.users.clinicianA, 'kind=episodes&from=2026-01-01').body;
		expect(body).toContain(`\r\n"'=HYPERLINK(""x"")",`);
		expect(body).not.toMatch(/\r\n=/);
	});
});
