import { describe, expect, it } from 'vitest';
import { and, asc, desc, eq } from 'drizzle-orm';
import { smallClinic, testContext } from '../test/fixtures';
import { auditEvents, logControlReviews, patients } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { requirePatient } from '../auth/guards';
import { loadPatientPage } from '../views/patient-page';
import { recordAudit } from '../audit';
import { giveAccessLogByCode } from '../access-log/access-log';
import { configFrom, ConfigError } from '../config';
import { loadLogControl, reviewFinding } from './log-control';
import { defaultPeriod, parseReviewForm, periodFrom } from './log-control-form';

/** Three different patients within ten minutes count as many here (the installation's setting). */
const config = configFrom({ STEMME_LOG_BURST_PATIENTS: '3', STEMME_LOG_BURST_MINUTES: '10' });
const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

describe('log control against the audit trail', () => {
	const c = smallClinic();
	const { db } = c;
	const staff = (user: SessionUser, now: Date) =>
		testContext(db, { now, config, actor: { kind: 'staff', user, session: { id: `s-${user.id}` } as never, auth: { method: 'password', at: now, secondFactor: null } } });
	const open = (user: SessionUser, patientId: number, iso: string) => {
		const ctx = staff(user, new Date(iso));
		loadPatientPage(ctx, requirePatient(ctx, String(patientId)), 'nb');
	};
	const more = ['A-2', 'A-3'].map(
		(code) => db.insert(patients).values({ organisationId: c.users.admin.organisationId, teamId: c.teamA, code, displayName: code, birthYear: 1980 }).returning().get().id
	);

	// The script. 10 November, 10:00–10:04 in Oslo: clin-a opens three of the team's patients.
	open(c.users.clinicianA, c.patientA, '2026-11-10T09:00:00Z');
	open(c.users.clinicianA, more[0]!, '2026-11-10T09:02:00Z');
	open(c.users.clinicianA, more[1]!, '2026-11-10T09:04:00Z');
	// 12 November, 23:30 in Oslo: clin-a opens A-1 again, at night.
	open(c.users.clinicianA, c.patientA, '2026-11-12T22:30:00Z');
	// 11 November: clin-b tries A-1, team A's patient; the guard refuses and the context hook audits the refusal so.
	const refused = (iso: string) =>
		recordAudit(db, { userId: c.users.clinicianB.id, action: 'denied_patient', patientId: c.patientA, detail: 'not on a treating team', address: '10.0.0.9' }, new Date(iso));
	refused('2026-11-11T09:00:00Z');
	// Outside the period (October), and the admin's access log by code (the admin's duty): neither counts.
	open(c.users.clinicianB, c.patientB, '2026-10-15T23:00:00Z');
	giveAccessLogByCode(staff(c.users.admin, new Date('2026-11-15T10:00:00Z')), c.users.admin, 'A-1');

	const admin = (iso = '2026-12-04T09:00:00Z') => staff(c.users.admin, new Date(iso));
	const eventsOf = (userId: number, action: 'viewed_patient' | 'denied_patient'): number[] =>
		db
			.select({ id: auditEvents.id })
			.from(auditEvents)
			.where(and(eq(auditEvents.userId, userId), eq(auditEvents.action, action)))
			.orderBy(asc(auditEvents.id))
			.all()
			.map((e) => e.id);

	it('finds each kind in the period, with who, how many and when, and audits the reading', () => {
		const report = loadLogControl(admin(), c.users.admin, NOVEMBER);
		expect(report.findings.map((f) => [f.kind, f.reader.username, f.reads, f.patients, f.firstAt.toISOString(), f.lastAt.toISOString(), f.reviewed])).toEqual([
			['outside_team', 'clin-b', 1, 1, '2026-11-11T09:00:00.000Z', '2026-11-11T09:00:00.000Z', null],
			// Three patients 09:00–09:04 UTC: within the ten minutes.
			['many_records', 'clin-a', 3, 3, '2026-11-10T09:00:00.000Z', '2026-11-10T09:04:00.000Z', null],
			// 22:30 UTC is 23:30 in Oslo (winter time, UTC+1): inside 22–06.
			['night', 'clin-a', 1, 1, '2026-11-12T22:30:00.000Z', '2026-11-12T22:30:00.000Z', null]
		]);
		// The finding's first row is clin-a's first opening in the trail.
		expect(report.findings[1]!.firstEventId).toBe(eventsOf(c.users.clinicianA.id, 'viewed_patient')[0]);
		expect(report.rules).toEqual({ burstPatients: 3, burstMinutes: 10, nightFromHour: 22, nightToHour: 6 });
		const last = db.select().from(auditEvents).orderBy(desc(auditEvents.id)).get()!;
		expect([last.action, last.userId, last.detail]).toEqual(['viewed_log_control', c.users.admin.id, 'period 2026-11-01 to 2026-11-30']);
	});

	it('a period without the reads finds nothing; October has only its own night read', () => {
		expect(loadLogControl(admin(), c.users.admin, { from: '2026-11-13', to: '2026-11-30' }).findings).toEqual([]);
		// 2026-10-15T23:00Z is 01:00 on 16 October in Oslo (summer time ended 25 October: UTC+1).
		expect(loadLogControl(admin(), c.users.admin, { from: '2026-10-01', to: '2026-10-31' }).findings.map((f) => [f.kind, f.reader.username])).toEqual([['night', 'clin-b']]);
	});

	it('marks a finding reviewed with a note: stored with the trail’s rows, audited, shown; a new read opens it again', () => {
		const before = loadLogControl(admin(), c.users.admin, NOVEMBER).findings[0]!;
		const form = new FormData();
		for (const [k, v] of Object.entries({
			kind: 'outside_team',
			reader: String(c.users.clinicianB.id),
			first: String(before.firstEventId),
			...NOVEMBER,
			note: ' Ringte fra legevakt, avklart med teamleder. '
		}))
			form.set(k, v);
		const parsed = parseReviewForm(form);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(reviewFinding(admin('2026-12-04T09:10:00Z'), c.users.admin, parsed.value)).toEqual({ ok: true, reader: 'clin-b' });
		const stored = db.select().from(logControlReviews).all();
		expect(stored.map((r) => [r.kind, r.readerId, r.eventIds, r.note, r.reviewedById])).toEqual([
			['outside_team', c.users.clinicianB.id, eventsOf(c.users.clinicianB.id, 'denied_patient'), 'Ringte fra legevakt, avklart med teamleder.', c.users.admin.id]
		]);
		const audited = db.select().from(auditEvents).orderBy(desc(auditEvents.id)).get()!;
		expect([audited.action, audited.detail]).toEqual([
			'log_control_reviewed',
			`outside_team by user ${c.users.clinicianB.id}, events ${before.firstEventId}–${before.firstEventId} (1): Ringte fra legevakt, avklart med teamleder.`
		]);
		const after = loadLogControl(admin('2026-12-04T09:11:00Z'), c.users.admin, NOVEMBER).findings[0]!;
		expect(after.reviewed).toEqual({ note: 'Ringte fra legevakt, avklart med teamleder.', by: 'admin', at: new Date('2026-12-04T09:10:00Z') });
		// clin-b tries again on 20 November: the finding has a row no review covers.
		refused('2026-11-20T09:00:00Z');
		const reopened = loadLogControl(admin('2026-12-04T09:12:00Z'), c.users.admin, NOVEMBER).findings[0]!;
		expect([reopened.reads, reopened.reviewed]).toEqual([2, null]);
	});

	it('a finding that is not in the period is refused, and nothing is stored or audited', () => {
		const reviews = db.select().from(logControlReviews).all().length;
		const events = db.select().from(auditEvents).all().length;
		const wrong = { period: NOVEMBER, kind: 'night' as const, readerId: c.users.clinicianB.id, firstEventId: 1, note: 'x' };
		expect(reviewFinding(admin(), c.users.admin, wrong)).toEqual({ ok: false, reason: 'not_found' });
		expect([db.select().from(logControlReviews).all().length, db.select().from(auditEvents).all().length]).toEqual([reviews, events]);
	});
});

describe('the log-control forms', () => {
	const valid = { kind: 'night', reader: '3', first: '12', from: '2026-11-01', to: '2026-11-30', note: 'Vakt.' };
	const parse = (over: Record<string, string | null>) => {
		const form = new FormData();
		for (const [k, v] of Object.entries({ ...valid, ...over })) if (v !== null) form.set(k, v);
		const parsed = parseReviewForm(form);
		return parsed.ok ? 'ok' : `${parsed.field}: ${parsed.message}`;
	};

	it.each([
		[{}, 'ok'],
		[{ note: null }, 'note: Merknad må fylles ut.'],
		[{ note: '   ' }, 'note: Merknad må fylles ut.'],
		[{ note: 'a'.repeat(501) }, 'note: Merknad er for langt (høyst 500 tegn).'],
		[{ note: 'a\u0000b' }, 'note: Merknad har en ugyldig verdi.'],
		[{ kind: 'weekend' }, 'kind: Type funn har en ugyldig verdi.'],
		[{ reader: '0' }, 'reader: Bruker har en ugyldig verdi.'],
		[{ first: '-1' }, 'first: Funn har en ugyldig verdi.'],
		[{ to: '2026-10-31' }, 'to: Til dato er ikke gyldig: velg to datoer i rekkefølge, høyst 366 dager fra hverandre. Viser standardperioden.'],
		[{ from: '2026-02-30' }, 'from: Fra dato er ikke gyldig: velg to datoer i rekkefølge, høyst 366 dager fra hverandre. Viser standardperioden.'],
		[{ extra: 'x' }, 'extra: Skjemaet har ikke feltet «extra». Ingenting ble lagret.']
	])('%o → %s', (over, expected) => {
		expect(parse(over)).toBe(expected);
	});

	it('the default period is the first of last month to today, in Oslo', () => {
		expect(defaultPeriod(new Date('2026-12-04T10:00:00Z'))).toEqual({ from: '2026-11-01', to: '2026-12-04' });
		// 23:30 UTC on 31 December is already 1 January in Oslo: last month is December.
		expect(defaultPeriod(new Date('2026-12-31T23:30:00Z'))).toEqual({ from: '2026-12-01', to: '2027-01-01' });
		const now = new Date('2026-12-04T10:00:00Z');
		expect(periodFrom(new URLSearchParams('from=2026-11-05&to=2026-11-06'), now)).toEqual({ period: { from: '2026-11-05', to: '2026-11-06' }, problem: null });
		expect(periodFrom(new URLSearchParams('from=2025-01-01&to=2026-11-06'), now).period).toEqual(defaultPeriod(now));
	});

	it('the thresholds come from the configuration, and a value that cannot be used names its variable', () => {
		expect(configFrom({ STEMME_LOG_NIGHT_FROM: '23', STEMME_LOG_NIGHT_TO: '5' }).logControl).toEqual({ burstPatients: 20, burstMinutes: 10, nightFromHour: 23, nightToHour: 5 });
		expect(() => configFrom({ STEMME_LOG_BURST_PATIENTS: '1' })).toThrow(new ConfigError('STEMME_LOG_BURST_PATIENTS="1" must be a whole number from 2.'));
		expect(() => configFrom({ STEMME_LOG_NIGHT_FROM: '24' })).toThrow(ConfigError);
		expect(() => configFrom({ STEMME_LOG_NIGHT_FROM: '6' })).toThrow('STEMME_LOG_NIGHT_FROM and STEMME_LOG_NIGHT_TO must differ.');
	});
});
