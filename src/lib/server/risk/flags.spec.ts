import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { appointments, auditEvents, episodes, flags, ratings, riskActions } from '../db/schema';
import { acknowledgeFlag, agreeAction, episodeFlags, flagOfEpisode, isOverdue, recordOutcome, refreshEpisodeFlags, sweepFlags } from './flags';
import { answersInForce, lastReviewed, reviewChecklist, transitionDate } from './checklist';
import { riskConfigFrom } from './config';
import { resetFittedModels } from '../expected-models';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry } from '$lib/domain/registry';
import { SIGNAL_RULES_VERSION } from '$lib/domain/session-signals';

const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const registry = made.registry;
const config = riskConfigFrom({});

/** A clinic with one open outpatient episode for patient A that started 2026-09-01. */
function clinic() {
	resetFittedModels();
	const c = smallClinic();
	const episode = c.db.insert(episodes).values({ patientId: c.patientA, startDate: '2026-09-01', setting: 'outpatient', sessionIntervalDays: 14 }).returning().get();
	let n = 0;
	/** An appointment at `at`; attended ones get outcome and alliance ratings with these totals. */
	const session = (at: string, status: 'attended' | 'no_show' | 'late_cancellation' | 'scheduled', totals?: { outcome: number; alliance: number }) => {
		const appt = c.db
			.insert(appointments)
			.values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: new Date(at), status })
			.returning()
			.get();
		if (totals !== undefined) {
			const values = (t: number, keys: string[]) => Object.fromEntries(keys.map((k) => [k, t / 4]));
			c.db
				.insert(ratings)
				.values({
					clientId: `o${++n}`,
					appointmentId: appt.id,
					instrumentId: 'stemme-outcome-adult',
					instrumentVersion: 1,
					itemValues: values(totals.outcome, ['self', 'close', 'daily', 'overall']),
					total: totals.outcome,
					submittedAt: new Date(at)
				})
				.run();
			c.db
				.insert(ratings)
				.values({
					clientId: `a${++n}`,
					appointmentId: appt.id,
					instrumentId: 'stemme-alliance-adult',
					instrumentVersion: 1,
					itemValues: values(totals.alliance, ['heard', 'goals', 'approach', 'overall']),
					total: totals.alliance,
					submittedAt: new Date(at)
				})
				.run();
		}
		return appt;
	};
	const refresh = (now: string) => refreshEpisodeFlags(c.db, registry, config, episode.id, new Date(now));
	const open = () =>
		c.db
			.select()
			.from(flags)
			.where(and(eq(flags.episodeId, episode.id)))
			.all()
			.filter((f) => f.resolvedAt === null)
			.map((f) => f.key)
			.sort();
	return { ...c, episode, session, refresh, open };
}

describe('the flag lifecycle', () => {
	it('raises a flag once, however often the episode is evaluated', () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 38 });
		c.session('2026-11-09T10:00:00Z', 'attended', { outcome: 19, alliance: 33 });
		const first = c.refresh('2026-11-10T10:00:00Z');
		// 33 is below the cutoff (36) and 5 points below the session before (drop 1): two reasons, two flags.
		expect(c.open()).toEqual(['signal:alliance-below-cutoff', 'signal:alliance-dropped']);
		expect(first.raised).toBe(2);
		for (let i = 0; i < 5; i++) expect(c.refresh('2026-11-10T11:00:00Z')).toEqual({ raised: 0, resolved: 0, updated: 0 });
		expect(c.db.select().from(flags).all()).toHaveLength(2);
		const raised = c.db.select().from(auditEvents).where(eq(auditEvents.action, 'flag_raised')).all();
		expect(raised).toHaveLength(2);
		expect(raised[0]).toMatchObject({ userId: null, patientId: c.patientA });
	});

	it('stores what raised it: rule, rule version, the data and the words', () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 33 });
		c.refresh('2026-11-03T10:00:00Z');
		const [flag] = c.db.select().from(flags).all();
		expect(flag).toMatchObject({
			key: 'signal:alliance-below-cutoff',
			source: 'signal',
			rule: 'alliance-below-cutoff',
			rulesVersion: SIGNAL_RULES_VERSION,
			raisedAt: new Date('2026-11-03T10:00:00Z')
		});
		expect(flag!.params).toMatchObject({ total: 33, cutoff: 36 });
		expect(flag!.text).toMatch(/33/);
	});

	it('is acknowledged by a named person once, then an action is agreed and its outcome recorded, all audited', () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 33 });
		c.refresh('2026-11-03T10:00:00Z');
		const flag = c.db.select().from(flags).get()!;
		expect(acknowledgeFlag(c.db, c.users.clinicianA, flag, c.patientA, new Date('2026-11-03T11:00:00Z'))).toBe(true);
		expect(acknowledgeFlag(c.db, c.users.leadA, flag, c.patientA, new Date('2026-11-03T12:00:00Z'))).toBe(false);
		const action = agreeAction(
			c.db,
			c.users.leadA,
			c.patientA,
			{ episodeId: c.episode.id, flagId: flag.id, actionKey: 'call-today', note: '', ownerId: c.users.clinicianA.id, dueDate: '2026-11-04' },
			new Date('2026-11-03T12:05:00Z')
		);
		const [view] = episodeFlags(c.db, c.episode.id);
		expect(view).toMatchObject({ acknowledgedBy: 'clin-a', acknowledgedAt: new Date('2026-11-03T11:00:00Z') });
		expect(view!.actions).toEqual([expect.objectContaining({ actionKey: 'call-today', owner: 'clin-a', createdBy: 'lead-a', dueDate: '2026-11-04', outcome: null })]);
		expect(isOverdue(action, '2026-11-04')).toBe(false);
		expect(isOverdue(action, '2026-11-05')).toBe(true);
		expect(recordOutcome(c.db, c.users.clinicianA, c.patientA, action, 'Reached her; she comes Thursday.', new Date('2026-11-04T09:00:00Z'))).toBe(true);
		expect(recordOutcome(c.db, c.users.clinicianA, c.patientA, action, 'again', new Date('2026-11-04T09:01:00Z'))).toBe(false);
		const stored = c.db.select().from(riskActions).get()!;
		expect(stored).toMatchObject({ outcome: 'Reached her; she comes Thursday.', outcomeById: c.users.clinicianA.id });
		expect(isOverdue(stored, '2026-12-01')).toBe(false);
		const trail = c.db
			.select({ action: auditEvents.action, userId: auditEvents.userId })
			.from(auditEvents)
			.all()
			.map((e) => e.action);
		expect(trail).toEqual(['flag_raised', 'flag_acknowledged', 'action_agreed', 'action_outcome']);
	});

	it('an action chosen on an unacknowledged flag acknowledges it', () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 33 });
		c.refresh('2026-11-03T10:00:00Z');
		const flag = c.db.select().from(flags).get()!;
		agreeAction(
			c.db,
			c.users.leadA,
			c.patientA,
			{ episodeId: c.episode.id, flagId: flag.id, actionKey: 'next-session', note: '', ownerId: c.users.clinicianA.id, dueDate: '2026-11-09' },
			new Date('2026-11-03T12:00:00Z')
		);
		expect(c.db.select().from(flags).get()).toMatchObject({ acknowledgedById: c.users.leadA.id });
	});

	it('resolves by the data when the condition clears, keeps it in the history, and raises a new flag when it returns', () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 33 });
		c.refresh('2026-11-03T10:00:00Z');
		c.session('2026-11-09T10:00:00Z', 'attended', { outcome: 20, alliance: 38 });
		expect(c.refresh('2026-11-10T10:00:00Z')).toMatchObject({ resolved: 1 });
		expect(c.open()).toEqual([]);
		const [old] = c.db.select().from(flags).all();
		expect(old).toMatchObject({ resolution: 'condition-cleared', resolvedAt: new Date('2026-11-10T10:00:00Z') });
		c.session('2026-11-16T10:00:00Z', 'attended', { outcome: 20, alliance: 31 });
		c.refresh('2026-11-17T10:00:00Z');
		// Session 3 brings the no-reliable-improvement checkpoint and a dropped alliance too.
		expect(c.open()).toEqual(['signal:alliance-below-cutoff', 'signal:alliance-dropped', 'signal:no-reliable-improvement-discuss']);
		const below = c.db.select().from(flags).where(eq(flags.key, 'signal:alliance-below-cutoff')).all();
		expect(below).toHaveLength(2);
		expect(below.map((f) => f.resolvedAt === null)).toEqual([false, true]);
		const listed = episodeFlags(c.db, c.episode.id).map((f) => f.id);
		expect(listed.indexOf(below[1]!.id)).toBeLessThan(listed.indexOf(below[0]!.id));
	});

	it('keeps the raise time of an open flag and shows the newest figures when the data moves', () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 38 });
		c.session('2026-11-09T10:00:00Z', 'no_show');
		c.session('2026-11-12T10:00:00Z', 'late_cancellation');
		c.refresh('2026-11-13T10:00:00Z');
		expect(c.open()).toContain('signal:missed-recently');
		c.session('2026-11-16T10:00:00Z', 'no_show');
		expect(c.refresh('2026-11-17T10:00:00Z').updated).toBeGreaterThanOrEqual(1);
		const f = c.db.select().from(flags).where(eq(flags.key, 'signal:missed-recently')).get()!;
		expect(f.params).toMatchObject({ missed: 3 });
		expect(f.raisedAt).toEqual(new Date('2026-11-13T10:00:00Z'));
	});

	it('time alone raises a long gap: the sweep finds it without any new data', async () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 38 });
		c.refresh('2026-11-10T10:00:00Z');
		expect(c.open()).toEqual([]);
		const r = await sweepFlags(c.db, registry, config, () => new Date('2026-11-17T10:00:00Z'));
		expect(r).toMatchObject({ episodes: 1, raised: 1 });
		expect(c.open()).toEqual(['signal:long-gap']);
		const f = c.db.select().from(flags).get()!;
		expect(f.params).toMatchObject({ days: 15, planned: 14 });
	});

	it('resolves every open flag when the episode ends, and raises nothing on a closed episode', async () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 33 });
		c.refresh('2026-11-03T10:00:00Z');
		c.db.update(episodes).set({ actualEnd: '2026-11-05', endReason: 'dropout' }).where(eq(episodes.id, c.episode.id)).run();
		const r = await sweepFlags(c.db, registry, config, () => new Date('2026-11-20T10:00:00Z'));
		expect(r.resolved).toBe(1);
		expect(c.db.select().from(flags).get()).toMatchObject({ resolution: 'episode-ended' });
		expect(c.refresh('2026-11-21T10:00:00Z')).toEqual({ raised: 0, resolved: 0, updated: 0 });
	});

	it('finds a flag only through its own episode', () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 33 });
		c.refresh('2026-11-03T10:00:00Z');
		const flag = c.db.select().from(flags).get()!;
		expect(flagOfEpisode(c.db, c.episode.id, flag.id)?.id).toBe(flag.id);
		expect(flagOfEpisode(c.db, c.episode.id + 1, flag.id)).toBeNull();
	});
});

describe('the checklist raises flags', () => {
	it('a factor answered yes raises a flag; answered no resolves it; every review is kept', () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 38 });
		const target = { episodeId: c.episode.id, patientId: c.patientA };
		const yes = reviewChecklist(c.db, c.users.clinicianA, target, config.checklist, { 'earlier-dropout': { answer: 'yes', note: 'Left twice in 2024', date: null } }, new Date('2026-11-03T10:00:00Z'));
		expect(yes.changed).toEqual(['earlier-dropout=yes']);
		c.refresh('2026-11-03T10:00:00Z');
		expect(c.open()).toEqual(['factor:earlier-dropout']);
		const answers = answersInForce(c.db, [c.episode.id]).get(c.episode.id)!;
		expect(answers.size).toBe(config.checklist.factors.length);
		expect(answers.get('earlier-dropout')).toMatchObject({ answer: 'yes', note: 'Left twice in 2024', assessedBy: 'clin-a' });
		expect(answers.get('motivation')).toMatchObject({ answer: 'unknown' });
		reviewChecklist(
			c.db,
			c.users.leadA,
			target,
			config.checklist,
			{ 'earlier-dropout': { answer: 'no', note: 'Checked the records: it was a transfer', date: null } },
			new Date('2026-11-05T10:00:00Z')
		);
		c.refresh('2026-11-05T10:00:00Z');
		expect(c.open()).toEqual([]);
		expect(lastReviewed(answersInForce(c.db, [c.episode.id]).get(c.episode.id))).toEqual(new Date('2026-11-05T10:00:00Z'));
		expect(c.db.select().from(auditEvents).where(eq(auditEvents.action, 'checklist_assessed')).all()).toHaveLength(2);
	});

	it('a transition date raises transition-near within 14 days, from either side', () => {
		const c = clinic();
		c.session('2026-11-02T10:00:00Z', 'attended', { outcome: 18, alliance: 38 });
		reviewChecklist(
			c.db,
			c.users.clinicianA,
			{ episodeId: c.episode.id, patientId: c.patientA },
			config.checklist,
			{ transition: { answer: 'yes', note: 'To outpatient care', date: '2026-11-20' } },
			new Date('2026-11-03T10:00:00Z')
		);
		expect(transitionDate(config.checklist, answersInForce(c.db, [c.episode.id]).get(c.episode.id))).toBe('2026-11-20');
		c.refresh('2026-11-05T10:00:00Z');
		expect(c.open()).toEqual(['factor:transition']);
		c.refresh('2026-11-06T10:00:00Z');
		expect(c.open()).toEqual(['factor:transition', 'signal:transition-near']);
		c.refresh('2026-12-04T10:00:00Z');
		expect(c.open()).toContain('signal:transition-near');
	});
});

describe('the risk settings', () => {
	it('are the defaults without configuration', () => {
		expect(config.attendance).toMatchObject({ windowDays: 28, missedInWindow: 2, transitionWithinDays: 14 });
		expect(config.sweepMinutes).toBe(15);
		expect(config.milestoneDays).toEqual({ outpatient: 28, inpatient: 28, group: 28 });
		expect(riskConfigFrom({ STEMME_MILESTONE_DAYS_OUTPATIENT: '56', STEMME_MILESTONE_DAYS_INPATIENT: '42' }).milestoneDays).toMatchObject({ outpatient: 56, inpatient: 42 });
	});
	it('read thresholds from the environment', () => {
		expect(riskConfigFrom({ STEMME_MISSED_IN_WINDOW: '3', STEMME_MISSED_SHARE: '0.25' }).attendance).toMatchObject({ missedInWindow: 3, missedShare: 0.25 });
	});
	it.each([
		['STEMME_MISSED_IN_WINDOW', '0'],
		['STEMME_MISSED_SHARE', '1.5'],
		['STEMME_MISSED_WINDOW_DAYS', 'four'],
		['STEMME_FLAG_SWEEP_MINUTES', '2.5'],
		['STEMME_MILESTONE_DAYS_INPATIENT', '43'],
		['STEMME_MILESTONE_DAYS_OUTPATIENT', 'monthly']
	])('refuse %s=%s, naming it', (name, value) => {
		expect(() => riskConfigFrom({ [name]: value })).toThrow(name);
	});
	it('refuse a checklist file that is missing or invalid, naming the file and the field', async () => {
		const { mkdtempSync, writeFileSync } = await import('node:fs');
		const { join } = await import('node:path');
		const { tmpdir } = await import('node:os');
		const dir = mkdtempSync(join(tmpdir(), 'stemme-checklist-'));
		expect(() => riskConfigFrom({ STEMME_CHECKLIST: join(dir, 'none.json') })).toThrow(/STEMME_CHECKLIST.*none\.json/);
		const bad = join(dir, 'bad.json');
		writeFileSync(bad, JSON.stringify({ ...config.checklist, factors: [{ ...config.checklist.factors[0], label: { en: 'x' } }] }));
		expect(() => riskConfigFrom({ STEMME_CHECKLIST: bad })).toThrow(/bad\.json.*factors\[0\]\.label/);
		const good = join(dir, 'local.json');
		writeFileSync(good, JSON.stringify({ ...config.checklist, id: 'local', factors: config.checklist.factors.slice(0, 3) }));
		expect(riskConfigFrom({ STEMME_CHECKLIST: good }).checklist.factors.map((f) => f.key)).toEqual(['cognitive-impairment', 'weak-alliance', 'personality']);
	});
});
