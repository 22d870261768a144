import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readDatabase } from './support/browser';
import { Client, type Answer, type FormPairs, type Send } from './support/http';
import { DEFAULT_CHECKLIST } from '$lib/domain/checklist';
import { PATHWAY_QUESTIONS } from '$lib/domain/milestones';
import { fhirRequest, makeApiClient } from './support/fhir';
import { codeFor, stepNow } from './support/two-factor';

/**
 * Bad input: every form action and endpoint driven with malformed and hostile input —
 * wrong types, huge strings, out-of-range numbers, missing, repeated and unknown fields, unicode
 * edge cases, control characters, script injection, another team's ids, bodies no form makes.
 * Each case must be answered 4xx (never 5xx) and change nothing: a fingerprint of every table
 * with clinical or account data is the same before and after. Script injected into free text
 * is stored as text and comes back escaped on every page that shows it.
 */
const db = readDatabase();
const one = <T>(sql: string, ...params: unknown[]): T => db.prepare(sql).get(...params) as T;
const teamOf = (username: string) => one<{ id: number }>(`SELECT m.team_id AS id FROM team_memberships m JOIN users u ON u.id = m.user_id WHERE u.username = ?`, username).id;
const userId = (username: string) => one<{ id: number }>('SELECT id FROM users WHERE username = ?', username).id;
const openEpisode = (patientId: number) => one<{ id: number } | undefined>('SELECT id FROM episodes WHERE patient_id = ? AND actual_end IS NULL', patientId)?.id ?? 1;
/** An open episode of team B: the team lead of team A may not assign it. */
const otherTeamEpisode = () => one<{ id: number }>('SELECT e.id FROM episodes e JOIN patients p ON p.id = e.patient_id WHERE p.team_id = ? AND e.actual_end IS NULL LIMIT 1', teamOf('sindre')).id;
const otherTeamAppointment = () =>
	one<{ id: number }>('SELECT a.id FROM appointments a JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id WHERE p.team_id = ? LIMIT 1', teamOf('sindre')).id;
/** A planned (not yet held) milestone meeting of the user's team, if the demo has one. */
const plannedMeeting = (username: string) =>
	one<{ id: number } | undefined>(
		`SELECT m.id FROM milestone_meetings m JOIN episodes e ON e.id = m.episode_id JOIN patients p ON p.id = e.patient_id WHERE p.team_id = ? AND m.held_at IS NULL AND e.actual_end IS NULL LIMIT 1`,
		teamOf(username)
	)?.id ?? 1;

/** A planned milestone meeting of team B (beforeAll has its lead plan one): team A's lead may not touch it. */
const otherTeamMeeting = () =>
	one<{ id: number }>(
		`SELECT m.id FROM milestone_meetings m JOIN episodes e ON e.id = m.episode_id JOIN patients p ON p.id = e.patient_id WHERE p.team_id = ? AND m.held_at IS NULL ORDER BY m.id LIMIT 1`,
		teamOf('sindre')
	).id;
/** Team B's second patient in treatment (the tablet tests use the first, the access matrix the last). */
const OTHER_TEAM_IN_TREATMENT = one<{ id: number }>(
	`SELECT p.id FROM patients p JOIN episodes e ON e.patient_id = p.id AND e.actual_end IS NULL WHERE p.team_id = ? ORDER BY p.id LIMIT 1 OFFSET 1`,
	teamOf('sindre')
).id;

// Team A's last patient in treatment (other browser tests use the first ones).
const PATIENT = one<{ id: number }>(`SELECT p.id FROM patients p JOIN episodes e ON e.patient_id = p.id AND e.actual_end IS NULL WHERE p.team_id = ? ORDER BY p.id DESC LIMIT 1`, teamOf('kari')).id;
const P = `/patients/${PATIENT}`;
const OTHER_TEAM_PATIENT = one<{ id: number }>(`SELECT id FROM patients WHERE team_id = ? ORDER BY id LIMIT 1`, teamOf('sindre')).id;
/** Ids of records that exist but belong to team B: a form naming them must be refused. */
const otherTeam = {
	flag: () =>
		one<{ id: number } | undefined>(`SELECT f.id FROM flags f JOIN episodes e ON e.id = f.episode_id JOIN patients p ON p.id = e.patient_id WHERE p.team_id = ? LIMIT 1`, teamOf('sindre'))?.id ?? 1,
	action: () =>
		one<{ id: number } | undefined>(`SELECT a.id FROM risk_actions a JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id WHERE p.team_id = ? LIMIT 1`, teamOf('sindre'))
			?.id ?? 1,
	rating: () =>
		one<{ id: number }>(
			`SELECT r.id FROM ratings r JOIN appointments a ON a.id = r.appointment_id JOIN episodes e ON e.id = a.episode_id JOIN patients p ON p.id = e.patient_id WHERE p.team_id = ? LIMIT 1`,
			teamOf('sindre')
		).id,
	user: () => userId('sindre')
};

/** Tables whose content a refused request must leave as it was (not the audit trail, sessions or throttle). */
const WATCHED = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`).all() as { name: string }[])
	.map((t) => t.name)
	.filter((name) => !['audit_events', 'sessions', 'sign_in_throttle', 'tablet_handoffs'].includes(name));

function fingerprint(): string {
	const hash = createHash('sha256');
	for (const table of WATCHED) for (const row of db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).raw().all()) hash.update(JSON.stringify(row));
	return hash.digest('hex');
}

// The hostile strings. Each is sent in every field of every form.
const HUGE = 'x'.repeat(200_000);
const SCRIPT = '<script>alert("stemme")</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const HOSTILE_VALUES: [string, string][] = [
	['huge string', HUGE],
	['script injection', SCRIPT],
	['attribute injection', IMG],
	['NUL byte', 'a\u0000b'],
	['escape character', 'a\u001Bb'],
	['lone surrogate (sent as replacement)', 'a\uD800b'],
	['right-to-left override', '\u202Eabc'],
	['zero-width joiner only', '\u200D'],
	['SQL', "1'; DROP TABLE ratings; --"],
	['negative number', '-1'],
	['zero', '0'],
	['huge number', '99999999999999999999999'],
	['exponent', '1e309'],
	['NaN', 'NaN'],
	['decimal id', '1.5'],
	['hex', '0x10'],
	['impossible date', '2026-02-31'],
	['far-off date', '9999-12-31'],
	['timestamp for a date', '2026-11-23T10:00:00Z'],
	['empty', ''],
	['whitespace', '   ']
];

interface FormCase {
	name: string;
	path: string;
	/** A form the action would accept (or the nearest to it); each field is then broken in turn. */
	valid: () => Record<string, string>;
	/** Fields that take free text: script injected there is stored and must come back escaped. */
	text?: string[];
	/** Fields naming a record: another team's record must be refused. */
	foreign?: Record<string, () => number>;
	/** Only these hostile values (sign-in: only those refused before a password is checked, so the
	 * suite does not lock this address out of signing in for the tests after it). */
	only?: string[];
	/** Who sends it: kari (team A's lead) unless said; a visitor not signed in; the administrator;
	 * a user of the suite's own (a wrong current password locks that account, and no one else's);
	 * a user still on the admin's one-time password. */
	as?: 'signedOut' | 'admin' | 'ownAccount' | 'oneTime' | 'owesCode';
	/** Fields where any text is a good value (a password): only the huge string is sent. */
	secret?: string[];
	/** The valid form stores something: the escaping test sends it with script in every text field. */
	stores?: boolean;
}

const today = new Date().toISOString().slice(0, 10);
const future = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

const checklistForm = (): Record<string, string> =>
	Object.fromEntries(DEFAULT_CHECKLIST.factors.flatMap((f) => [[`answer-${f.key}`, 'unknown'], [`note-${f.key}`, 'note'], ...(f.hasDate === true ? [[`date-${f.key}`, future]] : [])]));

// Team A's first patient with no open episode: a new episode may be opened for them.
const ENDED = one<{ id: number }>(
	`SELECT p.id FROM patients p WHERE p.team_id = ? AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.patient_id = p.id AND e.actual_end IS NULL) ORDER BY p.id LIMIT 1`,
	teamOf('kari')
).id;
const episodeOf = () => openEpisode(PATIENT);
const otherSetting = () => (one<{ setting: string }>('SELECT setting FROM episodes WHERE id = ?', episodeOf()).setting === 'inpatient' ? 'outpatient' : 'inpatient');

/** The patient and episode forms of a clinic started from empty: registering, editing, opening, moving, ending, booking, groups. */
const CLINIC_FORMS: FormCase[] = [
	{
		name: 'register a patient',
		path: '/patients/new',
		valid: () => ({ displayName: 'Ny Pasient', birthYear: '1990', team: String(teamOf('kari')) }),
		text: ['displayName'],
		foreign: { team: () => teamOf('sindre') }
	},
	{
		name: 'edit a patient',
		path: `${P}/edit`,
		valid: () => ({ code: one<{ code: string }>('SELECT code FROM patients WHERE id = ?', PATIENT).code, displayName: 'Nytt Navn', birthYear: '1990' }),
		text: ['displayName']
	},
	{
		name: 'open an episode',
		path: `/patients/${ENDED}/episodes/new`,
		valid: () => ({ team: String(teamOf('kari')), setting: 'outpatient', startDate: today }),
		foreign: { team: () => teamOf('sindre') }
	},
	{ name: 'move an episode', path: `${P}/episodes/EPISODE?/transition`, valid: () => ({ date: today, kind: 'setting', toTeam: String(teamOf('kari')), toSetting: otherSetting() }) },
	{ name: 'end an episode', path: `${P}/episodes/EPISODE/end`, valid: () => ({ reason: 'completed', endDate: today, withoutPlan: 'on' }) },
	{
		name: 'book appointments',
		path: `${P}/appointments?/book`,
		valid: () => ({ date: future, time: '10:00', duration: '45', clinician: String(userId('ola')), repeat: 'none' }),
		foreign: { clinician: otherTeam.user }
	},
	{
		name: 'create a group',
		path: '/groups?/create',
		valid: () => ({ name: 'Ny gruppe', team: String(teamOf('kari')), clinician: String(userId('kari')) }),
		text: ['name'],
		foreign: { team: () => teamOf('sindre'), clinician: otherTeam.user }
	}
];

const FORMS: FormCase[] = [
	{ name: 'checklist', stores: true, path: `${P}?/checklist`, valid: checklistForm, text: DEFAULT_CHECKLIST.factors.map((f) => `note-${f.key}`) },
	{ name: 'absence agreement', stores: true, path: `${P}?/absence`, valid: () => ({ agreement: 'Ring meg' }), text: ['agreement'] },
	{ name: 'acknowledge a flag', path: `${P}?/acknowledge`, valid: () => ({ flag: '1' }), foreign: { flag: otherTeam.flag } },
	{ name: 'close a flag by hand', path: `${P}?/close`, valid: () => ({ flag: '999999', reason: 'Flyttet til en annen kommune' }), text: ['reason'], foreign: { flag: otherTeam.flag } },
	{
		name: 'agree an action',
		stores: true,
		path: `${P}?/act`,
		valid: () => ({ action: 'call-today', owner: String(userId('kari')), due: future, note: 'note' }),
		text: ['note'],
		foreign: { flag: otherTeam.flag, owner: otherTeam.user }
	},
	{ name: 'record an outcome', path: `${P}?/outcome`, valid: () => ({ action: '1', outcome: 'Done' }), text: ['outcome'], foreign: { action: otherTeam.action } },
	{ name: 'episode plan', path: `${P}?/episode`, valid: () => ({ responsible: String(userId('ola')), interval: '14' }), foreign: { responsible: otherTeam.user } },
	{ name: 'plan a meeting', path: `${P}/meeting?/plan`, valid: () => ({ date: future, presenter: String(userId('kari')) }), foreign: { presenter: otherTeam.user } },
	{
		name: 'record a meeting',
		stores: true,
		path: `${P}/meeting?/record`,
		valid: () => ({
			patientPresent: 'on',
			'role-0': 'Lege',
			'name-0': 'Navn',
			decisions: 'Fortsette',
			patientWords: 'Bra',
			member: String(userId('ola')),
			'action-0-what': 'Ringe',
			'action-0-owner': String(userId('kari')),
			'action-0-due': future,
			...Object.fromEntries(PATHWAY_QUESTIONS.map((q) => [`q-${q.key}`, 'svar']))
		}),
		text: ['role-0', 'name-0', 'decisions', 'patientWords', 'action-0-what', ...PATHWAY_QUESTIONS.map((q) => `q-${q.key}`)],
		foreign: { meeting: () => 1, member: otherTeam.user, 'action-0-owner': otherTeam.user }
	},
	{ name: 'a goal', stores: true, path: `${P}/meeting?/goal`, valid: () => ({ text: 'Jobb', status: 'in-progress' }), text: ['text'], foreign: { goal: () => 1 } },
	{
		name: 'discharge plan',
		stores: true,
		path: `${P}/meeting?/discharge`,
		valid: () => ({ housing: 'Bolig', activity: 'Jobb', economy: 'Ok', followUpTeam: 'NAV', contactPerson: 'Per', contactPhone: '+47 12345678', followUpRatingDate: future }),
		text: ['housing', 'activity', 'economy', 'followUpTeam', 'contactPerson']
	},
	{ name: 'hand over the tablet', path: 'APPOINTMENT?/hand', valid: () => ({ kind: 'outcome', rater: 'patient', group: '0' }) },
	{ name: 'appointment status', path: 'APPOINTMENT?/status', valid: () => ({ status: 'attended' }) },
	{ name: 'phone link', path: 'APPOINTMENT?/phone', valid: () => ({ kind: 'alliance' }) },
	{ name: 'session type', path: 'APPOINTMENT?/mode', valid: () => ({ mode: 'video' }) },
	{ name: 'message consent', path: `${P}?/consent`, valid: () => ({ channel: 'sms', address: '912 34 567' }) },
	{
		name: 'paper form',
		path: 'APPOINTMENT?/paper',
		valid: () => ({ instrument: 'stemme-outcome-adult', rater: 'patient', 'item.self': '5', 'item.close': '5', 'item.daily': '5', 'item.overall': '5' })
	},
	{ name: 'correct a rating', path: 'APPOINTMENT?/correct', valid: () => ({ rating: '1', reason: 'Feil', 'item.self': '5' }), foreign: { rating: otherTeam.rating } },
	{ name: 'set a PIN', path: 'APPOINTMENT?/pin', valid: () => ({ pin: '2468', repeat: '2468' }) },
	{ name: 'change the PIN on the account page', path: '/account?/pin', valid: () => ({ pin: '2468', repeat: '2468' }) },
	{ name: 'sign in', path: '/login', valid: () => ({ username: 'nobody', password: 'wrong' }), only: ['huge string'], as: 'signedOut' },
	{ name: 'language', path: '/locale', valid: () => ({ locale: 'xx' }) },
	{ name: 'language of the together view', path: `${P}/together?/language`, valid: () => ({ locale: 'xx' }) },
	// Never sent valid: it would lock the suite's session to the together view.
	{ name: 'turn the together view to the patient', path: `${P}/together?/start`, valid: () => ({ locale: 'xx' }) },
	{
		name: 'change own password',
		path: '/account?/password',
		as: 'ownAccount',
		valid: () => ({ current: 'not-the-password', next: 'en lang nok passfrase 42', repeat: 'en lang nok passfrase 42' }),
		secret: ['current', 'next', 'repeat']
	},
	{
		name: 'create a user',
		path: '/admin/users?/create',
		as: 'admin',
		valid: () => ({ username: 'ny-bruker', displayName: 'Ny Bruker', role: 'clinician', [`team-${teamOf('kari')}`]: 'on', preferredLocale: 'nb', password: 'en lang nok passfrase 42' }),
		// A user name may be digits or look like a date; the pattern is checked by the unit tests.
		text: ['displayName', 'username'],
		secret: ['password']
	},
	{ name: 'disable a user', path: '/admin/users?/disable', as: 'admin', valid: () => ({ user: String(userId('ola')) }) },
	{ name: 'confirm disabling a user', path: '/admin/users?/disable', as: 'admin', valid: () => ({ user: '0', confirm: 'yes' }) },
	{ name: 'create a team', path: '/admin/teams?/create', as: 'admin', valid: () => ({ name: 'Poliklinikk voksne', defaultSetting: 'outpatient' }), text: ['name'] },
	{ name: 'rename a team', path: '/admin/teams?/update', as: 'admin', valid: () => ({ team: String(teamOf('kari')), name: 'Ungdom og døgn', defaultSetting: 'inpatient' }), text: ['name'] },
	{ name: 'archive a team', path: '/admin/teams?/archive', as: 'admin', valid: () => ({ team: '0' }) },
	{ name: 'restore a team', path: '/admin/teams?/restore', as: 'admin', valid: () => ({ team: '0' }) },
	{
		name: 'edit a user',
		path: 'OLA?/edit',
		as: 'admin',
		valid: () => ({ displayName: 'Ola Haugen', role: 'clinician', preferredLocale: 'nb', [`team-${teamOf('ola')}`]: 'on' }),
		text: ['displayName']
	},
	// Neither is of its form, so the valid form itself is refused, and so is every variant of one field (the other still wrong).
	{ name: "a user's HPR number and e-mail", path: 'OLA?/identity', as: 'admin', valid: () => ({ hprNumber: '12a', email: 'ikke-en-adresse' }) },
	{ name: 'choose your own password', path: '/password', as: 'oneTime', valid: () => ({ password: 'en annen lang passfrase 3', repeat: 'en annen lang passfrase 3' }), secret: ['password', 'repeat'] },
	{
		name: 'set up the organisation',
		path: '/setup',
		as: 'signedOut',
		valid: () => ({
			token: 'a'.repeat(32),
			organisation: 'Ny klinikk',
			username: 'ny-admin',
			displayName: 'Ny Admin',
			preferredLocale: 'nb',
			password: 'en lang nok passfrase 42',
			repeat: 'en lang nok passfrase 42'
		}),
		text: ['organisation', 'displayName', 'username'],
		secret: ['password', 'repeat']
	},
	{ name: 'team lead adds a member', path: '/team?/add', valid: () => ({ team: String(teamOf('kari')), user: '0' }), foreign: { team: () => teamOf('sindre') } },
	{ name: 'team lead removes a member', path: '/team?/remove', valid: () => ({ team: String(teamOf('kari')), user: '0' }), foreign: { team: () => teamOf('sindre') } },
	{
		name: 'caseload assignment',
		path: '/team?/responsible',
		valid: () => ({ team: String(teamOf('kari')), episode: String(openEpisode(PATIENT)), responsible: String(userId('ola')) }),
		foreign: { team: () => teamOf('sindre'), episode: otherTeamEpisode, responsible: otherTeam.user }
	},
	{
		name: 'presenter rota',
		path: '/team?/presenter',
		valid: () => ({ team: String(teamOf('kari')), meeting: String(plannedMeeting('kari')), presenter: String(userId('ola')) }),
		foreign: { team: () => teamOf('sindre'), meeting: otherTeamMeeting, presenter: otherTeam.user }
	},
	// An expiry beyond three years ahead makes the valid form itself refused, like a taken name above.
	{ name: 'create an API client', path: '/admin/api-clients?/create', as: 'admin', valid: () => ({ name: 'Journal', expires: '2099-01-01', [`team-${teamOf('kari')}`]: 'on' }), text: ['name'] },
	{ name: 'revoke an API client', path: '/admin/api-clients?/revoke', as: 'admin', valid: () => ({ client: '0' }) },
	{
		name: 'let in a person waiting for single sign-on',
		path: '/admin/sso?/approve',
		as: 'admin',
		valid: () => ({ request: '999999', username: 'ny.person', role: 'clinician', [`team-${teamOf('kari')}`]: 'on' }),
		text: ['username']
	},
	// A key of the right form (32 base32 characters) and a code that is not its code now.
	{ name: 'set up two factors', path: '/account?/enrol', as: 'ownAccount', valid: () => ({ key: 'A'.repeat(32), code: '000001' }) },
	{ name: 'turn two factors off', path: '/account?/remove', as: 'ownAccount', valid: () => ({ code: '123456' }) },
	// A user of the suite's own with an authenticator, between password and code: wrong codes lock only them.
	{ name: 'second factor: code', path: '/login/two-factor?/code', as: 'owesCode', valid: () => ({ code: '000001', next: '/today' }) },
	{ name: 'second factor: recovery code', path: '/login/two-factor?/recovery', as: 'owesCode', valid: () => ({ recovery: 'aaaaa-bbbbb', next: '/today' }) },
	{ name: 'enable a user', path: '/admin/users?/enable', as: 'admin', valid: () => ({ user: String(userId('ola')) }) },
	{ name: 'erase a patient', path: '/admin/patients?/erase', as: 'admin', valid: () => ({ code: 'finnes-ikke', confirm: 'finnes-ikke', reason: 'Pasienten ba om det skriftlig.' }), text: ['reason'] },
	// A code of no patient: refused by name (404), nothing given out.
	{ name: "a patient's access log by code", path: '/admin/access-log?/show', as: 'admin', valid: () => ({ code: 'finnes-ikke' }) },
	// A request that is not waiting (none has that id): refused by name (404), nothing stored.
	{ name: 'turn away a person waiting for single sign-on', path: '/admin/sso?/turnAway', as: 'admin', valid: () => ({ request: '999999', reason: 'Ikke ansatt her.' }), text: ['reason'] },
	// A finding that is not in the period (no such first row): refused by name (404), nothing stored.
	{
		name: 'mark a log-control finding reviewed',
		path: '/admin/log-control?/review',
		as: 'admin',
		valid: () => ({ kind: 'night', reader: String(userId('kari')), first: '999999999', from: '2026-11-01', to: '2026-11-30', note: 'Vakt, avklart.' }),
		text: ['note']
	},
	...CLINIC_FORMS
];

/**
 * The broken variants of one form: each field missing, repeated, and set to each hostile value;
 * an unknown extra field; another team's record in each field that names one. Variants that a
 * correct form could legitimately be (free text with odd but valid characters) are left to the
 * escaping test; here the valid form itself is made invalid on purpose where it would succeed.
 */
function variants(form: FormCase): { name: string; fields: FormPairs }[] {
	const valid = Object.entries(form.valid());
	const out: { name: string; fields: FormPairs }[] = [];
	// Every case must be refused, so each starts from a form broken in one more way (an invalid
	// value in a field that is not free text) unless the variant alone is enough.
	for (const [field] of valid) {
		const others = valid.filter(([f]) => f !== field);
		out.push({ name: `${field} missing`, fields: others });
		out.push({ name: `${field} sent twice`, fields: [...valid, [field, valid.find(([f]) => f === field)![1]]] });
		for (const [label, value] of HOSTILE_VALUES) {
			if (form.only !== undefined && !form.only.includes(label)) continue;
			if ((form.secret?.includes(field) ?? false) && label !== 'huge string') continue;
			const isText = form.text?.includes(field) ?? false;
			// Free text may hold most of these legitimately; only the ones it must refuse are sent.
			if (isText && !['huge string', 'NUL byte', 'escape character'].includes(label)) continue;
			out.push({ name: `${field}: ${label}`, fields: [...others, [field, value]] });
		}
	}
	for (const [field, id] of Object.entries(form.foreign ?? {})) {
		out.push({ name: `${field}: another team's record`, fields: [...valid.filter(([f]) => f !== field), [field, String(id())]] });
	}
	return out;
}

function refused(answer: Answer): boolean {
	return answer.status >= 400 && answer.status < 500;
}

let kari: Client;
let admin: Client;
let ownAccount: Client;
let oneTime: Client;
let owesCode: Client;
const OWN = { username: 'bad-input-eget', password: 'en egen lang passfrase 7' };
/** What the admin sets for the suite's own users: a one-time password they replace (or not) first. */
const ONE_TIME = 'et engangspassord fra admin';
let appointment = 0;
let count = 0;

beforeAll(async () => {
	kari = await new Client().signIn('kari');
	admin = await new Client().signIn('admin');
	for (const username of [OWN.username, 'bad-input-engang', TOTP_USER]) {
		const made = await admin.post('/admin/users?/create', {
			form: { username, displayName: 'Eget Konto', role: 'clinician', [`team-${teamOf('kari')}`]: 'on', preferredLocale: 'nb', password: ONE_TIME }
		});
		expect(made.status).toBe(200);
	}
	ownAccount = await new Client().signIn(OWN.username, ONE_TIME);
	const replaced = await ownAccount.post('/password', { form: { password: OWN.password, repeat: OWN.password } });
	expect([replaced.status, replaced.location]).toEqual([303, '/today']);
	oneTime = await new Client().signIn('bad-input-engang', ONE_TIME);
	owesCode = await owingACode();
	const ingrid = await new Client().signIn('ingrid');
	const planned = await ingrid.post(`/patients/${OTHER_TEAM_IN_TREATMENT}/meeting?/plan`, { form: { date: future } });
	expect(planned.status).toBeLessThan(400);
	otherTeamMeeting();
	const created = await kari.post(`${P}?/now`, { form: {} });
	appointment = Number(created.location!.split('/').pop());
	expect(appointment).toBeGreaterThan(0);
});
const TOTP_USER = 'bad-input-totp';

/** The TOTP user sets up an authenticator on the account page, then signs in again and stops before the code. */
async function owingACode(): Promise<Client> {
	const first = await new Client().signIn(TOTP_USER, ONE_TIME);
	await first.post('/password', { form: { password: OWN.password, repeat: OWN.password } });
	const key = /name="key" value="([A-Z2-7]+)"/.exec((await first.get('/account')).body)![1]!;
	const enrolled = await first.post('/account?/enrol', { form: { key, code: codeFor(key, stepNow()) } });
	expect(enrolled.body).toContain('recovery-codes-title');
	const client = new Client();
	const answer = await client.post('/login', { form: { username: TOTP_USER, password: OWN.password } });
	expect(answer.location).toMatch(/^\/login\/two-factor/);
	return client;
}

afterAll(() => {
	console.log(`bad input: ${count} hostile requests, each answered 4xx with nothing stored`);
});

/** Sends one request and checks it was refused with 4xx, changing nothing. */
async function expectRefused(client: Client, name: string, method: string, path: string, send: Send): Promise<void> {
	const before = fingerprint();
	const answer = await client.request(
		method,
		path
			.replace('APPOINTMENT', `/appointments/${appointment}`)
			.replace('OLA', `/admin/users/${userId('ola')}`)
			.replace('EPISODE', String(episodeOf())),
		send
	);
	count++;
	expect([name, refused(answer) ? 'refused' : `${answer.status} ${answer.location ?? ''} ${answer.body.slice(0, 200)}`]).toEqual([name, 'refused']);
	expect([name, fingerprint()]).toEqual([name, before]);
}

describe('hostile form posts', () => {
	it.each(FORMS)('$name: every broken variant is refused with 4xx and stores nothing', async (form) => {
		const cases = variants(form).filter(({ name }) => !wouldBeValid(form, name));
		const client =
			form.as === 'signedOut' ? new Client() : form.as === 'admin' ? admin : form.as === 'ownAccount' ? ownAccount : form.as === 'oneTime' ? oneTime : form.as === 'owesCode' ? owesCode : kari;
		for (const c of cases) await expectRefused(client, `${form.name} / ${c.name}`, 'POST', form.path, { form: c.fields });
		expect(cases.length).toBeGreaterThanOrEqual(5);
		if (form.as === 'ownAccount') {
			// A wrong current password (the form otherwise fine) is refused, changes nothing and
			// counts against the account, as a failed sign-in does.
			await expectRefused(client, `${form.name} / wrong current password`, 'POST', form.path, { form: Object.entries(form.valid()) });
			const counted = one<{ failures: number } | undefined>('SELECT failures FROM sign_in_throttle WHERE key = ?', `account:${OWN.username}`);
			expect(counted?.failures ?? 0).toBeGreaterThan(0);
		}
	});

	it('reset a password: missing, repeated, unknown fields, a huge, short or common password are refused and store nothing', async () => {
		const path = `/admin/users/${userId('ola')}?/password`;
		const cases: [string, FormPairs][] = [
			['missing', []],
			[
				'repeated',
				[
					['password', 'en lang nok passfrase 42'],
					['password', 'en lang nok passfrase 42']
				]
			],
			[
				'unknown field',
				[
					['password', 'en lang nok passfrase 42'],
					['mustChange', 'no']
				]
			],
			['huge', [['password', HUGE]]],
			['too short', [['password', 'kort']]],
			['common', [['password', 'password1234']]],
			['the user name', [['password', 'ola']]]
		];
		for (const [name, fields] of cases) await expectRefused(admin, `reset a password / ${name}`, 'POST', path, { form: fields });
		expect(one<{ m: number }>("SELECT must_change_password AS m FROM users WHERE username = 'ola'").m).toBe(0);
	});

	it("resetting a user's second factor takes no fields: an unknown one is refused, nothing reset", async () => {
		await expectRefused(admin, 'reset two factors / unknown field', 'POST', `/admin/users/${userId(TOTP_USER)}?/twoFactor`, { form: { confirm: 'yes' } });
		expect(one<{ n: number }>('SELECT count(*) AS n FROM user_totp t JOIN users u ON u.id = t.user_id WHERE u.username = ?', TOTP_USER).n).toBe(1);
	});

	it('refuses bodies no form produces: unreadable, a file, the wrong type, too large', async () => {
		const path = `${P}?/absence`;
		const boundary = 'x-boundary';
		const file = `--${boundary}\r\nContent-Disposition: form-data; name="agreement"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`;
		const bodies: [string, Send][] = [
			['broken multipart', { raw: { body: `--${boundary}\r\nbroken`, type: `multipart/form-data; boundary=${boundary}` } }],
			['multipart without boundary', { raw: { body: 'agreement=x', type: 'multipart/form-data' } }],
			['a file in a text field', { raw: { body: file, type: `multipart/form-data; boundary=${boundary}` } }],
			['JSON to a form action', { json: { agreement: 'x' } }],
			['plain text to a form action', { raw: { body: 'agreement=x', type: 'text/plain' } }],
			['a body over the size limit', { raw: { body: `agreement=${'x'.repeat(600 * 1024)}`, type: 'application/x-www-form-urlencoded' } }],
			['no action name', { form: { agreement: 'x' } }]
		];
		for (const [name, send] of bodies) await expectRefused(kari, name, 'POST', name === 'no action name' ? P : path, send);
	});

	it('refuses a post from another site (SvelteKit’s origin check)', async () => {
		await expectRefused(kari, 'cross-site post', 'POST', `${P}?/absence`, { form: { agreement: 'x' }, headers: { origin: 'https://evil.example' } });
	});
});

describe('hostile paths and ids', () => {
	const IDS = ['abc', '-1', '0', '1.5', '1e3', '99999999999999999999', '%00', '..%2F..%2Fetc', "1'--", '%3Cscript%3E', String(OTHER_TEAM_PATIENT)];
	it.each(['', '/meeting', '/together'])('patient page%s: every odd or foreign id is 404', async (suffix) => {
		for (const id of IDS) {
			const answer = await kari.get(`/patients/${id}${suffix}`);
			count++;
			expect([id, answer.status]).toEqual([id, 404]);
		}
	});

	it('actions and endpoints on odd or foreign ids are 404 and store nothing', async () => {
		const foreignAppointment = one<{ id: number }>(`SELECT a.id FROM appointments a JOIN episodes e ON e.id = a.episode_id WHERE e.patient_id = ? LIMIT 1`, OTHER_TEAM_PATIENT).id;
		for (const id of IDS) {
			await expectRefused(kari, `absence on ${id}`, 'POST', `/patients/${id}?/absence`, { form: { agreement: 'x' } });
			await expectRefused(kari, `printed on ${id}`, 'POST', `/patients/${id}/printed`, {});
			await expectRefused(kari, `together language on ${id}`, 'POST', `/patients/${id}/together?/language`, { form: { locale: 'en' } });
		}
		for (const id of ['abc', '0', '99999999999999999999', String(foreignAppointment)]) {
			await expectRefused(kari, `appointment status on ${id}`, 'POST', `/appointments/${id}?/status`, { form: { status: 'attended' } });
		}
	});
});

describe('hostile statistics filters', () => {
	it('answers every hostile value of every filter, on the page, its CSV and the export, with 400 naming the field (404 for another team), never a 500', async () => {
		const fields = {
			scope: 'Omfang',
			team: 'Team',
			from: 'Fra dato',
			to: 'Til dato',
			setting: 'Behandlingsform',
			age: 'Aldersgruppe',
			rater: 'Hvem som måler',
			table: 'table',
			kind: 'Eksport'
		} as const;
		for (const [field, label] of Object.entries(fields)) {
			for (const [name, value] of HOSTILE_VALUES) {
				if (value === '' && (field === 'from' || field === 'to')) continue; // an empty date is "not chosen": the default period
				const query = new URLSearchParams({ ...(field === 'team' ? { scope: 'team' } : {}), ...(field === 'table' ? {} : { table: 'endings' }), [field]: value.slice(0, 2_000) });
				const path = field === 'table' ? `/statistics/csv?${query}` : field === 'kind' ? `/statistics/export?${query}` : `/statistics?${query}`;
				const before = fingerprint();
				const answer = await kari.get(path);
				count++;
				const expected = field === 'team' && /^[1-9][0-9]{0,9}$/.test(value) ? 404 : 400;
				expect([field, name, answer.status]).toEqual([field, name, expected]);
				if (expected === 400) expect([field, name, answer.body.includes(label)]).toEqual([field, name, true]);
				expect([field, name, fingerprint()]).toEqual([field, name, before]);
			}
		}
	});
});

describe('hostile requests to the FHIR API', () => {
	it('answers every one with a 4xx OperationOutcome naming what is wrong, and stores nothing', async () => {
		const { token } = await makeApiClient(admin, 'bad-input journal', [teamOf('kari')]);
		const { token: revoked } = await makeApiClient(admin, 'bad-input revoked', [teamOf('kari')]);
		const listed = await admin.get('/admin/api-clients');
		const revokedId = /name="client" value="(\d+)"/.exec(listed.body.slice(listed.body.indexOf('bad-input revoked')))![1]!;
		expect((await admin.post('/admin/api-clients?/revoke', { form: { client: revokedId } })).status).toBe(200);
		const foreignRating = otherTeam.rating();
		const otherCode = one<{ code: string }>(`SELECT code FROM patients WHERE id = ?`, OTHER_TEAM_PATIENT).code;
		const codeSystem = new URL('/fhir/NamingSystem/patient-code', kari.base).href;
		const bundle = (entry: unknown[]) => JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry });
		const cases: [string, string | null, string, string, string | undefined, number, string | undefined, string?][] = [
			['no token', null, 'GET', `/fhir/Patient/${PATIENT}`, undefined, 401, undefined],
			['a made-up token', 'stm_' + 'a'.repeat(52), 'GET', `/fhir/Patient/${PATIENT}`, undefined, 401, undefined],
			['a revoked token', revoked, 'GET', `/fhir/Patient/${PATIENT}`, undefined, 401, undefined],
			// Under Node's 16 KB header limit, so that Stemme answers, not the HTTP parser.
			['a huge token', 'x'.repeat(8_000), 'GET', '/fhir/Patient', undefined, 401, undefined],
			["another team's patient", token, 'GET', `/fhir/Patient/${OTHER_TEAM_PATIENT}`, undefined, 404, undefined],
			["another team's patient's $everything", token, 'GET', `/fhir/Patient/${OTHER_TEAM_PATIENT}/$everything`, undefined, 404, undefined],
			["another team's rating", token, 'GET', `/fhir/Observation/${foreignRating}`, undefined, 404, undefined],
			["another team's rating as response", token, 'GET', `/fhir/QuestionnaireResponse/${foreignRating}`, undefined, 404, undefined],
			["another team's episode", token, 'GET', `/fhir/EpisodeOfCare/${otherTeamEpisode()}`, undefined, 404, undefined],
			["another team's appointment", token, 'GET', `/fhir/Appointment/${otherTeamAppointment()}`, undefined, 404, undefined],
			['an episode date with a time', token, 'GET', '/fhir/EpisodeOfCare?date=2026-10-01T10:00:00Z', undefined, 400, 'date'],
			['an appointment of a patient that is no id', token, 'GET', '/fhir/Appointment?patient=abc', undefined, 400, 'patient'],
			['an odd id', token, 'GET', "/fhir/Patient/1'--", undefined, 404, undefined],
			['an unknown operation', token, 'GET', `/fhir/Patient/${PATIENT}/$purge`, undefined, 404, undefined],
			['an unknown resource type', token, 'GET', '/fhir/Encounter?patient=1', undefined, 404, undefined],
			['an unknown search parameter', token, 'GET', '/fhir/QuestionnaireResponse?colour=red', undefined, 400, 'colour'],
			['a malformed date', token, 'GET', '/fhir/Observation?date=ge2026-13-45', undefined, 400, 'date'],
			['a date without its zone', token, 'GET', '/fhir/QuestionnaireResponse?authored=2026-10-01T10:00', undefined, 400, 'authored'],
			['a non-numeric _count', token, 'GET', '/fhir/Observation?_count=all', undefined, 400, '_count'],
			['a patient that is no id', token, 'GET', '/fhir/Observation?patient=Patient/%3Cscript%3E', undefined, 400, 'patient'],
			['a forged cursor', token, 'GET', '/fhir/QuestionnaireResponse?_cursor=-5', undefined, 400, '_cursor'],
			['the patient twice', token, 'GET', `/fhir/Observation?patient=${PATIENT}&patient=${OTHER_TEAM_PATIENT}`, undefined, 400, 'patient'],
			['XML asked for', token, 'GET', '/fhir/Patient?_format=xml', undefined, 400, '_format'],
			['a write to a read-only resource', token, 'POST', '/fhir/Patient', '{"resourceType":"Patient"}', 405, undefined],
			['malformed JSON to the base', token, 'POST', '/fhir', '{"resourceType": "Bundle", ', 400, 'Bundle'],
			['a huge body', token, 'POST', '/fhir', bundle(Array(20_000).fill({ resource: { resourceType: 'Patient' } })), 413, undefined],
			['more entries than the limit', token, 'POST', '/fhir', bundle(Array(10_001).fill({})), 413, 'Bundle.entry'],
			['a Bundle as XML', token, 'POST', '/fhir', '<Bundle xmlns="http://hl7.org/fhir"/>', 415, undefined, 'application/fhir+xml'],
			['a batch, not a transaction', token, 'POST', '/fhir', JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [] }), 400, 'Bundle.type'],
			[
				'a wrong resource type in the import',
				token,
				'POST',
				'/fhir',
				bundle([{ resource: { resourceType: 'Observation' }, request: { method: 'POST', url: 'Observation' } }]),
				400,
				'Bundle.entry[0].resource.resourceType'
			],
			[
				"another team's patient in the import",
				token,
				'POST',
				'/fhir',
				bundle([
					{
						resource: { resourceType: 'Patient', identifier: [{ system: codeSystem, value: otherCode }], name: [{ text: 'X' }], birthDate: '1990' },
						request: { method: 'PUT', url: `Patient?identifier=${codeSystem}|${otherCode}` }
					}
				]),
				403,
				'Bundle.entry[0].resource.identifier'
			]
		];
		for (const [name, bearer, method, path, body, status, parameter, contentType] of cases) {
			const before = fingerprint();
			const answer = await fhirRequest(kari.base, bearer, method, path, body, contentType);
			count++;
			expect([name, answer.status, answer.type.split(';')[0], answer.json.resourceType]).toEqual([name, status, 'application/fhir+json', 'OperationOutcome']);
			if (parameter !== undefined) expect([name, answer.json.issue?.[0]?.expression]).toEqual([name, [parameter]]);
			expect([name, fingerprint()]).toEqual([name, before]);
		}
	});
});

describe('hostile rating submissions from the tablet', () => {
	it('refuses every malformed body with 4xx in JSON and stores nothing', async () => {
		const tablet = await new Client().signIn('kari');
		const created = await tablet.post(`${P}?/now`, { form: {} });
		const id = Number(created.location!.split('/').pop());
		await tablet.post(`/appointments/${id}?/pin`, { form: { pin: '2468', repeat: '2468' } });
		expect((await tablet.post(`/appointments/${id}?/hand`, { form: { kind: 'outcome' } })).status).toBe(303);
		const handoffId = one<{ id: string }>(`SELECT id FROM tablet_handoffs WHERE appointment_ids LIKE ? ORDER BY created_at DESC LIMIT 1`, `%${id}%`).id;
		const good = { handoffId, clientId: `bad-input-${id}`, appointmentId: id, values: { self: 5, close: 5, daily: 5, overall: 5 } };
		const bodies: [string, unknown][] = [
			['empty object', {}],
			['array', [good]],
			['null', null],
			['string', 'rating'],
			['values as strings', { ...good, values: { self: '5', close: '5', daily: '5', overall: '5' } }],
			['value 10.01', { ...good, values: { ...good.values, self: 10.01 } }],
			['value -0.1', { ...good, values: { ...good.values, self: -0.1 } }],
			['two decimals', { ...good, values: { ...good.values, self: 5.55 } }],
			['value 1e308', { ...good, values: { ...good.values, self: 1e308 } }],
			['extra item', { ...good, values: { ...good.values, extra: 5 } }],
			['values array', { ...good, values: [5, 5, 5, 5] }],
			['nested value', { ...good, values: { ...good.values, self: { value: 5 } } }],
			['prototype pollution', JSON.parse(`{"handoffId":"${handoffId}","clientId":"p-${id}","appointmentId":${id},"values":{"__proto__":{"self":5},"close":5,"daily":5,"overall":5}}`)],
			['huge client id', { ...good, clientId: HUGE }],
			['script client id', { ...good, clientId: SCRIPT }],
			['unicode client id', { ...good, clientId: '\u202E\u200D' }],
			['client id missing', { ...good, clientId: undefined }],
			['appointment id as string', { ...good, appointmentId: String(id) }],
			['appointment id negative', { ...good, appointmentId: -1 }],
			['appointment id huge', { ...good, appointmentId: 1e20 }],
			[
				'another team’s appointment',
				{ ...good, appointmentId: one<{ id: number }>(`SELECT a.id FROM appointments a JOIN episodes e ON e.id = a.episode_id WHERE e.patient_id = ? LIMIT 1`, OTHER_TEAM_PATIENT).id }
			],
			['unknown handoff', { ...good, handoffId: 'x'.repeat(32) }],
			['handoff of huge length', { ...good, handoffId: HUGE }]
		];
		for (const [name, json] of bodies) {
			await expectRefused(tablet, `submit: ${name}`, 'POST', '/rate/submit', { json });
		}
		for (const [name, raw] of [
			['not JSON', 'rating'],
			['truncated JSON', '{"handoffId":'],
			['JSON with a BOM and garbage', '\uFEFF{]']
		] as const) {
			await expectRefused(tablet, `submit: ${name}`, 'POST', '/rate/submit', { raw: { body: raw, type: 'application/json' } });
		}
		// The tablet's own forms in patient mode.
		await expectRefused(tablet, 'tablet language xx', 'POST', '/rate?/language', { form: { language: 'xx' } });
		await expectRefused(tablet, 'tablet language twice', 'POST', '/rate?/language', {
			form: [
				['language', 'en'],
				['language', 'nb']
			]
		});
		await expectRefused(tablet, 'keep a language the tablet does not speak', 'POST', '/rate?/keepLanguage', { form: { language: HUGE } });
		await expectRefused(tablet, 'keep language xx', 'POST', '/rate?/keepLanguage', { form: { language: 'xx' } });
		await expectRefused(tablet, 'unlock with a huge PIN', 'POST', '/rate/unlock?/pin', { form: { pin: HUGE } });
		await expectRefused(tablet, 'unlock with a PIN sent twice', 'POST', '/rate/unlock?/pin', {
			form: [
				['pin', '2468'],
				['pin', '0000']
			]
		});
		// The good rating still lands, once.
		expect((await tablet.post('/rate/submit', { json: good })).status).toBe(201);
		expect(one<{ n: number }>('SELECT count(*) AS n FROM ratings WHERE appointment_id = ?', id).n).toBe(1);
	});
});

describe("hostile rating submissions from the patient's phone", () => {
	it('refuses every malformed body with 4xx in JSON, stores nothing, and the good rating lands once', async () => {
		const staff = await new Client().signIn('kari');
		const created = await staff.post(`${P}?/now`, { form: {} });
		const id = Number(created.location!.split('/').pop());
		const made = await staff.post(`/appointments/${id}?/phone`, { form: { kind: 'outcome' } });
		const token = /\/r\/([a-z2-7]{26})/.exec(made.body)?.[1];
		expect(token).toBeDefined();
		// The phone: nobody signed in, only the link.
		const phone = new Client();
		const url = `/r/${token}/submit`;
		const good = { clientId: `phone-bad-input-${id}`, appointmentId: id, values: { self: 5, close: 5, daily: 5, overall: 5 } };
		const bodies: [string, unknown][] = [
			['empty object', {}],
			['array', [good]],
			['null', null],
			['values as strings', { ...good, values: { self: '5', close: '5', daily: '5', overall: '5' } }],
			['value 10.01', { ...good, values: { ...good.values, self: 10.01 } }],
			['value 1e308', { ...good, values: { ...good.values, self: 1e308 } }],
			['extra item', { ...good, values: { ...good.values, extra: 5 } }],
			['nested value', { ...good, values: { ...good.values, self: { value: 5 } } }],
			['huge client id', { ...good, clientId: HUGE }],
			['script client id', { ...good, clientId: SCRIPT }],
			['another appointment', { ...good, appointmentId: id + 1 }],
			['a tablet handoff id', { ...good, handoffId: 'x'.repeat(32) }]
		];
		for (const [name, json] of bodies) await expectRefused(phone, `phone submit: ${name}`, 'POST', url, { json });
		for (const [name, raw] of [
			['not JSON', 'rating'],
			['truncated JSON', '{"clientId":']
		] as const) {
			await expectRefused(phone, `phone submit: ${name}`, 'POST', url, { raw: { body: raw, type: 'application/json' } });
		}
		await expectRefused(phone, 'phone language xx', 'POST', `/r/${token}?/language`, { form: { language: 'xx' } });
		for (const birthDate of ['mai 1990', '31.02.1990', 'x'.repeat(4000)])
			await expectRefused(phone, `phone birth date ${birthDate.slice(0, 12)}`, 'POST', `/r/${token}?/gate`, { form: { birthDate } });
		await expectRefused(phone, 'phone birth date missing', 'POST', `/r/${token}?/gate`, { form: {} });
		expect((await phone.post(url, { json: good })).status).toBe(201);
		expect((await phone.post(url, { json: good })).status).toBe(200);
		expect((await phone.post(url, { json: { ...good, clientId: `phone-other-${id}` } })).status).toBe(409);
		expect(one<{ n: number }>('SELECT count(*) AS n FROM ratings WHERE appointment_id = ?', id).n).toBe(1);
	});
});

describe('stored text comes back escaped', () => {
	it('keeps script typed into every free-text field as text, and shows it escaped on every page', async () => {
		const marker = (field: string) => `${SCRIPT}${IMG}<b>${field}</b>`;
		for (const form of FORMS.filter((f) => f.stores === true)) {
			const fields = form.valid();
			for (const field of form.text!) fields[field] = marker(field).slice(0, field === 'agreement' || field === 'decisions' ? 2000 : 200);
			const answer = await kari.post(form.path, { form: fields });
			count++;
			// Stored: the form's page again (200), or, for a recorded meeting, the held meeting's page (303).
			expect([form.name, answer.status]).toEqual([form.name, form.name === 'record a meeting' ? 303 : 200]);
		}
		for (const path of [P, `${P}/meeting`, `${P}/together`, '/patients', '/meetings?scope=team']) {
			const html = (await kari.get(path)).body;
			// The raw markup never reaches the page; its escaped text does, on the patient's pages.
			expect([path, html.includes(SCRIPT), html.includes('<img src=x'), html.includes('<b>agreement</b>')]).toEqual([path, false, false, false]);
			// The look-together view shows no staff text but the goals (the patient's own words); the patient and meeting pages show it escaped.
			if (path === P || path === `${P}/meeting`) expect([path, html.includes('&lt;script')]).toEqual([path, true]);
		}
	});
});

/** A variant that is in fact a valid form for this action (checked by hand for each). */
function wouldBeValid(form: FormCase, name: string): boolean {
	const optional: Record<string, string[]> = {
		checklist: DEFAULT_CHECKLIST.factors.flatMap((f) => [`note-${f.key}`, `date-${f.key}`]),
		'agree an action': ['note', 'flag'],
		'record an outcome': [],
		'episode plan': ['responsible'],
		'plan a meeting': ['presenter'],
		'record a meeting': ['patientPresent', 'member', 'role-0', 'name-0', 'decisions', 'patientWords', ...PATHWAY_QUESTIONS.map((q) => `q-${q.key}`)],
		'a goal': [],
		'discharge plan': ['housing', 'activity', 'economy', 'followUpTeam', 'contactPerson', 'contactPhone', 'followUpRatingDate'],
		'hand over the tablet': ['rater', 'group'],
		// No one (empty) is a choice: the episode or meeting waits for someone.
		'caseload assignment': ['responsible'],
		'presenter rota': ['presenter']
	};
	const field = name.split(/ missing|: /)[0]!;
	// Digits and hyphens make a phone number, even when they look like a date.
	if (field === 'contactPhone' && /: (impossible date|far-off date)$/.test(name)) return true;
	// 'NaN' is a well-formed patient code.
	if (form.name === 'edit a patient' && name === 'code: NaN') return true;
	// 0 and 1.5 are good marks on a rating line.
	if (field.startsWith('item.') && (name.endsWith(': zero') || name.endsWith(': decimal id'))) return true;
	if (name.endsWith(' missing') && optional[form.name]?.includes(field)) return true;
	// An empty or blank optional field is the same as leaving it out.
	if ((name.endsWith(': empty') || name.endsWith(': whitespace')) && optional[form.name]?.includes(field)) return true;
	return false;
}
