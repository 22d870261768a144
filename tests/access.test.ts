import { beforeAll, describe, expect, it } from 'vitest';
import { readDatabase } from './support/browser';
import { Client, type Answer, type Send } from './support/http';
import { routeHandlers } from './support/route-handlers';

/**
 * The access matrix: every load, action and endpoint of every route, asked by each
 * kind of visitor, with the answer each must get. A route file or action added without a row
 * here fails the completeness test, so the matrix cannot fall behind the routes.
 *
 * The patient asked about belongs to team A and has no open episode, so an allowed action is
 * answered "no open episode" (409) or "field missing" (400) and nothing changes; another
 * team, an administrator (who treats no one) and a tablet in patient mode never get that far.
 */
const db = readDatabase();
const one = <T>(sql: string, ...params: unknown[]): T => db.prepare(sql).get(...params) as T;

const TEAM_A = one<{ id: number }>(`SELECT t.id FROM teams t JOIN team_memberships m ON m.team_id = t.id JOIN users u ON u.id = m.user_id WHERE u.username = 'kari'`).id;
const TEAM_B = one<{ id: number }>(`SELECT t.id FROM teams t JOIN team_memberships m ON m.team_id = t.id JOIN users u ON u.id = m.user_id WHERE u.username = 'sindre'`).id;
// Team A's patient whose episodes have all ended, and one of their appointments.
const CLOSED = one<{ id: number }>(
	`SELECT p.id FROM patients p WHERE p.team_id = ? AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.patient_id = p.id AND e.actual_end IS NULL) ORDER BY p.id LIMIT 1`,
	TEAM_A
).id;
const APPOINTMENT = one<{ id: number }>(`SELECT a.id FROM appointments a JOIN episodes e ON e.id = a.episode_id WHERE e.patient_id = ? ORDER BY a.id DESC LIMIT 1`, CLOSED).id;
// The tablet is handed over for the last of team B's patients in treatment (the tablet tests use the first).
const TABLET_PATIENT = one<{ id: number }>(`SELECT p.id FROM patients p JOIN episodes e ON e.patient_id = p.id AND e.actual_end IS NULL WHERE p.team_id = ? ORDER BY p.id DESC LIMIT 1`, TEAM_B).id;

const ADMIN = one<{ id: number }>(`SELECT id FROM users WHERE username = 'admin'`).id;
// The CLOSED patient's last (ended) episode.
const EPISODE = one<{ id: number }>(`SELECT id FROM episodes WHERE patient_id = ? ORDER BY id DESC LIMIT 1`, CLOSED).id;
// The demo clinic has no outreach task: an id nobody has, so the allowed are told "not found" by
// the page (after the guard let them in) and the rest by the guard.
const NO_TASK = 999_999;

const ROLES = ['signedOut', 'clinician', 'teamLead', 'otherTeam', 'admin', 'tablet'] as const;
type Role = (typeof ROLES)[number];
type Expected = Record<Role, string>;

const P = `/patients/${CLOSED}`;
const A = `/appointments/${APPOINTMENT}`;
const EMPTY: Send = { form: {} };
/** Filled in by beforeAll: a group of team A, made by its lead. */
let GROUP = '';
/** Filled in by beforeAll: the token of a rating link for the tablet's appointment, made by team B's clinician. */
let LINK = '';

/** The same answer for the three that may see the patient and for the three that may not. */
function patientRoute(allowed: string): Expected {
	return { signedOut: `303 /login`, clinician: allowed, teamLead: allowed, otherTeam: '404', admin: '404', tablet: '303 /rate' };
}
/** The administration pages: the administrator only (others are told 403, not sent away). */
function adminRoute(allowed: string): Expected {
	return { signedOut: '303 /login', clinician: '403', teamLead: '403', otherTeam: '403', admin: allowed, tablet: '303 /rate' };
}
/** The FHIR API: the same answer for every visitor without an API client's token. */
function fhirRoute(answer: string): Expected {
	return { signedOut: answer, clinician: answer, teamLead: answer, otherTeam: answer, admin: answer, tablet: answer };
}
/** The team lead's own page: the lead of the team only (a clinician of the same team is told 403). */
function leadRoute(allowed: string): Expected {
	return { signedOut: '303 /login', clinician: '403', teamLead: allowed, otherTeam: '403', admin: '403', tablet: '303 /rate' };
}
/** A staff page with no patient in it: every signed-in staff user, nobody else. */
function staffRoute(allowed: string): Expected {
	return { signedOut: '303 /login', clinician: allowed, teamLead: allowed, otherTeam: allowed, admin: allowed, tablet: '303 /rate' };
}

interface Row {
	/** `<route file> <handler>` as the route walker names it. */
	handler: string;
	method: 'GET' | 'POST';
	path: string;
	send?: Send;
	expected: Expected;
}

// Rows run in this order for each visitor; signing out comes last.
const MATRIX: Row[] = [
	{ handler: '+page.server.ts load', method: 'GET', path: '/', expected: { ...staffRoute('303 /today'), tablet: '303 /rate' } },
	{ handler: '(clinic)/+layout.server.ts load', method: 'GET', path: '/meetings', expected: staffRoute('200') },
	{ handler: '(clinic)/meetings/+page.server.ts load', method: 'GET', path: '/meetings?scope=team', expected: staffRoute('200') },
	{ handler: '(clinic)/patients/+page.server.ts load', method: 'GET', path: '/patients', expected: staffRoute('200') },
	{ handler: '(clinic)/patients/[id]/+page.server.ts load', method: 'GET', path: P, expected: patientRoute('200') },
	{ handler: '(clinic)/patients/[id]/+page.server.ts now', method: 'POST', path: `${P}?/now`, send: EMPTY, expected: patientRoute('400') },
	// Consent to messages: refused as empty (400); stopping what was never started: 409.
	{ handler: '(clinic)/patients/[id]/+page.server.ts consent', method: 'POST', path: `${P}?/consent`, send: EMPTY, expected: patientRoute('400') },
	{ handler: '(clinic)/patients/[id]/+page.server.ts stopMessages', method: 'POST', path: `${P}?/stopMessages`, send: EMPTY, expected: patientRoute('409') },
	...(['checklist', 'absence', 'acknowledge', 'close', 'act', 'outcome', 'episode'] as const).map((action): Row => ({
		handler: `(clinic)/patients/[id]/+page.server.ts ${action}`,
		method: 'POST',
		path: `${P}?/${action}`,
		send: EMPTY,
		expected: patientRoute('409')
	})),
	{ handler: '(clinic)/patients/new/+page.server.ts load', method: 'GET', path: '/patients/new', expected: staffRoute('200') },
	{ handler: '(clinic)/patients/new/+page.server.ts default', method: 'POST', path: '/patients/new', send: EMPTY, expected: staffRoute('400') },
	// Searching for nothing finds nothing: the page, for every staff user.
	{ handler: '(clinic)/patients/search/+page.server.ts default', method: 'POST', path: '/patients/search', send: EMPTY, expected: staffRoute('200') },
	{ handler: '(clinic)/patients/search/+page.server.ts load', method: 'GET', path: '/patients/search?q=P-1', expected: staffRoute('200') },
	{ handler: '(clinic)/patients/[id]/edit/+page.server.ts load', method: 'GET', path: `${P}/edit`, expected: patientRoute('200') },
	{ handler: '(clinic)/patients/[id]/edit/+page.server.ts default', method: 'POST', path: `${P}/edit`, send: EMPTY, expected: patientRoute('400') },
	{ handler: '(clinic)/patients/[id]/episodes/new/+page.server.ts load', method: 'GET', path: `${P}/episodes/new`, expected: patientRoute('200') },
	{ handler: '(clinic)/patients/[id]/episodes/new/+page.server.ts default', method: 'POST', path: `${P}/episodes/new`, send: EMPTY, expected: patientRoute('400') },
	{ handler: '(clinic)/patients/[id]/episodes/[episodeId]/+page.server.ts load', method: 'GET', path: `${P}/episodes/${EPISODE}`, expected: patientRoute('200') },
	...(['transition', 'reopen'] as const).map((action): Row => ({
		handler: `(clinic)/patients/[id]/episodes/[episodeId]/+page.server.ts ${action}`,
		method: 'POST',
		path: `${P}/episodes/${EPISODE}?/${action}`,
		send: EMPTY,
		expected: patientRoute('400')
	})),
	// The episode has ended: its ending page sends the allowed on to the episode.
	{ handler: '(clinic)/patients/[id]/episodes/[episodeId]/end/+page.server.ts load', method: 'GET', path: `${P}/episodes/${EPISODE}/end`, expected: patientRoute(`303 ${P}/episodes/${EPISODE}`) },
	// Refused (400), and the page shown with it sends the allowed on to the ended episode.
	{
		handler: '(clinic)/patients/[id]/episodes/[episodeId]/end/+page.server.ts default',
		method: 'POST',
		path: `${P}/episodes/${EPISODE}/end`,
		send: EMPTY,
		expected: patientRoute(`303 ${P}/episodes/${EPISODE}`)
	},
	{ handler: '(clinic)/patients/[id]/outreach/[taskId]/+page.server.ts load', method: 'GET', path: `${P}/outreach/${NO_TASK}`, expected: patientRoute('404') },
	...(['attempt', 'close'] as const).map((action): Row => ({
		handler: `(clinic)/patients/[id]/outreach/[taskId]/+page.server.ts ${action}`,
		method: 'POST',
		path: `${P}/outreach/${NO_TASK}?/${action}`,
		send: EMPTY,
		expected: patientRoute('404')
	})),
	{ handler: '(clinic)/patients/[id]/appointments/+page.server.ts load', method: 'GET', path: `${P}/appointments`, expected: patientRoute('200') },
	{ handler: '(clinic)/patients/[id]/appointments/+page.server.ts book', method: 'POST', path: `${P}/appointments?/book`, send: EMPTY, expected: patientRoute('409') },
	{ handler: '(clinic)/today/+page.server.ts load', method: 'GET', path: '/today', expected: staffRoute('200') },
	// Naming no appointment: not found, for everyone let in.
	{ handler: '(clinic)/today/+page.server.ts attendance', method: 'POST', path: '/today?/attendance', send: EMPTY, expected: staffRoute('404') },
	{ handler: '(clinic)/groups/+page.server.ts load', method: 'GET', path: '/groups', expected: staffRoute('200') },
	{ handler: '(clinic)/groups/+page.server.ts create', method: 'POST', path: '/groups?/create', send: EMPTY, expected: staffRoute('400') },
	{ handler: '(clinic)/groups/[id]/+page.server.ts load', method: 'GET', path: '/groups/GROUP', expected: { ...patientRoute('200') } },
	...(['book', 'join', 'leave'] as const).map((action): Row => ({
		handler: `(clinic)/groups/[id]/+page.server.ts ${action}`,
		method: 'POST',
		path: `/groups/GROUP?/${action}`,
		send: EMPTY,
		expected: patientRoute('400')
	})),
	{ handler: '(clinic)/import/+page.server.ts load', method: 'GET', path: '/import', expected: leadRoute('200') },
	{ handler: '(clinic)/import/job/+server.ts GET', method: 'GET', path: '/import/job?job=none', expected: leadRoute('404') },
	// Naming no job: not found, for the lead; everyone else is stopped by the guard first.
	{ handler: '(clinic)/import/job/+server.ts POST', method: 'POST', path: '/import/job', send: EMPTY, expected: leadRoute('404') },
	{ handler: '(clinic)/patients/[id]/meeting/+page.server.ts load', method: 'GET', path: `${P}/meeting`, expected: patientRoute('200') },
	...(['plan', 'record', 'goal', 'discharge'] as const).map((action): Row => ({
		handler: `(clinic)/patients/[id]/meeting/+page.server.ts ${action}`,
		method: 'POST',
		path: `${P}/meeting?/${action}`,
		send: EMPTY,
		expected: patientRoute('409')
	})),
	{ handler: '(clinic)/patients/[id]/printed/+server.ts POST', method: 'POST', path: `${P}/printed`, expected: patientRoute('200') },
	{ handler: '(clinic)/patients/[id]/export/+server.ts GET', method: 'GET', path: `${P}/export`, expected: patientRoute('200') },
	{ handler: '(clinic)/patients/[id]/access-log/+page.server.ts load', method: 'GET', path: `${P}/access-log`, expected: patientRoute('200') },
	{ handler: '(together)/patients/[id]/together/+page.server.ts load', method: 'GET', path: `${P}/together`, expected: patientRoute('200') },
	{ handler: '(together)/patients/[id]/together/+page.server.ts language', method: 'POST', path: `${P}/together?/language`, send: EMPTY, expected: patientRoute('400') },
	// Turned to the patient only with its language (sent empty here, so that no session is locked);
	// back to the record from a view that was not turned to the patient: straight back, no PIN.
	{ handler: '(together)/patients/[id]/together/+page.server.ts start', method: 'POST', path: `${P}/together?/start`, send: EMPTY, expected: patientRoute('400') },
	{ handler: '(together)/patients/[id]/together/+page.server.ts back', method: 'POST', path: `${P}/together?/back`, send: EMPTY, expected: patientRoute(`303 ${P}`) },
	{ handler: '(clinic)/appointments/[id]/+page.server.ts load', method: 'GET', path: A, expected: patientRoute('200') },
	...(['hand', 'status', 'paper', 'correct', 'pin', 'move', 'phone', 'mode'] as const).map((action): Row => ({
		handler: `(clinic)/appointments/[id]/+page.server.ts ${action}`,
		method: 'POST',
		path: `${A}?/${action}`,
		send: EMPTY,
		expected: patientRoute('400')
	})),
	// Answers a tablet kept, sent from the staff pages: JSON, so a signed-out script gets 401, not a redirect.
	{ handler: '(clinic)/appointments/[id]/tablet-answers/+server.ts POST', method: 'POST', path: `${A}/tablet-answers`, send: { json: {} }, expected: { ...patientRoute('400'), signedOut: '401' } },
	// The link page's states, polled by the appointment page: the treating team only.
	{ handler: '(clinic)/appointments/[id]/phone-links/+server.ts GET', method: 'GET', path: `${A}/phone-links`, expected: patientRoute('200') },
	// A rating link is the only grant on its pages: whoever asks, signed in or not, even a tablet in
	// patient mode, gets that one form (LINK: made by team B's clinician in beforeAll) and nothing else.
	{ handler: '(phone)/r/[token]/+page.server.ts load', method: 'GET', path: '/r/LINK', expected: { ...staffRoute('200'), signedOut: '200', tablet: '200' } },
	{ handler: '(phone)/r/[token]/+page.server.ts language', method: 'POST', path: '/r/LINK?/language', send: EMPTY, expected: { ...staffRoute('400'), signedOut: '400', tablet: '400' } },
	// The birth date before the form (STEMME_LINK_BIRTH_DATE): none given is named, whoever asks.
	{ handler: '(phone)/r/[token]/+page.server.ts gate', method: 'POST', path: '/r/LINK?/gate', send: EMPTY, expected: { ...staffRoute('400'), signedOut: '400', tablet: '400' } },
	// The link in a message that stops the messages: asks (200), and stops for the link's patient (none were started here).
	{ handler: '(phone)/r/[token]/stop/+page.server.ts load', method: 'GET', path: '/r/LINK/stop', expected: { ...staffRoute('200'), signedOut: '200', tablet: '200' } },
	{ handler: '(phone)/r/[token]/stop/+page.server.ts default', method: 'POST', path: '/r/LINK/stop', send: EMPTY, expected: { ...staffRoute('200'), signedOut: '200', tablet: '200' } },
	{ handler: '(phone)/r/[token]/submit/+server.ts POST', method: 'POST', path: '/r/LINK/submit', send: { json: {} }, expected: { ...staffRoute('400'), signedOut: '400', tablet: '400' } },
	// Patient mode: only the tablet's own form; staff without a handed-over tablet are sent to their list.
	// The submit endpoint answers any staff session (a tablet given back still sends what it kept
	// offline) but stores only for a handoff of that same session: {} is simply malformed.
	{ handler: '(tablet)/rate/+page.server.ts load', method: 'GET', path: '/rate', expected: { ...staffRoute('303 /patients'), tablet: '200' } },
	{ handler: '(tablet)/rate/+page.server.ts language', method: 'POST', path: '/rate?/language', send: EMPTY, expected: { ...staffRoute('303 /patients'), tablet: '400' } },
	{ handler: '(tablet)/rate/submit/+server.ts POST', method: 'POST', path: '/rate/submit', send: { json: {} }, expected: { ...staffRoute('400'), signedOut: '401', tablet: '400' } },
	{ handler: '(tablet)/rate/unlock/+page.server.ts load', method: 'GET', path: '/rate/unlock', expected: { ...staffRoute('303 /patients'), tablet: '200' } },
	{ handler: '(tablet)/rate/unlock/+page.server.ts pin', method: 'POST', path: '/rate/unlock?/pin', send: EMPTY, expected: { ...staffRoute('303 /patients'), tablet: '400' } },
	{ handler: '(tablet)/rate/unlock/+page.server.ts signin', method: 'POST', path: '/rate/unlock?/signin', send: EMPTY, expected: { ...staffRoute('303 /patients'), tablet: '400' } },
	{ handler: '(tablet)/rate/+page.server.ts next', method: 'POST', path: '/rate?/next', send: EMPTY, expected: { ...staffRoute('303 /patients'), tablet: '303 /rate' } },
	// Skipping a member: only in a group round; the tablet here holds one patient's form, so nothing is skipped.
	{ handler: '(tablet)/rate/+page.server.ts skip', method: 'POST', path: '/rate?/skip', send: EMPTY, expected: { ...staffRoute('303 /patients'), tablet: '303 /rate' } },
	{ handler: '(tablet)/rate/+page.server.ts keepLanguage', method: 'POST', path: '/rate?/keepLanguage', send: EMPTY, expected: { ...staffRoute('303 /patients'), tablet: '400' } },
	{ handler: '(clinic)/account/+page.server.ts load', method: 'GET', path: '/account', expected: staffRoute('200') },
	{ handler: '(clinic)/account/+page.server.ts password', method: 'POST', path: '/account?/password', send: EMPTY, expected: staffRoute('400') },
	{ handler: '(clinic)/account/+page.server.ts pin', method: 'POST', path: '/account?/pin', send: EMPTY, expected: staffRoute('400') },
	// Two factors on the account page: an empty form is no code (400); renewing without an authenticator is 409.
	{ handler: '(clinic)/account/+page.server.ts enrol', method: 'POST', path: '/account?/enrol', send: EMPTY, expected: staffRoute('400') },
	{ handler: '(clinic)/account/+page.server.ts remove', method: 'POST', path: '/account?/remove', send: EMPTY, expected: staffRoute('400') },
	// The administrator has an authenticator (a new set of recovery codes, 200); the others not (409).
	{ handler: '(clinic)/account/+page.server.ts renew', method: 'POST', path: '/account?/renew', send: EMPTY, expected: { ...staffRoute('409'), admin: '200' } },
	{ handler: '(clinic)/admin/users/+page.server.ts load', method: 'GET', path: '/admin/users', expected: adminRoute('200') },
	{ handler: '(clinic)/admin/audit/+page.server.ts verify', method: 'POST', path: '/admin/audit?/verify', send: EMPTY, expected: adminRoute('200') },
	{ handler: '(clinic)/admin/users/+page.server.ts create', method: 'POST', path: '/admin/users?/create', send: EMPTY, expected: adminRoute('400') },
	{ handler: '(clinic)/admin/users/+page.server.ts disable', method: 'POST', path: '/admin/users?/disable', send: EMPTY, expected: adminRoute('404') },
	{ handler: '(clinic)/admin/users/+page.server.ts enable', method: 'POST', path: '/admin/users?/enable', send: EMPTY, expected: adminRoute('404') },
	{ handler: '(clinic)/admin/audit/+page.server.ts load', method: 'GET', path: '/admin/audit', expected: adminRoute('200') },
	{ handler: '(clinic)/admin/patients/+page.server.ts load', method: 'GET', path: '/admin/patients', expected: adminRoute('200') },
	{ handler: '(clinic)/admin/patients/+page.server.ts erase', method: 'POST', path: '/admin/patients?/erase', send: EMPTY, expected: adminRoute('400') },
	{ handler: '(clinic)/admin/access-log/+page.server.ts load', method: 'GET', path: '/admin/access-log', expected: adminRoute('200') },
	{ handler: '(clinic)/admin/access-log/+page.server.ts show', method: 'POST', path: '/admin/access-log?/show', send: EMPTY, expected: adminRoute('400') },
	// Log control: the report of a period (audited), and marking a finding reviewed (an empty form names the first field).
	{ handler: '(clinic)/admin/log-control/+page.server.ts load', method: 'GET', path: '/admin/log-control', expected: adminRoute('200') },
	{ handler: '(clinic)/admin/log-control/+page.server.ts review', method: 'POST', path: '/admin/log-control?/review', send: EMPTY, expected: adminRoute('400') },
	{ handler: '(clinic)/admin/teams/+page.server.ts load', method: 'GET', path: '/admin/teams', expected: adminRoute('200') },
	...(['create', 'update', 'archive', 'restore'] as const).map((action): Row => ({
		handler: `(clinic)/admin/teams/+page.server.ts ${action}`,
		method: 'POST',
		path: `/admin/teams?/${action}`,
		send: EMPTY,
		expected: adminRoute('400')
	})),
	{ handler: '(clinic)/admin/api-clients/+page.server.ts load', method: 'GET', path: '/admin/api-clients', expected: adminRoute('200') },
	...(['create', 'revoke'] as const).map((action): Row => ({
		handler: `(clinic)/admin/api-clients/+page.server.ts ${action}`,
		method: 'POST',
		path: `/admin/api-clients?/${action}`,
		send: EMPTY,
		expected: adminRoute('400')
	})),
	{ handler: '(clinic)/admin/sso/+page.server.ts load', method: 'GET', path: '/admin/sso', expected: adminRoute('200') },
	{ handler: '(clinic)/admin/sso/+page.server.ts approve', method: 'POST', path: '/admin/sso?/approve', send: EMPTY, expected: adminRoute('400') },
	{ handler: '(clinic)/admin/sso/+page.server.ts turnAway', method: 'POST', path: '/admin/sso?/turnAway', send: EMPTY, expected: adminRoute('400') },
	// Single sign-on is not set up on the test server: its pages are not there for anyone (src/lib/server/auth/sso.spec.ts signs on through a real provider).
	...(
		[
			['login/sso/+page.server.ts load', 'GET', '/login/sso'],
			['login/sso/+page.server.ts default', 'POST', '/login/sso'],
			['login/sso/callback/+page.server.ts load', 'GET', '/login/sso/callback?code=x&state=y'],
			['login/sso/end/+page.server.ts load', 'GET', '/login/sso/end?to=x']
		] as const
	).map(([handler, method, path]): Row => ({ handler, method, path, ...(method === 'POST' ? { send: EMPTY } : {}), expected: { ...fhirRoute('404'), tablet: '303 /rate' } })),
	// The FHIR API reads a bearer token only: a staff cookie, a tablet's or none is 401 alike
	// (tests/fhir.test.ts asks with clients' tokens). Its CapabilityStatement is public.
	{ handler: 'fhir/metadata/+server.ts GET', method: 'GET', path: '/fhir/metadata', expected: fhirRoute('200') },
	...(
		[
			['fhir/Patient/+server.ts GET', '/fhir/Patient'],
			['fhir/Patient/[id]/+server.ts GET', `/fhir/Patient/${CLOSED}`],
			['fhir/Patient/[id]/[operation]/+server.ts GET', `/fhir/Patient/${CLOSED}/$everything`],
			['fhir/Questionnaire/+server.ts GET', '/fhir/Questionnaire'],
			['fhir/Questionnaire/[id]/+server.ts GET', '/fhir/Questionnaire/stemme-outcome-adult-1'],
			['fhir/QuestionnaireResponse/+server.ts GET', `/fhir/QuestionnaireResponse?patient=${CLOSED}`],
			['fhir/QuestionnaireResponse/[id]/+server.ts GET', '/fhir/QuestionnaireResponse/1'],
			['fhir/Observation/+server.ts GET', `/fhir/Observation?patient=${CLOSED}`],
			['fhir/Observation/[id]/+server.ts GET', '/fhir/Observation/1'],
			['fhir/EpisodeOfCare/+server.ts GET', `/fhir/EpisodeOfCare?patient=${CLOSED}`],
			['fhir/EpisodeOfCare/[id]/+server.ts GET', '/fhir/EpisodeOfCare/1'],
			['fhir/Appointment/+server.ts GET', `/fhir/Appointment?patient=${CLOSED}`],
			['fhir/Appointment/[id]/+server.ts GET', '/fhir/Appointment/1'],
			['fhir/[...rest]/+server.ts fallback', '/fhir/Encounter']
		] as const
	).map(([handler, path]): Row => ({ handler, method: 'GET', path, expected: fhirRoute('401') })),
	// The import: refused before its body is read.
	{ handler: 'fhir/+server.ts POST', method: 'POST', path: '/fhir', send: EMPTY, expected: fhirRoute('401') },
	// The admin's own page (a PIN reset there changes nothing another test relies on).
	{ handler: '(clinic)/admin/users/[id]/+page.server.ts load', method: 'GET', path: `/admin/users/${ADMIN}`, expected: adminRoute('200') },
	{ handler: '(clinic)/admin/users/[id]/+page.server.ts edit', method: 'POST', path: `/admin/users/${ADMIN}?/edit`, send: EMPTY, expected: adminRoute('400') },
	{ handler: '(clinic)/admin/users/[id]/+page.server.ts password', method: 'POST', path: `/admin/users/${ADMIN}?/password`, send: EMPTY, expected: adminRoute('400') },
	{ handler: '(clinic)/admin/users/[id]/+page.server.ts pin', method: 'POST', path: `/admin/users/${ADMIN}?/pin`, send: EMPTY, expected: adminRoute('200') },
	// One's own second factor is not reset here (400); another administrator's is.
	{ handler: '(clinic)/admin/users/[id]/+page.server.ts twoFactor', method: 'POST', path: `/admin/users/${ADMIN}?/twoFactor`, send: EMPTY, expected: adminRoute('400') },
	// The HPR number and e-mail single sign-on matches by: an empty form lacks both fields (400).
	{ handler: '(clinic)/admin/users/[id]/+page.server.ts identity', method: 'POST', path: `/admin/users/${ADMIN}?/identity`, send: EMPTY, expected: adminRoute('400') },
	{ handler: '(clinic)/team/+page.server.ts load', method: 'GET', path: '/team', expected: leadRoute('200') },
	// The statistics: aggregates for the clinicians, leads and service leaders; the administrator sees none.
	{ handler: '(clinic)/statistics/+page.server.ts load', method: 'GET', path: '/statistics', expected: { ...staffRoute('200'), admin: '403' } },
	{ handler: '(clinic)/statistics/csv/+server.ts GET', method: 'GET', path: '/statistics/csv?table=endings', expected: { ...staffRoute('200'), admin: '403' } },
	// The rater filter and the new tables: the same answer for every role.
	{ handler: '(clinic)/statistics/+page.server.ts load', method: 'GET', path: '/statistics?rater=collateral', expected: { ...staffRoute('200'), admin: '403' } },
	{ handler: '(clinic)/statistics/csv/+server.ts GET', method: 'GET', path: '/statistics/csv?table=alliance&rater=collateral', expected: { ...staffRoute('200'), admin: '403' } },
	{ handler: '(clinic)/statistics/csv/+server.ts GET', method: 'GET', path: '/statistics/csv?table=trend', expected: { ...staffRoute('200'), admin: '403' } },
	// The rows (patient codes): a clinician's own caseload, a lead's own team; never the administrator.
	{ handler: '(clinic)/statistics/export/+server.ts GET', method: 'GET', path: '/statistics/export?kind=episodes', expected: { ...staffRoute('200'), admin: '403' } },
	// Naming no team: the lead is told "not found", as for a team they do not lead.
	...(['add', 'remove', 'responsible', 'presenter'] as const).map((action): Row => ({
		handler: `(clinic)/team/+page.server.ts ${action}`,
		method: 'POST',
		path: `/team?/${action}`,
		send: EMPTY,
		expected: leadRoute('404')
	})),
	...(['add', 'remove', 'responsible', 'presenter'] as const).map((action): Row => ({
		handler: `(clinic)/team/+page.server.ts ${action}`,
		method: 'POST',
		path: `/team?/${action}`,
		send: { form: { team: String(TEAM_B) } },
		expected: leadRoute('404')
	})),
	// First start: the setup page opens only with a live token, and never once the organisation exists.
	{ handler: 'setup/+page.server.ts load', method: 'GET', path: `/setup?token=${'a'.repeat(32)}`, expected: { ...staffRoute('404'), signedOut: '404', tablet: '303 /rate' } },
	// Refused (400), and the page shown with it asks for a live token: 404.
	{ handler: 'setup/+page.server.ts default', method: 'POST', path: '/setup', send: EMPTY, expected: { ...staffRoute('404'), signedOut: '404', tablet: '303 /rate' } },
	// The forced change after a one-time password: nobody here is on one, so the page sends them on.
	{ handler: 'password/+page.server.ts load', method: 'GET', path: '/password', expected: { ...staffRoute('303 /today'), tablet: '303 /rate' } },
	// Refused (400) for the empty form, and the page shown with it sends anyone not on a one-time password on.
	{ handler: 'password/+page.server.ts default', method: 'POST', path: '/password', send: EMPTY, expected: { ...staffRoute('303 /today'), tablet: '303 /rate' } },
	// Public on purpose.
	{ handler: 'health/+server.ts GET', method: 'GET', path: '/health', expected: { ...staffRoute('200'), signedOut: '200', tablet: '200' } },
	{ handler: 'locale/+page.server.ts load', method: 'GET', path: '/locale', expected: { ...staffRoute('303 /'), signedOut: '303 /', tablet: '303 /rate' } },
	{ handler: 'locale/+page.server.ts default', method: 'POST', path: '/locale', send: EMPTY, expected: { ...staffRoute('400'), signedOut: '400', tablet: '303 /rate' } },
	{ handler: 'login/+page.server.ts load', method: 'GET', path: '/login', expected: { ...staffRoute('303 /today'), signedOut: '200', tablet: '303 /rate' } },
	{ handler: 'login/+page.server.ts default', method: 'POST', path: '/login', send: EMPTY, expected: { ...staffRoute('303 /today'), signedOut: '400', tablet: '303 /rate' } },
	// The second step of signing in: only for a session that owes its second factor (none of these visitors does).
	{ handler: 'login/two-factor/+page.server.ts load', method: 'GET', path: '/login/two-factor', expected: { ...staffRoute('303 /today'), tablet: '303 /rate' } },
	{ handler: 'login/two-factor/+page.server.ts code', method: 'POST', path: '/login/two-factor?/code', send: EMPTY, expected: { ...staffRoute('303 /today'), tablet: '303 /rate' } },
	{ handler: 'login/two-factor/+page.server.ts recovery', method: 'POST', path: '/login/two-factor?/recovery', send: EMPTY, expected: { ...staffRoute('303 /today'), tablet: '303 /rate' } },
	{ handler: 'login/two-factor/+page.server.ts enrol', method: 'POST', path: '/login/two-factor?/enrol', send: EMPTY, expected: { ...staffRoute('303 /today'), tablet: '303 /rate' } },
	{ handler: 'logout/+page.server.ts load', method: 'GET', path: '/logout', expected: { ...staffRoute('303 /patients'), tablet: '303 /rate' } },
	// Signing out everywhere ends every session of the user, this one too; then signing out finds none.
	{ handler: '(clinic)/account/+page.server.ts everywhere', method: 'POST', path: '/account?/everywhere', send: EMPTY, expected: staffRoute('303 /login') },
	{ handler: 'logout/+page.server.ts default', method: 'POST', path: '/logout', send: EMPTY, expected: { ...staffRoute('303 /login'), signedOut: '303 /login', tablet: '303 /rate' } }
];

/** "200", "404", or "303 /login" — a redirect with the path it leads to. */
function summary(answer: Answer): string {
	if (answer.status < 300 || answer.status >= 400 || answer.location === null) return String(answer.status);
	return `${answer.status} ${new URL(answer.location, 'http://x').pathname}`;
}

const clients = {} as Record<Role, Client>;
let tabletAppointment = 0;

beforeAll(async () => {
	clients.signedOut = new Client();
	clients.clinician = await new Client().signIn('ola');
	clients.teamLead = await new Client().signIn('kari');
	clients.otherTeam = await new Client().signIn('sindre');
	clients.admin = await new Client().signIn('admin');
	const group = await clients.teamLead.post('/groups?/create', {
		form: { name: 'Tilgangsgruppa', team: String(TEAM_A), clinician: String(one<{ id: number }>(`SELECT id FROM users WHERE username = 'kari'`).id) }
	});
	expect(summary(group)).toMatch(/^303 \/groups\/\d+$/);
	GROUP = group.location!.split('/').pop()!;
	const handed = await handedTablet();
	tabletAppointment = handed.appointment;
	clients.tablet = handed.tablet;
	const made = await clients.otherTeam.post(`/appointments/${tabletAppointment}?/phone`, { form: { kind: 'alliance' } });
	LINK = /\/r\/([a-z2-7]{26})/.exec(made.body)?.[1] ?? '';
	expect(LINK).not.toBe('');
});

/**
 * A tablet handed to a patient: ingrid (team B's lead; sindre is the other-team visitor and signs
 * out everywhere in the matrix) opens an appointment now, sets the PIN and hands over.
 */
async function handedTablet(): Promise<{ tablet: Client; appointment: number }> {
	const tablet = await new Client().signIn('ingrid');
	const created = await tablet.post(`/patients/${TABLET_PATIENT}?/now`, EMPTY);
	expect(summary(created)).toMatch(/^303 \/appointments\/\d+$/);
	const appointment = Number(created.location!.split('/').pop());
	await tablet.post(`/appointments/${appointment}?/pin`, { form: { pin: '2468', repeat: '2468' } });
	expect(summary(await tablet.post(`/appointments/${appointment}?/hand`, { form: { kind: 'outcome' } }))).toBe('303 /rate');
	return { tablet, appointment };
}

describe('the access matrix', () => {
	it('has a row for every load, action and endpoint of every route, and an answer for every visitor', () => {
		const routes = routeHandlers().map((h) => `${h.file} ${h.name}`);
		const rows = new Set(MATRIX.map((r) => r.handler));
		expect(routes.filter((r) => !rows.has(r))).toEqual([]);
		expect([...rows].filter((r) => !routes.includes(r))).toEqual([]);
		for (const row of MATRIX) expect(Object.keys(row.expected).sort()).toEqual([...ROLES].sort());
	});

	it.each(ROLES)('answers %s as the matrix says, for every route', async (role) => {
		const got: string[] = [];
		const want: string[] = [];
		for (const row of MATRIX) {
			const answer = await clients[role].request(row.method, row.path.replace('GROUP', GROUP).replace('LINK', LINK), row.send);
			got.push(`${row.method} ${row.path}: ${summary(answer)}`);
			want.push(`${row.method} ${row.path}: ${row.expected[role]}`);
		}
		expect(got).toEqual(want);
	});

	it('lets a tablet in patient mode send a rating for its own appointment only', async () => {
		const { tablet, appointment } = await handedTablet();
		const handoff = one<{ id: string }>(`SELECT id FROM tablet_handoffs WHERE appointment_ids LIKE ? ORDER BY created_at DESC LIMIT 1`, `%${appointment}%`).id;
		const rating = { handoffId: handoff, clientId: `access-${appointment}`, values: { self: 5, close: 5, daily: 5, overall: 5 } };
		const count = (...ids: number[]) => one<{ n: number }>(`SELECT count(*) AS n FROM ratings WHERE appointment_id IN (${ids.map(() => '?').join(',')})`, ...ids).n;
		const othersBefore = count(APPOINTMENT, tabletAppointment);
		// Another appointment (team A's, and the other tablet's) is refused; its own is stored once.
		for (const other of [APPOINTMENT, tabletAppointment]) {
			const refused = await tablet.post('/rate/submit', { json: { ...rating, appointmentId: other } });
			expect([other, refused.status, JSON.parse(refused.body).reason]).toEqual([other, 403, 'not_this_appointment']);
		}
		expect((await tablet.post('/rate/submit', { json: { ...rating, appointmentId: appointment } })).status).toBe(201);
		expect([count(appointment), count(APPOINTMENT, tabletAppointment)]).toEqual([1, othersBefore]);
		// Everything else is the rating form.
		for (const path of ['/patients', P, A, '/meetings', `${P}/together`]) expect(summary(await tablet.get(path))).toBe('303 /rate');
	});
});

describe('security headers', () => {
	it('sends a Content Security Policy with a nonce and no inline script, forbids framing, and keeps patient pages out of caches', async () => {
		const clinician = await new Client().signIn('ola');
		const { tablet } = await handedTablet();
		for (const [path, client] of [
			['/login', new Client()],
			[P, clinician],
			['/rate', tablet]
		] as const) {
			const answer = await client.get(path);
			expect([path, answer.status]).toEqual([path, 200]);
			const csp = answer.headers.get('content-security-policy') ?? '';
			const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
			const styleSrc = csp.split(';').find((d) => d.trim().startsWith('style-src')) ?? '';
			expect([
				path,
				scriptSrc.includes("'unsafe-inline'"),
				/'nonce-[^']+'/.test(scriptSrc),
				styleSrc.includes("'unsafe-inline'"),
				csp.includes("frame-ancestors 'none'"),
				csp.includes("object-src 'none'")
			]).toEqual([path, false, true, false, true, true]);
			// SvelteKit's own bootstrap script carries the nonce of this response.
			const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1]!;
			expect(answer.body).toContain(`<script nonce="${nonce}">`);
			expect([answer.headers.get('x-frame-options'), answer.headers.get('referrer-policy'), answer.headers.get('x-content-type-options')]).toEqual(['DENY', 'same-origin', 'nosniff']);
		}
		// The static files (served before any hook runs) carry nosniff too: the app's scripts and a file from static/.
		const script = /\/_app\/immutable\/[^"]+\.js/.exec((await new Client().get('/login')).body)?.[0];
		expect(script).toBeDefined();
		for (const path of [script!, '/favicon.svg']) {
			const answer = await new Client().get(path);
			expect([path, answer.status, answer.headers.get('x-content-type-options')]).toEqual([path, 200, 'nosniff']);
		}
		expect((await clinician.get(P)).headers.get('cache-control')).toBe('no-store');
		expect((await tablet.get('/rate')).headers.get('cache-control')).toBe('no-store');
	});
});
