import { count } from 'drizzle-orm';
import type { Db } from '../db';
import {
	appointments,
	episodes,
	groupSessions,
	organisations,
	patients,
	ratings,
	teamMemberships,
	teams,
	users,
	type Role
} from '../db/schema';
import { hashPassword } from '../auth/password';
import { mulberry32 } from '$lib/domain/random';
import { planFor, shapes, type Shape } from './shapes';

/** The demo sign-ins, printed at start. Demo only: production sets STEMME_DEMO=off. */
export const DEMO_PASSWORD = 'stemme-demo';
export const demoClinicians: { username: string; name: string; role: Role; team: 0 | 1 | null }[] = [
	{ username: 'kari', name: 'Kari Berg', role: 'team_lead', team: 0 },
	{ username: 'ola', name: 'Ola Haugen', role: 'clinician', team: 0 },
	{ username: 'ingrid', name: 'Ingrid Lie', role: 'team_lead', team: 1 },
	{ username: 'sindre', name: 'Sindre Moe', role: 'clinician', team: 1 },
	{ username: 'admin', name: 'Astrid Admin', role: 'admin', team: null }
];

const TEAM_NAMES = ['Poliklinikk voksne', 'Ungdom og døgn'] as const;
export const FIRST = ['Anne', 'Bjørn', 'Camilla', 'Daniel', 'Eva', 'Fredrik', 'Guro', 'Henrik', 'Ida', 'Jon', 'Kristin', 'Lars', 'Maja', 'Nils', 'Oda', 'Petter', 'Randi', 'Stian', 'Tone', 'Vegard'];
export const LAST = ['Aas', 'Bakke', 'Dahl', 'Eide', 'Fjeld', 'Gran', 'Holm', 'Jensen', 'Kvam', 'Lund', 'Myhre', 'Nygård', 'Rud', 'Sand', 'Strand', 'Vik'];

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface DemoPatientSpec {
	shape: Shape;
	team: 0 | 1;
	setting: 'outpatient' | 'inpatient' | 'group';
	adolescent: boolean;
	sessions: number;
	intake: number;
	earlierEpisode: boolean;
}

/** The 40 demo patients: every shape in both teams, plus group patients and adolescents. */
export function demoPatientSpecs(rand: () => number): DemoPatientSpec[] {
	const specs: DemoPatientSpec[] = [];
	for (let i = 0; i < 40; i++) {
		const shape = shapes[i % shapes.length] as Shape;
		const team: 0 | 1 = i < 22 ? 0 : 1;
		const adolescent = team === 1 && i % 4 === 0;
		const group = team === 1 && !adolescent && i % 4 === 1;
		const setting = group ? 'group' : team === 1 && i % 4 === 2 ? 'inpatient' : 'outpatient';
		// Adults typically start at 16–19 (mandated clients higher); adolescents a little higher.
		const intake = adolescent ? 19 + rand() * 6 : i % 9 === 0 ? 24 + rand() * 4 : 13 + rand() * 8;
		specs.push({
			shape,
			team,
			setting,
			adolescent,
			sessions: 2 + Math.floor(rand() * 29),
			intake,
			earlierEpisode: i % 5 === 3
		});
	}
	return specs;
}

export function isDatabaseEmpty(db: Db): boolean {
	const row = db.select({ n: count() }).from(users).get();
	return (row?.n ?? 0) === 0;
}

export function isoDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function noisy(rand: () => number, value: number, spread: number): number {
	return value + (rand() + rand() + rand() - 1.5) * spread;
}

/** Four item values (0.0–10.0, one decimal) around a total, and their exact total. */
export function items(rand: () => number, keys: readonly string[], total: number): { values: Record<string, number>; total: number } {
	const values: Record<string, number> = {};
	let tenths = 0;
	for (const key of keys) {
		const v = Math.round(Math.min(10, Math.max(0, noisy(rand, total / keys.length, 1.2))) * 10);
		values[key] = v / 10;
		tenths += v;
	}
	return { values, total: tenths / 10 };
}

export const OUTCOME_KEYS = ['self', 'close', 'daily', 'overall'] as const;
export const ALLIANCE_KEYS = ['heard', 'goals', 'approach', 'overall'] as const;

/**
 * Fills an empty database with a believable demo clinic, the same every time for the same
 * `seed` and `now`: two teams, four clinicians and an admin, 40 patients with episodes and
 * 2–30 sessions each, in the trajectory shapes of `shapes.ts`.
 */
export async function seedDemoClinic(db: Db, now: Date, seed = 20261123): Promise<void> {
	const rand = mulberry32(seed);
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const specs = demoPatientSpecs(rand);
	db.transaction((tx) => {
		const org = tx.insert(organisations).values({ name: 'Stemme demoklinikk' }).returning().get();
		const teamIds = TEAM_NAMES.map(
			(name) => tx.insert(teams).values({ organisationId: org.id, name }).returning().get().id
		);
		const clinicianIds: number[][] = [[], []];
		for (const c of demoClinicians) {
			const user = tx
				.insert(users)
				.values({ organisationId: org.id, username: c.username, displayName: c.name, passwordHash, role: c.role })
				.returning()
				.get();
			if (c.team !== null) {
				tx.insert(teamMemberships).values({ userId: user.id, teamId: teamIds[c.team]! }).run();
				clinicianIds[c.team]!.push(user.id);
			}
		}
		const thisYear = now.getUTCFullYear();
		const group = tx
			.insert(groupSessions)
			.values({ teamId: teamIds[1]!, clinicianId: clinicianIds[1]![1]!, title: 'Mestringsgruppe', scheduledAt: new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + 12 * HOUR_MS) })
			.returning()
			.get();
		specs.forEach((spec, i) => {
			const age = spec.adolescent ? 15 + Math.floor(rand() * 3) : 20 + Math.floor(rand() * 45);
			const patient = tx
				.insert(patients)
				.values({
					organisationId: org.id,
					teamId: teamIds[spec.team]!,
					code: `P-${1001 + i}`,
					displayName: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
					birthYear: thisYear - age
				})
				.returning()
				.get();
			const team = clinicianIds[spec.team]!;
			const clinicianId = team[i % team.length]!;
			const interval = spec.setting === 'inpatient' ? 3.5 * DAY_MS : 7 * DAY_MS;
			if (spec.earlierEpisode) {
				const start = now.getTime() - (420 + Math.floor(rand() * 200)) * DAY_MS;
				const plan = planFor(rand() < 0.5 ? 'steady_improvement' : 'alliance_sag_dropout', spec.intake);
				writeEpisode(tx, rand, { patientId: patient.id, clinicianId, spec, plan, start, interval, sessions: 6 + Math.floor(rand() * 7), now, closed: true, todayAt: null, groupSessionId: null });
			}
			const plan = planFor(spec.shape, spec.intake);
			const isGroup = spec.setting === 'group';
			// Group members meet together today at 13:00 (UTC); every third other patient has a session today.
			const todayAt = isGroup ? 12 * HOUR_MS : i % 3 === 0 ? (8 + (i % 6)) * HOUR_MS : null;
			const groupSessionId = isGroup ? group.id : null;
			writeEpisode(tx, rand, { patientId: patient.id, clinicianId: isGroup ? group.clinicianId : clinicianId, spec, plan, start: null, interval, sessions: spec.sessions, now, closed: plan.dropsOut, todayAt, groupSessionId });
		});
	});
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

function writeEpisode(
	tx: Tx,
	rand: () => number,
	o: {
		patientId: number;
		clinicianId: number;
		spec: DemoPatientSpec;
		plan: ReturnType<typeof planFor>;
		/** Null for the current episode: it is placed so that its last contact lies just before `now`. */
		start: number | null;
		interval: number;
		sessions: number;
		now: Date;
		closed: boolean;
		/** Ms after midnight UTC when today's appointment is, or null for none today. */
		todayAt: number | null;
		groupSessionId: number | null;
	}
): void {
	const { spec, plan, interval } = o;
	const isGroup = spec.setting === 'group';
	const outcomeId = 'stemme-outcome-adult';
	const allianceId = isGroup ? 'stemme-alliance-group' : 'stemme-alliance-adult';
	// Slots are laid out from 0, then shifted to their calendar place once their span is known.
	const slots: { at: number; status: 'attended' | 'no_show' | 'late_cancellation' | 'scheduled'; groupSessionId?: number | null }[] = [];
	let t = 0;
	let attended = 0;
	while (attended < o.sessions) {
		const at = t + (9 + Math.floor(rand() * 6)) * 60 * 60 * 1000;
		if (attended > 0 && rand() < plan.missRate) {
			slots.push({ at, status: rand() < 0.7 ? 'no_show' : 'late_cancellation' });
		} else {
			slots.push({ at, status: 'attended' });
			attended++;
		}
		t += interval;
	}
	// The drop-out pattern: the alliance sags, then two missed appointments and no more contact.
	if (plan.dropsOut) {
		slots.push({ at: t + 10 * 60 * 60 * 1000, status: 'no_show' });
		slots.push({ at: t + interval + 10 * 60 * 60 * 1000, status: 'no_show' });
	}
	const span = plan.dropsOut ? t + 3 * interval : t;
	const start =
		o.start === null
			? Math.floor((o.now.getTime() - span - (1 + Math.floor(rand() * 5)) * DAY_MS) / DAY_MS) * DAY_MS
			: Math.floor(o.start / DAY_MS) * DAY_MS;
	for (const slot of slots) slot.at += start;
	let actualEnd: string | null = null;
	let endReason: 'planned_completion' | 'dropout' | null = null;
	if (plan.dropsOut) {
		actualEnd = isoDate(start + span);
		endReason = 'dropout';
	} else if (o.closed) {
		actualEnd = isoDate(start + span);
		endReason = 'planned_completion';
	} else {
		// Every third ongoing patient is booked today, so a clinician can open today's session
		// and hand the tablet over; the others next time.
		const today = Math.floor(o.now.getTime() / DAY_MS) * DAY_MS;
		const next = o.todayAt !== null ? today + o.todayAt : Math.max(start + t, today + DAY_MS) + 10 * 60 * 60 * 1000;
		slots.push({ at: next, status: 'scheduled', groupSessionId: o.groupSessionId });
	}
	const episode = tx
		.insert(episodes)
		.values({
			patientId: o.patientId,
			startDate: isoDate(start),
			setting: spec.setting,
			plannedEnd: isoDate(start + 26 * 7 * DAY_MS),
			actualEnd,
			endReason
		})
		.returning()
		.get();
	let session = 0;
	for (const slot of slots) {
		const appt = tx
			.insert(appointments)
			.values({ episodeId: episode.id, clinicianId: o.clinicianId, scheduledAt: new Date(slot.at), status: slot.status, isGroup, groupSessionId: slot.groupSessionId ?? null })
			.returning()
			.get();
		if (slot.status !== 'attended') continue;
		session++;
		const sessionsTotal = o.sessions;
		// A few ratings are missing, as in real services (a rushed start, a patient who declined).
		if (session === 1 || rand() > 0.06) {
			const r = items(rand, OUTCOME_KEYS, clamp40(noisy(rand, plan.outcome(session, sessionsTotal), 2.5)));
			tx.insert(ratings).values(ratingRow(appt.id, outcomeId, 'patient', r, slot.at + 5 * 60_000)).run();
			if (spec.adolescent && session === 1) {
				const c = items(rand, OUTCOME_KEYS, clamp40(noisy(rand, plan.outcome(session, sessionsTotal) - 3, 2)));
				tx.insert(ratings).values(ratingRow(appt.id, outcomeId, 'collateral', c, slot.at + 7 * 60_000)).run();
			}
		}
		if (rand() > 0.1) {
			const r = items(rand, ALLIANCE_KEYS, clamp40(noisy(rand, plan.alliance(session, sessionsTotal), 1.2)));
			const rater = isGroup ? 'group-member' : 'patient';
			tx.insert(ratings).values(ratingRow(appt.id, allianceId, rater, r, slot.at + 55 * 60_000)).run();
		}
	}
}

export function clamp40(x: number): number {
	return Math.min(40, Math.max(0, x));
}

function ratingRow(
	appointmentId: number,
	instrumentId: string,
	rater: 'patient' | 'collateral' | 'group-member',
	r: { values: Record<string, number>; total: number },
	at: number
): typeof ratings.$inferInsert {
	return {
		clientId: `demo-${appointmentId}-${instrumentId}-${rater}`,
		appointmentId,
		instrumentId,
		instrumentVersion: 1,
		rater,
		itemValues: r.values,
		total: r.total,
		source: 'tablet',
		submittedAt: new Date(at)
	};
}
