import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smallClinic } from '../test/fixtures';
import { appointments, auditEvents, episodes, patients, ratings, tabletHandoffs, type TabletHandoff } from '../db/schema';
import { createSession } from '../auth/session';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry, getInstrument } from '$lib/domain/registry';
import { currentAppointmentId, keepPatientLanguage, roundIsOver, setHandoffLanguage, skipTurn, startHandoff } from './handoff';

const NOW = new Date('2026-11-23T10:00:00Z');
const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const outcome = getInstrument(made.registry, 'stemme-outcome-adult', 1)!;

/** Team A's clinician with three patients, each with an open episode and an appointment now. */
function clinic() {
	const c = smallClinic();
	const { db } = c;
	const user = c.users.clinicianA;
	const patientIds = [c.patientA, ...['A-2', 'A-3'].map((code) => db.insert(patients).values({ organisationId: 1, teamId: c.teamA, code, displayName: code, birthYear: 1980 }).returning().get().id)];
	const appointmentIds = patientIds.map((patientId) => {
		const episode = db.insert(episodes).values({ patientId, startDate: '2026-09-01', setting: 'group' }).returning().get();
		return db.insert(appointments).values({ episodeId: episode.id, clinicianId: user.id, scheduledAt: NOW }).returning().get().id;
	});
	const { session } = createSession(db, user.id, NOW);
	const hand = (ids: number[], rater: TabletHandoff['rater'] = 'patient'): TabletHandoff =>
		startHandoff(db, { sessionId: session.id, userId: user.id, appointmentIds: ids, instrument: outcome, rater, patientIds: [] }, NOW);
	const stored = (id: string): TabletHandoff => db.select().from(tabletHandoffs).where(eq(tabletHandoffs.id, id)).get()!;
	const audits = (action: 'changed_record' | 'patient_edited') => db.select().from(auditEvents).where(eq(auditEvents.action, action)).all();
	const preferred = (patientId: number): string | null => db.select({ l: patients.preferredLocale }).from(patients).where(eq(patients.id, patientId)).get()!.l;
	return { ...c, user, patientIds, appointmentIds, hand, stored, audits, preferred };
}

describe('skipTurn — a member of the group round is not here', () => {
	it('passes the tablet on to the next member, clears the language chosen, files no rating and audits the skip under the absent patient', () => {
		const c = clinic();
		const round = c.hand(c.appointmentIds);
		setHandoffLanguage(c.db, round.id, 'en');
		expect(skipTurn(c.db, c.stored(round.id), NOW, '10.0.0.7')).toBe(true);
		const after = c.stored(round.id);
		expect([after.position, currentAppointmentId(after), after.language]).toEqual([1, c.appointmentIds[1], null]);
		expect(c.db.select().from(ratings).all()).toEqual([]);
		const skipped = c.audits('changed_record').filter((a) => a.detail?.includes('skipped without a rating'));
		expect(skipped.map((a) => [a.patientId, a.userId, a.address])).toEqual([[c.patientIds[0], c.user.id, '10.0.0.7']]);
		expect(skipped[0]!.detail).toBe('stemme-outcome-adult: not present in the group round, skipped without a rating');
	});

	it('after the last member the round is over, and a round that is over cannot be skipped further', () => {
		const c = clinic();
		const round = c.hand(c.appointmentIds);
		// Three members: three skips take the position from 0 to 3, past the last member (index 2).
		for (let i = 0; i < 3; i++) expect(skipTurn(c.db, c.stored(round.id), NOW, null)).toBe(true);
		const over = c.stored(round.id);
		expect([over.position, roundIsOver(over), currentAppointmentId(over)]).toEqual([3, true, null]);
		expect(skipTurn(c.db, over, NOW, null)).toBe(false);
		expect(c.stored(round.id).position).toBe(3);
		// One audit row per member skipped, each under that member.
		expect(
			c
				.audits('changed_record')
				.filter((a) => a.detail?.includes('skipped'))
				.map((a) => a.patientId)
		).toEqual(c.patientIds);
	});

	it('is not offered for one patient alone: nothing moves, nothing is audited', () => {
		const c = clinic();
		const single = c.hand([c.appointmentIds[0]!]);
		expect(skipTurn(c.db, single, NOW, null)).toBe(false);
		expect(c.stored(single.id).position).toBe(0);
		expect(c.audits('changed_record').filter((a) => a.detail?.includes('skipped'))).toEqual([]);
	});
});

describe("keepPatientLanguage — the patient's language becomes their preferred one", () => {
	it("sets the preferred language and this turn's language, audited with the old and new language", () => {
		const c = clinic();
		const handoff = c.hand([c.appointmentIds[0]!]);
		expect(c.preferred(c.patientIds[0]!)).toBeNull();
		expect(keepPatientLanguage(c.db, handoff, 'nn', NOW, '10.0.0.7')).toBe(true);
		expect(c.preferred(c.patientIds[0]!)).toBe('nn');
		expect(c.stored(handoff.id).language).toBe('nn');
		const audit = c.audits('patient_edited');
		expect(audit.map((a) => [a.patientId, a.userId, a.address, a.detail])).toEqual([[c.patientIds[0], c.user.id, '10.0.0.7', 'preferred language – → nn, chosen by the patient on the tablet']]);
		// Said again in another language: the audit names the one it replaces.
		expect(keepPatientLanguage(c.db, c.stored(handoff.id), 'en', NOW, null)).toBe(true);
		expect(c.audits('patient_edited').at(-1)!.detail).toBe('preferred language nn → en, chosen by the patient on the tablet');
		// The next hand-over of another appointment of this patient opens in it (startHandoff reads it).
		const episode = c.db.select({ id: appointments.episodeId }).from(appointments).where(eq(appointments.id, c.appointmentIds[0]!)).get()!.id;
		const next = c.db.insert(appointments).values({ episodeId: episode, clinicianId: c.user.id, scheduledAt: NOW }).returning().get().id;
		expect(c.hand([next]).language).toBe('en');
	});

	it.each([
		['a group round', (c: ReturnType<typeof clinic>) => c.hand(c.appointmentIds), 'nn'],
		["a relative's form", (c: ReturnType<typeof clinic>) => c.hand([c.appointmentIds[0]!], 'collateral'), 'nn'],
		["a language Stemme does not speak (a pack's)", (c: ReturnType<typeof clinic>) => c.hand([c.appointmentIds[0]!]), 'se'],
		['no language at all', (c: ReturnType<typeof clinic>) => c.hand([c.appointmentIds[0]!]), '']
	])('refuses %s: nothing changes, nothing is audited', (_, hand, language) => {
		const c = clinic();
		const handoff = hand(c);
		expect(keepPatientLanguage(c.db, handoff, language, NOW, null)).toBe(false);
		expect(c.patientIds.map(c.preferred)).toEqual([null, null, null]);
		expect(c.stored(handoff.id).language).toBeNull();
		expect(c.audits('patient_edited')).toEqual([]);
	});
});
