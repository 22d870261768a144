import { describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { appointments, episodes, flags, ratings, riskActions } from '../db/schema';
import { acknowledgeFlags, agreeAction, closeFlag, refreshEpisodeFlags } from './flags';
import { reviewChecklist } from './checklist';
import { riskConfigFrom } from './config';
import { resetFittedModels } from '../expected-models';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry } from '$lib/domain/registry';

/**
 * A flag holds through a normal session: the outcome rating is given at the start and the
 * alliance rating about 45 minutes later at the end. A session is judged once both are in (or it
 * is over), so between them no flag is cleared or raised, and a standing condition keeps its one
 * flag — its acknowledgement, its action and its history — from one session to the next.
 */
const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const registry = made.registry;
const config = riskConfigFrom({});
const MIN = 60_000;

function clinic() {
	resetFittedModels();
	const c = smallClinic();
	const episode = c.db.insert(episodes).values({ patientId: c.patientA, startDate: '2026-09-01', setting: 'outpatient', sessionIntervalDays: 14 }).returning().get();
	let n = 0;
	const values = (t: number, keys: string[]) => Object.fromEntries(keys.map((k) => [k, t / 4]));
	const outcome = (appointmentId: number, total: number, at: Date) =>
		c.db
			.insert(ratings)
			.values({
				clientId: `o${++n}`,
				appointmentId,
				instrumentId: 'stemme-outcome-adult',
				instrumentVersion: 1,
				itemValues: values(total, ['self', 'close', 'daily', 'overall']),
				total,
				submittedAt: at
			})
			.run();
	const alliance = (appointmentId: number, total: number, at: Date) =>
		c.db
			.insert(ratings)
			.values({
				clientId: `a${++n}`,
				appointmentId,
				instrumentId: 'stemme-alliance-adult',
				instrumentVersion: 1,
				itemValues: values(total, ['heard', 'goals', 'approach', 'overall']),
				total,
				submittedAt: at
			})
			.run();
	const appointment = (at: string, status: 'attended' | 'no_show' | 'late_cancellation' | 'scheduled') =>
		c.db
			.insert(appointments)
			.values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: new Date(at), status })
			.returning()
			.get();
	/** A finished session with both ratings. */
	const past = (at: string, o: number, a: number) => {
		const appt = appointment(at, 'attended');
		outcome(appt.id, o, new Date(at));
		alliance(appt.id, a, new Date(Date.parse(at) + 45 * MIN));
	};
	const refresh = (now: Date) => refreshEpisodeFlags(c.db, registry, config, episode.id, now);
	const open = () =>
		c.db
			.select()
			.from(flags)
			.where(and(eq(flags.episodeId, episode.id), isNull(flags.resolvedAt)))
			.all();
	const openKeys = () =>
		open()
			.map((f) => f.key)
			.sort();
	const flagBy = (key: string) => open().find((f) => f.key === key);
	const target = { episodeId: episode.id, patientId: c.patientA };

	/**
	 * Runs one session on the tablet: outcome at `at` (the evaluation runs ~5 s later), alliance
	 * 45 minutes on (again ~5 s later). Returns the open keys after each step.
	 */
	const session = (at: string, o: number, a: number) => {
		const start = new Date(at);
		const appt = appointment(at, 'attended');
		outcome(appt.id, o, start);
		refresh(new Date(start.getTime() + 5_000));
		const afterOutcome = openKeys();
		const end = new Date(start.getTime() + 45 * MIN);
		alliance(appt.id, a, end);
		refresh(new Date(end.getTime() + 5_000));
		return { afterOutcome, afterAlliance: openKeys() };
	};
	/** The flag is seen and an action agreed on it; returns its id. */
	const handle = (key: string, now: Date) => {
		const flag = flagBy(key)!;
		expect(flag, key).toBeDefined();
		agreeAction(c.db, c.users.clinicianA, c.patientA, { episodeId: episode.id, flagId: flag.id, actionKey: 'next-session', note: '', ownerId: c.users.clinicianA.id, dueDate: '2026-12-31' }, now);
		return flag.id;
	};
	/** Still the same flag: open, with its acknowledgement and its action. */
	const expectSame = (key: string, id: number) => {
		const flag = flagBy(key);
		expect(flag?.id, `${key} is still flag ${id}`).toBe(id);
		expect(flag?.acknowledgedById).toBe(c.users.clinicianA.id);
		expect(c.db.select().from(riskActions).where(eq(riskActions.flagId, id)).all()).toHaveLength(1);
		// Raised once: no second flag with this key, open or closed.
		expect(
			c.db
				.select()
				.from(flags)
				.where(and(eq(flags.episodeId, episode.id), eq(flags.key, key)))
				.all()
		).toHaveLength(1);
	};
	return { ...c, episode, appointment, outcome, alliance, past, refresh, session, handle, expectSame, openKeys, flagBy, target };
}

describe('a flag holds through a normal session', () => {
	it('alliance below the cutoff: the start-of-session outcome rating neither clears it nor raises it again', () => {
		const c = clinic();
		c.past('2026-11-02T10:00:00Z', 18, 38);
		c.past('2026-11-09T10:00:00Z', 19, 33); // 33 < 36: below the cutoff (and a drop of 5)
		c.refresh(new Date('2026-11-09T11:00:00Z'));
		const id = c.handle('signal:alliance-below-cutoff', new Date('2026-11-10T09:00:00Z'));
		const s = c.session('2026-11-16T10:00:00Z', 20, 34); // still below 36; 33 → 34 is no drop
		expect(s.afterOutcome).toContain('signal:alliance-below-cutoff');
		expect(s.afterAlliance).toContain('signal:alliance-below-cutoff');
		c.expectSame('signal:alliance-below-cutoff', id);
		// The figures follow the data; those it was raised on are kept.
		const flag = c.flagBy('signal:alliance-below-cutoff')!;
		expect(flag.params).toMatchObject({ session: 3, total: 34 });
		expect(flag.raisedParams).toMatchObject({ session: 2, total: 33 });
		// The drop cleared for real at session 3 (34 is not below 33): that flag went to the history.
		expect(s.afterAlliance).not.toContain('signal:alliance-dropped');
	});

	it('alliance dropped: holds through the session in which it drops again', () => {
		const c = clinic();
		c.past('2026-11-02T10:00:00Z', 18, 39);
		c.past('2026-11-09T10:00:00Z', 24, 37); // a fall of 2 ≥ 1, still above 36; +6 is reliable improvement
		c.refresh(new Date('2026-11-09T11:00:00Z'));
		expect(c.openKeys()).toEqual(['signal:alliance-dropped']);
		const id = c.handle('signal:alliance-dropped', new Date('2026-11-10T09:00:00Z'));
		const s = c.session('2026-11-16T10:00:00Z', 25, 36); // 37 → 36: a fall of 1 again
		expect(s.afterOutcome).toEqual(['signal:alliance-dropped']);
		expect(s.afterAlliance).toEqual(['signal:alliance-dropped']);
		c.expectSame('signal:alliance-dropped', id);
	});

	it('no reliable improvement at the discuss checkpoint: the same flag through session 4', () => {
		const c = clinic();
		// 17 → 18 → 19: +2 by session 3, under the reliable 5.
		c.past('2026-11-02T10:00:00Z', 17, 38);
		c.past('2026-11-09T10:00:00Z', 18, 38);
		c.past('2026-11-16T10:00:00Z', 19, 38);
		c.refresh(new Date('2026-11-16T11:00:00Z'));
		const id = c.handle('signal:no-reliable-improvement-discuss', new Date('2026-11-17T09:00:00Z'));
		const s = c.session('2026-11-23T10:00:00Z', 20, 38); // +3: still not reliable
		expect(s.afterOutcome).toEqual(['signal:no-reliable-improvement-discuss']);
		expect(s.afterAlliance).toEqual(['signal:no-reliable-improvement-discuss']);
		c.expectSame('signal:no-reliable-improvement-discuss', id);
	});

	it('reliable deterioration: the same flag while the score stays reliably below the intake', () => {
		const c = clinic();
		c.past('2026-11-02T10:00:00Z', 20, 38);
		c.past('2026-11-09T10:00:00Z', 15, 38); // −5: reliable deterioration
		c.refresh(new Date('2026-11-09T11:00:00Z'));
		const id = c.handle('signal:reliable-deterioration', new Date('2026-11-10T09:00:00Z'));
		const s = c.session('2026-11-16T10:00:00Z', 14, 38);
		expect(s.afterOutcome).toEqual(['signal:reliable-deterioration']);
		expect(s.afterAlliance).toEqual(['signal:reliable-deterioration']);
		c.expectSame('signal:reliable-deterioration', id);
	});

	it('reliable deterioration clears when the score really recovers, once the session is judged', () => {
		const c = clinic();
		c.past('2026-11-02T10:00:00Z', 20, 38);
		c.past('2026-11-09T10:00:00Z', 15, 38);
		c.refresh(new Date('2026-11-09T11:00:00Z'));
		const s = c.session('2026-11-16T10:00:00Z', 26, 38); // 20 → 26: reliably better than the intake
		// Not at the outcome rating (the session is not judged yet), but once it is complete.
		expect(s.afterOutcome).toEqual(['signal:reliable-deterioration']);
		expect(s.afterAlliance).toEqual([]);
	});

	it('missed appointments in the window and the share missed: the same flags through an attended session', () => {
		const c = clinic();
		c.past('2026-10-26T10:00:00Z', 20, 38);
		c.appointment('2026-11-02T10:00:00Z', 'no_show');
		c.appointment('2026-11-09T10:00:00Z', 'late_cancellation');
		c.refresh(new Date('2026-11-10T09:00:00Z'));
		// 2 misses in 28 days; 2 of 3 (67 % > the share) once 3 are due.
		expect(c.openKeys()).toEqual(['signal:missed-recently', 'signal:missed-share']);
		const recent = c.handle('signal:missed-recently', new Date('2026-11-10T09:00:00Z'));
		const share = c.handle('signal:missed-share', new Date('2026-11-10T09:00:00Z'));
		const s = c.session('2026-11-16T10:00:00Z', 21, 38);
		expect(s.afterOutcome).toEqual(['signal:missed-recently', 'signal:missed-share']);
		expect(s.afterAlliance).toEqual(['signal:missed-recently', 'signal:missed-share']);
		c.expectSame('signal:missed-recently', recent);
		c.expectSame('signal:missed-share', share);
	});

	it('a long gap is cleared by the session itself: the patient came, which is the data clearing it', () => {
		const c = clinic();
		c.past('2026-10-01T10:00:00Z', 20, 38);
		c.refresh(new Date('2026-11-16T09:00:00Z'));
		expect(c.openKeys()).toEqual(['signal:long-gap']);
		const s = c.session('2026-11-16T10:00:00Z', 21, 38);
		expect(s.afterOutcome).toEqual([]);
		expect(s.afterAlliance).toEqual([]);
	});

	it('a checklist factor and a transition coming near: the same flags through a session', () => {
		const c = clinic();
		c.past('2026-11-09T10:00:00Z', 20, 38);
		reviewChecklist(c.db, c.users.clinicianA, c.target, config.checklist, { transition: { answer: 'yes', note: 'To the municipality', date: '2026-11-25' } }, new Date('2026-11-10T09:00:00Z'));
		c.refresh(new Date('2026-11-12T09:00:00Z'));
		expect(c.openKeys()).toEqual(['factor:transition', 'signal:transition-near']);
		const factor = c.handle('factor:transition', new Date('2026-11-12T09:00:00Z'));
		const near = c.handle('signal:transition-near', new Date('2026-11-12T09:00:00Z'));
		const s = c.session('2026-11-16T10:00:00Z', 21, 38);
		expect(s.afterOutcome).toEqual(['factor:transition', 'signal:transition-near']);
		expect(s.afterAlliance).toEqual(['factor:transition', 'signal:transition-near']);
		c.expectSame('factor:transition', factor);
		c.expectSame('signal:transition-near', near);
	});

	it('a session without an alliance rating is judged once it is over, and a missing rating clears nothing', () => {
		const c = clinic();
		c.past('2026-11-02T10:00:00Z', 18, 38);
		c.past('2026-11-09T10:00:00Z', 19, 33);
		c.refresh(new Date('2026-11-09T11:00:00Z'));
		const id = c.handle('signal:alliance-below-cutoff', new Date('2026-11-10T09:00:00Z'));
		const appt = c.appointment('2026-11-16T10:00:00Z', 'attended');
		c.outcome(appt.id, 13, new Date('2026-11-16T10:00:00Z')); // 18 → 13: −5, reliable deterioration
		c.refresh(new Date('2026-11-16T10:30:00Z'));
		expect(c.openKeys()).toEqual(['signal:alliance-below-cutoff', 'signal:alliance-dropped']);
		// The hour is over and the alliance rating was never given: the outcome is judged now.
		c.refresh(new Date('2026-11-16T11:05:00Z'));
		expect(c.openKeys()).toEqual(['signal:alliance-below-cutoff', 'signal:alliance-dropped', 'signal:reliable-deterioration']);
		c.expectSame('signal:alliance-below-cutoff', id);
	});
});

describe('handling flags by domain', () => {
	it('one acknowledgement covers a domain; "mark all seen" covers the patient; each flag keeps its own audit row', () => {
		const c = clinic();
		c.past('2026-10-12T10:00:00Z', 20, 39);
		c.appointment('2026-10-26T10:00:00Z', 'no_show');
		c.past('2026-11-02T10:00:00Z', 15, 33);
		c.appointment('2026-11-09T10:00:00Z', 'no_show');
		c.refresh(new Date('2026-11-20T09:00:00Z'));
		expect(c.openKeys()).toEqual(['signal:alliance-below-cutoff', 'signal:alliance-dropped', 'signal:long-gap', 'signal:missed-recently', 'signal:missed-share', 'signal:reliable-deterioration']);
		const now = new Date('2026-11-20T10:00:00Z');
		expect(acknowledgeFlags(c.db, c.users.clinicianA, c.episode.id, c.patientA, 'alliance', now)).toBe(2);
		expect(c.flagBy('signal:alliance-dropped')?.acknowledgedAt).toEqual(now);
		expect(c.flagBy('signal:long-gap')?.acknowledgedAt).toBeNull();
		// Again: nothing left unseen in that domain.
		expect(acknowledgeFlags(c.db, c.users.clinicianA, c.episode.id, c.patientA, 'alliance', now)).toBe(0);
		expect(acknowledgeFlags(c.db, c.users.leadA, c.episode.id, c.patientA, null, now)).toBe(4);
		expect(c.flagBy('signal:alliance-dropped')?.acknowledgedById).toBe(c.users.clinicianA.id);
		expect(c.flagBy('signal:long-gap')?.acknowledgedById).toBe(c.users.leadA.id);
	});

	it('an action agreed on a domain covers its flags and acknowledges them', () => {
		const c = clinic();
		c.past('2026-10-26T10:00:00Z', 20, 38);
		c.appointment('2026-11-02T10:00:00Z', 'no_show');
		c.appointment('2026-11-09T10:00:00Z', 'no_show');
		c.refresh(new Date('2026-11-10T09:00:00Z'));
		const action = agreeAction(
			c.db,
			c.users.clinicianA,
			c.patientA,
			{ episodeId: c.episode.id, flagId: null, flagKind: 'attendance', actionKey: 'call-today', note: '', ownerId: c.users.clinicianA.id, dueDate: '2026-11-10' },
			new Date('2026-11-10T09:30:00Z')
		);
		expect(action.flagKind).toBe('attendance');
		expect(c.openKeys().map((k) => c.flagBy(k)?.acknowledgedById)).toEqual([c.users.clinicianA.id, c.users.clinicianA.id]);
	});

	it('a flag closed by hand keeps who and why in the history; the same standing condition raises no new one, a return after it cleared does', () => {
		const c = clinic();
		c.past('2026-10-01T10:00:00Z', 20, 38);
		c.refresh(new Date('2026-11-16T09:00:00Z'));
		const flag = c.flagBy('signal:long-gap')!;
		expect(closeFlag(c.db, c.users.clinicianA, flag, c.patientA, 'Away on an agreed leave until December', new Date('2026-11-16T09:10:00Z'))).toBe(true);
		expect(closeFlag(c.db, c.users.clinicianA, flag, c.patientA, 'twice', new Date('2026-11-16T09:11:00Z'))).toBe(false);
		const closed = c.db.select().from(flags).where(eq(flags.id, flag.id)).get()!;
		expect(closed).toMatchObject({ resolution: 'closed-by-hand', closeReason: 'Away on an agreed leave until December', closedById: c.users.clinicianA.id });
		expect(c.openKeys()).toEqual([]);
		c.refresh(new Date('2026-11-16T09:20:00Z'));
		expect(c.openKeys()).toEqual([]);
		// The patient comes back (the gap clears), then stays away again: a new flag.
		c.past('2026-11-17T10:00:00Z', 21, 38);
		c.refresh(new Date('2026-11-17T12:00:00Z'));
		expect(c.openKeys()).toEqual([]);
		c.refresh(new Date('2026-12-05T12:00:00Z'));
		expect(c.flagBy('signal:long-gap')?.id).toBeGreaterThan(flag.id);
	});
});

describe('the flag burden replay', () => {
	it('counts the alliance flag raised again at every session before, and not after; one card per domain', async () => {
		const { flagBurden } = await import('./burden');
		const { episodeRecords } = await import('../patients');
		const c = clinic();
		c.past('2026-11-02T10:00:00Z', 18, 38);
		c.past('2026-11-09T10:00:00Z', 24, 33); // below the cutoff from here on (and a drop at 2)
		c.past('2026-11-16T10:00:00Z', 25, 34);
		c.past('2026-11-23T10:00:00Z', 25, 34);
		const record = episodeRecords(c.db, registry, [c.episode])[0]!;
		const window = { from: new Date('2026-11-10T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z') };
		const before = flagBurden(c.db, registry, config, [{ record, birthYear: 1980 }], { ...window, judging: 'every-rating' });
		const after = flagBurden(c.db, registry, config, [{ record, birthYear: 1980 }], { ...window, judging: 'complete-sessions' });
		// Before: sessions 3 and 4 each clear it at the outcome rating and raise it again at the alliance rating.
		expect(before.byRule).toEqual([['alliance-below-cutoff', 2]]);
		expect(before.raised).toBe(2);
		// After: the standing condition keeps its one flag; the drop (session 2) cleared at session 3.
		expect(after.raised).toBe(0);
		expect(after.openPer100).toBe(100);
		expect(after.openCardsPer100).toBe(100);
	});
});
