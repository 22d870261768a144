import { and, count, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db';
import { appointments, checklistAnswers, demoCredentials, episodes, flags, riskActions, groupSessions, organisations, patients, ratings, teamMemberships, teams, users, type Role } from '../db/schema';
import { hashPassword } from '../auth/password';
import { mulberry32 } from '$lib/domain/random';
import { planFor, shapes, type Shape } from './shapes';
import { DEFAULT_CHECKLIST } from '$lib/domain/checklist';

/**
 * The password every demo database had before it got its own: a database still using it is
 * given a random one at the next start (see startup.ts).
 */
export const LEGACY_DEMO_PASSWORD = 'stemme-demo';

/**
 * A random password for one demo database: 16 characters from a 32-letter alphabet (80 bits),
 * in groups of four so it can be read off the screen and typed. Longer than the password rules'
 * minimum, and never on a breach list.
 */
export function randomDemoPassword(): string {
	const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
	return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** The demo sign-ins, printed at start with the database's password. Demo only: production sets STEMME_DEMO=off. */
export const demoClinicians: { username: string; name: string; role: Role; team: 0 | 1 | null }[] = [
	{ username: 'kari', name: 'Kari Berg', role: 'team_lead', team: 0 },
	{ username: 'ola', name: 'Ola Haugen', role: 'clinician', team: 0 },
	{ username: 'ingrid', name: 'Ingrid Lie', role: 'team_lead', team: 1 },
	{ username: 'sindre', name: 'Sindre Moe', role: 'clinician', team: 1 },
	{ username: 'tone', name: 'Tone Dahl', role: 'service_leader', team: null },
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
export async function seedDemoClinic(db: Db, now: Date, seed = 20261123, password = randomDemoPassword()): Promise<void> {
	const rand = mulberry32(seed);
	const passwordHash = await hashPassword(password);
	const specs = demoPatientSpecs(rand);
	db.transaction((tx) => {
		tx.insert(demoCredentials).values({ id: 1, password }).onConflictDoUpdate({ target: demoCredentials.id, set: { password } }).run();
		const org = tx.insert(organisations).values({ name: 'Stemme demoklinikk' }).returning().get();
		const teamIds = TEAM_NAMES.map((name) => tx.insert(teams).values({ organisationId: org.id, name }).returning().get().id);
		const clinicianIds: number[][] = [[], []];
		for (const c of demoClinicians) {
			const user = tx.insert(users).values({ organisationId: org.id, username: c.username, displayName: c.name, passwordHash, role: c.role, isDemo: true }).returning().get();
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
			// One patient in team A is where the others were before they left: the alliance has
			// sagged and two appointments were missed, but the episode is still open.
			const stillOpen = i === SAGGING_NOW;
			writeEpisode(tx, rand, {
				patientId: patient.id,
				clinicianId: isGroup ? group.clinicianId : clinicianId,
				spec,
				plan,
				start: null,
				interval,
				sessions: spec.sessions,
				now,
				closed: plan.dropsOut && !stillOpen,
				todayAt,
				groupSessionId,
				stillOpen
			});
		});
		seedChecklists(tx, now, seed);
	});
}

/** The demo patient (index; P-1011) whose alliance sags before a drop-out, still in treatment. */
export const SAGGING_NOW = 10;

const FACTOR_NOTES: Record<string, string> = {
	'cognitive-impairment': 'Flere overdoser; hukommelsen svikter av og til.',
	personality: 'Ustabile relasjoner, raske skifter.',
	'network-housing': 'Bor midlertidig hos en venn.',
	'heavier-drugs': 'Amfetamin og benzodiazepiner.',
	motivation: 'Kommer etter press fra familien.',
	'mental-health': 'Angst og depresjon, høy belastning.',
	'earlier-dropout': 'Avbrøt behandling to ganger tidligere.'
};

/**
 * Three in four ongoing episodes had the drop-out checklist filled in a week after the start by
 * the responsible clinician; inpatients have a move to outpatient care coming up.
 */
function seedChecklists(tx: Tx, now: Date, seed: number): void {
	const rand = mulberry32(seed + 1);
	const open = tx.select().from(episodes).where(isNull(episodes.actualEnd)).orderBy(episodes.id).all();
	for (const e of open) {
		if (rand() < 0.25 || e.responsibleId === null) continue;
		const at = new Date(Math.min(Date.parse(`${e.startDate}T12:00:00Z`) + 7 * DAY_MS, now.getTime() - DAY_MS));
		for (const factor of DEFAULT_CHECKLIST.factors) {
			let answer: 'yes' | 'no' | 'unknown' = rand() < 0.12 ? 'yes' : rand() < 0.8 ? 'no' : 'unknown';
			let note = '';
			let factorDate: string | null = null;
			if (factor.fromData !== undefined) answer = 'unknown';
			if (factor.key === 'transition') {
				answer = e.setting === 'inpatient' ? 'yes' : 'no';
				if (answer === 'yes') {
					factorDate = isoDate(now.getTime() + (5 + Math.floor(rand() * 20)) * DAY_MS);
					note = 'Overgang fra døgn til poliklinikk.';
				}
			} else if (answer === 'yes') note = FACTOR_NOTES[factor.key] ?? '';
			tx.insert(checklistAnswers)
				.values({
					episodeId: e.id,
					checklistId: DEFAULT_CHECKLIST.id,
					checklistVersion: DEFAULT_CHECKLIST.version,
					factorKey: factor.key,
					answer,
					note,
					factorDate,
					assessedById: e.responsibleId,
					assessedAt: at
				})
				.run();
		}
	}
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
		/** A drop-out pattern whose episode has not ended (yet). */
		stillOpen?: boolean;
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
	// An ongoing episode's last appointment was a few days ago (within its interval); a drop-out's
	// last contact lies further back.
	const sinceLast = plan.dropsOut ? span : Math.max(0, t - interval);
	const start =
		o.start === null
			? Math.floor((o.now.getTime() - sinceLast - (1 + Math.floor(rand() * Math.max(1, Math.min(5, Math.floor(interval / DAY_MS) - 1)))) * DAY_MS) / DAY_MS) * DAY_MS
			: Math.floor(o.start / DAY_MS) * DAY_MS;
	for (const slot of slots) slot.at += start;
	let actualEnd: string | null = null;
	let endReason: 'planned_completion' | 'dropout' | null = null;
	if (plan.dropsOut && o.stillOpen !== true) {
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
			endReason,
			responsibleId: o.clinicianId,
			sessionIntervalDays: Math.ceil(interval / DAY_MS)
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
			tx.insert(ratings)
				.values(ratingRow(appt.id, outcomeId, 'patient', r, slot.at + 5 * 60_000))
				.run();
			if (spec.adolescent && session === 1) {
				const c = items(rand, OUTCOME_KEYS, clamp40(noisy(rand, plan.outcome(session, sessionsTotal) - 3, 2)));
				tx.insert(ratings)
					.values(ratingRow(appt.id, outcomeId, 'collateral', c, slot.at + 7 * 60_000))
					.run();
			}
		}
		if (rand() > 0.1) {
			const r = items(rand, ALLIANCE_KEYS, clamp40(noisy(rand, plan.alliance(session, sessionsTotal), 1.2)));
			const rater = isGroup ? 'group-member' : 'patient';
			tx.insert(ratings)
				.values(ratingRow(appt.id, allianceId, rater, r, slot.at + 55 * 60_000))
				.run();
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

/**
 * Work already under way on the demo flags, as a team would have it on a Monday: on two patients
 * of team A someone saw the flags days ago and agreed an action — one is overdue — while the
 * patient whose alliance sags now (P-1011) is still waiting to be seen.
 */
export function seedDemoFlagWork(db: Db, now: Date): void {
	const lead = db.select().from(users).where(eq(users.username, 'kari')).get();
	const clinician = db.select().from(users).where(eq(users.username, 'ola')).get();
	if (lead === undefined || clinician === undefined) return;
	const teamA = db.select({ teamId: teamMemberships.teamId }).from(teamMemberships).where(eq(teamMemberships.userId, lead.id)).get();
	if (teamA === undefined) return;
	const candidates = db
		.selectDistinct({ episodeId: flags.episodeId, patientId: patients.id, code: patients.code })
		.from(flags)
		.innerJoin(episodes, eq(episodes.id, flags.episodeId))
		.innerJoin(patients, eq(patients.id, episodes.patientId))
		.where(and(isNull(flags.resolvedAt), eq(patients.teamId, teamA.teamId), ne(patients.code, `P-${1001 + SAGGING_NOW}`)))
		.orderBy(patients.code)
		.limit(2)
		.all();
	const day = (n: number) => new Date(now.getTime() + n * DAY_MS);
	candidates.forEach((c, i) => {
		const open = db
			.select()
			.from(flags)
			.where(and(eq(flags.episodeId, c.episodeId), isNull(flags.resolvedAt)))
			.all();
		db.update(flags)
			.set({ acknowledgedById: lead.id, acknowledgedAt: day(-4) })
			.where(and(eq(flags.episodeId, c.episodeId), isNull(flags.resolvedAt)))
			.run();
		db.insert(riskActions)
			.values({
				episodeId: c.episodeId,
				flagId: open[0]?.id ?? null,
				actionKey: i === 0 ? 'call-today' : 'next-session',
				note: i === 0 ? 'Ringe og høre hvordan det går.' : '',
				ownerId: clinician.id,
				dueDate: isoDate(day(i === 0 ? -2 : 5).getTime()),
				createdById: lead.id,
				createdAt: day(-4)
			})
			.run();
	});
}
