import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { appointments, episodes, flags, ratings } from '../db/schema';
import { refreshFlagsSoon } from './refresh';
import { riskConfigFrom } from './config';
import { resetFittedModels } from '../expected-models';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry } from '$lib/domain/registry';

const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const risk = { registry: made.registry, config: riskConfigFrom({}) };

/** Two patients, each with an open episode and one attended session rated with an alliance of 33 (below the cutoff of 36). */
function clinic() {
	resetFittedModels();
	const c = smallClinic();
	let n = 0;
	const rated = (patientId: number) => {
		const episode = c.db.insert(episodes).values({ patientId, startDate: '2026-11-01', setting: 'outpatient', sessionIntervalDays: 7 }).returning().get();
		const appt = c.db
			.insert(appointments)
			.values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: new Date('2026-11-02T10:00:00Z'), status: 'attended' })
			.returning()
			.get();
		const values = (t: number, keys: string[]) => Object.fromEntries(keys.map((k) => [k, t / 4]));
		c.db
			.insert(ratings)
			.values({
				clientId: `o-${++n}`,
				appointmentId: appt.id,
				instrumentId: 'stemme-outcome-adult',
				instrumentVersion: 1,
				itemValues: values(18, ['self', 'close', 'daily', 'overall']),
				total: 18,
				submittedAt: new Date('2026-11-02T10:00:00Z')
			})
			.run();
		c.db
			.insert(ratings)
			.values({
				clientId: `a-${++n}`,
				appointmentId: appt.id,
				instrumentId: 'stemme-alliance-adult',
				instrumentVersion: 1,
				itemValues: values(33, ['heard', 'goals', 'approach', 'overall']),
				total: 33,
				submittedAt: new Date('2026-11-02T10:00:00Z')
			})
			.run();
		return { episodeId: episode.id, appointmentId: appt.id };
	};
	const openKeys = (episodeId: number) =>
		c.db
			.select()
			.from(flags)
			.where(eq(flags.episodeId, episodeId))
			.all()
			.filter((f) => f.resolvedAt === null)
			.map((f) => f.key);
	return { ...c, a: rated(c.patientA), b: rated(c.patientB), openKeys };
}

describe('refreshFlagsSoon', () => {
	beforeEach(() => {
		vi.useFakeTimers({ now: new Date('2026-11-03T10:00:00Z') });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('evaluates every rated episode once, a few seconds after the ratings, not while the request is answered', async () => {
		const c = clinic();
		const log: string[] = [];
		refreshFlagsSoon(c.db, risk, { appointmentId: c.a.appointmentId }, (l) => log.push(l));
		refreshFlagsSoon(c.db, risk, { appointmentId: c.a.appointmentId }, (l) => log.push(l));
		refreshFlagsSoon(c.db, risk, { episodeId: c.b.episodeId }, (l) => log.push(l));
		expect(c.openKeys(c.a.episodeId)).toEqual([]);
		await vi.advanceTimersByTimeAsync(5000);
		expect(c.openKeys(c.a.episodeId)).toEqual(['signal:alliance-below-cutoff']);
		expect(c.openKeys(c.b.episodeId)).toEqual(['signal:alliance-below-cutoff']);
		expect(log).toEqual([]);
	});

	it('evaluates the other episodes of a batch when one of them cannot be stored, and names the one that failed', async () => {
		const c = clinic();
		// The flags of episode a cannot be written: its batch is rolled back, then tried one by one.
		c.db.$client.exec(`CREATE TRIGGER no_flags_for_a BEFORE INSERT ON flags WHEN NEW.episode_id = ${c.a.episodeId} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
		const log: string[] = [];
		refreshFlagsSoon(c.db, risk, { episodeId: c.a.episodeId }, (l) => log.push(l));
		refreshFlagsSoon(c.db, risk, { episodeId: c.b.episodeId }, (l) => log.push(l));
		await vi.advanceTimersByTimeAsync(5000);
		expect(c.openKeys(c.a.episodeId)).toEqual([]);
		expect(c.openKeys(c.b.episodeId)).toEqual(['signal:alliance-below-cutoff']);
		expect(log).toEqual([`Stemme: drop-out flags of episode ${c.a.episodeId} not updated: refused by the test`]);
	});
});
