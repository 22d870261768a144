import { describe, expect, it } from 'vitest';
import { smallClinic, testContext } from '$lib/server/test/fixtures';
import { appointments, episodes } from '$lib/server/db/schema';
import { createSession } from '$lib/server/auth/session';
import { startHandoff } from '$lib/server/tablet/handoff';
import { ratingForm, submitFromTablet } from '$lib/server/tablet/patient-mode';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry, getInstrument } from '$lib/domain/registry';
import { untouched, verdict, type Answers } from './answers';

const NOW = new Date('2026-11-23T10:00:00Z');
const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const registry = made.registry;

/** A fresh clinic with one handed-over appointment: the form the tablet gets, and a way to submit to the server. */
function handedOver() {
	const c = smallClinic();
	const episode = c.db.insert(episodes).values({ patientId: c.patientA, startDate: '2026-09-01', setting: 'outpatient' }).returning().get();
	const appointmentId = c.db.insert(appointments).values({ episodeId: episode.id, clinicianId: c.users.clinicianA.id, scheduledAt: NOW }).returning().get().id;
	const { session, token } = createSession(c.db, c.users.clinicianA.id, NOW);
	const instrument = getInstrument(registry, 'stemme-outcome-adult', 1)!;
	const handoff = startHandoff(c.db, { sessionId: session.id, userId: c.users.clinicianA.id, appointmentIds: [appointmentId], instrument, rater: 'patient', patientIds: [] }, NOW);
	const form = ratingForm(c.db, registry, handoff)!;
	let n = 0;
	const server = (values: Answers) => {
		const ctx = testContext(c.db, { now: NOW, token });
		if (ctx.actor.kind !== 'tablet') throw new Error('not in patient mode');
		return submitFromTablet(ctx, ctx.actor, { handoffId: handoff.id, clientId: `parity-${++n}-client`, appointmentId, values });
	};
	return { form, server };
}

const all = (v: number | null): Answers => ({ self: v, close: v, daily: v, overall: v });

describe('the tablet and the server judge the same answers alike', () => {
	it.each([
		{ name: 'untouched lines', answers: all(null) },
		{ name: 'one line untouched', answers: { ...all(5), overall: null } },
		{ name: 'the ends of the line', answers: { self: 0, close: 10, daily: 0, overall: 10 } },
		{ name: 'tenths that binary floats blur (0.1 + 0.2)', answers: { ...all(3.3), daily: 0.1 + 0.2 } },
		{ name: 'past the end (10.05)', answers: { ...all(5), self: 10.05 } },
		{ name: 'below the start (−0.1)', answers: { ...all(5), close: -0.1 } },
		{ name: 'two decimals (5.55)', answers: { ...all(5), daily: 5.55 } },
		{ name: 'not a number (NaN)', answers: { ...all(5), overall: Number.NaN } },
		{ name: 'an item the instrument does not have', answers: { ...all(5), extra: 5 } }
	])('$name', ({ answers }) => {
		const { form, server } = handedOver();
		const client = verdict(form.instrument, answers);
		const stored = server(client.ok ? client.values : answers);
		// The server is given what the tablet would send: the domain's reading when it accepts, else the raw answers.
		expect(stored.ok, JSON.stringify(stored)).toBe(client.ok);
		if (!client.ok && !stored.ok && stored.reason === 'invalid_values') {
			expect(stored.problems.map((p) => [p.key, p.code])).toEqual(client.problems.map((p) => [p.key, p.code]));
		}
		if (client.ok && stored.ok) expect(stored.rating.itemValues).toEqual(client.values);
	});

	it('untouched lines are every item of the form, none answered: not complete', () => {
		const { form } = handedOver();
		const answers = untouched(form.instrument.items);
		expect(answers).toEqual(all(null));
		expect(verdict(form.instrument, answers)).toEqual({ ok: false, problems: ['self', 'close', 'daily', 'overall'].map((key) => ({ key, code: 'missing' })) });
	});
});
