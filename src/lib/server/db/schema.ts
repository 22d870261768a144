import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, real, blob, primaryKey, index, type AnySQLiteColumn, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Timestamps are stored as epoch milliseconds; calendar dates (no time of day) as 'YYYY-MM-DD'. */
const createdAt = () =>
	integer('created_at', { mode: 'timestamp_ms' })
		.notNull()
		.default(sql`(unixepoch() * 1000)`);

export const roles = ['clinician', 'team_lead', 'service_leader', 'admin'] as const;
export type Role = (typeof roles)[number];
/**
 * Roles that belong to no team and so open no patient record: the administrator, and the service
 * leader (avdelingsleder), who sees every team's figures as aggregates only.
 */
export const rolesWithoutTeams: readonly Role[] = ['service_leader', 'admin'];

/** Where a session stands with its second factor (see sessions.second_factor). */
export const secondFactorStates = ['pending', 'enrol', 'totp', 'recovery', 'sso'] as const;
export type SecondFactorState = (typeof secondFactorStates)[number];

export const locales = ['nb', 'nn', 'en'] as const;
export type Locale = (typeof locales)[number];

export const organisations = sqliteTable('organisations', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	name: text('name').notNull(),
	createdAt: createdAt()
});

export const teams = sqliteTable(
	'teams',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		organisationId: integer('organisation_id')
			.notNull()
			.references(() => organisations.id),
		name: text('name').notNull(),
		createdAt: createdAt(),
		// Administration: the setting a new episode of the team starts in, and when the team was
		// archived (an archived team keeps its records but takes no new episodes).
		defaultSetting: text('default_setting', { enum: ['outpatient', 'inpatient', 'group'] })
			.notNull()
			.default('outpatient'),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' })
	},
	(t) => [uniqueIndex('teams_org_name').on(t.organisationId, t.name)]
);

export const users = sqliteTable('users', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	organisationId: integer('organisation_id')
		.notNull()
		.references(() => organisations.id),
	username: text('username').notNull().unique(),
	displayName: text('display_name').notNull(),
	passwordHash: text('password_hash').notNull(),
	role: text('role', { enum: roles }).notNull(),
	preferredLocale: text('preferred_locale', { enum: locales }).notNull().default('nb'),
	/** argon2id hash of the PIN that takes the tablet back from a patient; null until set. */
	pinHash: text('pin_hash'),
	/** When an admin disabled the account; null while active. A disabled user has no sessions. */
	disabledAt: integer('disabled_at', { mode: 'timestamp_ms' }),
	createdAt: createdAt(),
	// Administration: a password someone else set (the admin) is one-time: the user chooses their
	// own before anything else. Demo accounts are marked so that a server opened to the network
	// can refuse to run with them.
	mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
	isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
	// Single sign-on (auth/sso.ts): the provider's subject once the person has signed in through it,
	// and what an admin matches a first sign-on by (the HPR number from HelseID, or the e-mail).
	ssoSubject: text('sso_subject').unique(),
	hprNumber: text('hpr_number').unique(),
	email: text('email').unique(),
	/** Off for an account that signs in by single sign-on only: its password is refused. */
	passwordSignIn: integer('password_sign_in', { mode: 'boolean' }).notNull().default(true)
});

/**
 * The demo clinic's password, random per database, kept in clear so that each start can print it
 * and the sign-in page on loopback can show it. Only demo accounts use it; a server listening
 * beyond loopback refuses to start while they exist (unless STEMME_DEMO=on is set on purpose).
 */
export const demoCredentials = sqliteTable('demo_credentials', {
	id: integer('id').primaryKey(),
	password: text('password').notNull(),
	createdAt: createdAt()
});

/**
 * First start without the demo: one-time links that create the organisation and its first
 * administrator. Only a SHA-256 hash of the token is stored; a token is used once and expires.
 */
export const setupTokens = sqliteTable('setup_tokens', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	tokenHash: text('token_hash').notNull().unique(),
	createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
	expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
	usedAt: integer('used_at', { mode: 'timestamp_ms' })
});

export const teamMemberships = sqliteTable(
	'team_memberships',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		teamId: integer('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.userId, t.teamId] }), index('team_memberships_team').on(t.teamId)]
);

/**
 * Sessions the way the current Lucia guide designs them: the cookie holds `<id>.<secret>`,
 * the table only a SHA-256 hash of the secret.
 */
export const sessions = sqliteTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		secretHash: text('secret_hash').notNull(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		// --- Session limits and patient mode held on the server -------------------------------
		/** The last request of this session (kept to the minute); the idle limit counts from it. Null: none since sign-in. */
		lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
		/**
		 * Set while this session has handed the tablet to a patient: the open handoff. The session
		 * itself is then in patient mode — whatever cookies the browser still has or has lost — and
		 * reaches nothing but the rating form until the PIN or a fresh sign-in clears it. No
		 * foreign key: tablet_handoffs already references sessions, and the handoff row outlives it.
		 */
		handoffId: text('handoff_id'),
		/**
		 * Set while this session shows one patient's together view with the screen turned to the
		 * patient: like a handoff, the session itself is locked to that view until the clinician's
		 * PIN clears it; three wrong PINs end the session. No foreign key (as handoff_id): a lock
		 * must never stand in the way of erasing the patient, and the way back needs no patient row.
		 */
		togetherPatientId: integer('together_patient_id'),
		/** Wrong PINs given on the way back from the together view, since it was locked. */
		togetherPinFailures: integer('together_pin_failures').notNull().default(0),
		/**
		 * The second factor: null for a session that owes none (inside the clinic's networks, no
		 * TOTP set up, not an administrator); 'pending' while a code is owed, 'enrol' while an
		 * administrator must set one up first; 'totp' or 'recovery' once given (how).
		 */
		secondFactor: text('second_factor', { enum: secondFactorStates }),
		/** How the session was opened: the password, or single sign-on (the ID token kept for the provider's sign-out). */
		authMethod: text('auth_method', { enum: ['password', 'sso'] })
			.notNull()
			.default('password'),
		ssoIdToken: text('sso_id_token')
	},
	(t) => [index('sessions_user').on(t.userId)]
);

/**
 * A user's authenticator (TOTP, RFC 6238). The key is kept as given to the app: whoever reads
 * the database can make codes, as with any TOTP server. Unconfirmed until a first code is given;
 * `last_step` is the last time step used, so that each code is taken once.
 */
export const userTotp = sqliteTable('user_totp', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	key: blob('key', { mode: 'buffer' }).notNull(),
	createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
	confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
	lastStep: integer('last_step')
});

/** One-time recovery codes for a lost authenticator, as SHA-256 hashes; a used one keeps its row. */
export const recoveryCodes = sqliteTable(
	'recovery_codes',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		codeHash: text('code_hash').notNull(),
		usedAt: integer('used_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('recovery_codes_user').on(t.userId)]
);

/**
 * A single sign-on under way: what the callback must check (state, nonce, the PKCE verifier) and
 * the DPoP key the provider bound the code to. Keyed by a hash of the browser's attempt cookie;
 * used once (deleted by the callback) and short-lived.
 */
export const ssoAttempts = sqliteTable('sso_attempts', {
	idHash: text('id_hash').primaryKey(),
	state: text('state').notNull(),
	nonce: text('nonce').notNull(),
	codeVerifier: text('code_verifier').notNull(),
	dpopKey: text('dpop_key'),
	next: text('next').notNull(),
	expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull()
});

/**
 * A person the provider knows and Stemme does not: they were told to ask their administrator, and
 * wait here until an admin approves them (a new account with role and teams) or turns them away.
 */
export const ssoRequests = sqliteTable('sso_requests', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	subject: text('subject').notNull().unique(),
	name: text('name').notNull(),
	email: text('email'),
	hprNumber: text('hpr_number'),
	securityLevel: text('security_level'),
	firstAt: integer('first_at', { mode: 'timestamp_ms' }).notNull(),
	lastAt: integer('last_at', { mode: 'timestamp_ms' }).notNull(),
	decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
	userId: integer('user_id').references(() => users.id),
	/** Why an admin turned the person away; null while waiting or once let in. */
	turnedAwayReason: text('turned_away_reason')
});

/** Failed sign-in counters, keyed by `account:<username>` or `address:<ip>`. */
export const signInThrottle = sqliteTable('sign_in_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull(),
	lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
	updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
});

export const patients = sqliteTable(
	'patients',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		organisationId: integer('organisation_id')
			.notNull()
			.references(() => organisations.id),
		teamId: integer('team_id')
			.notNull()
			.references(() => teams.id),
		/** Pseudonymous code chosen by the clinic; never a national identity number. */
		code: text('code').notNull(),
		displayName: text('display_name').notNull(),
		birthYear: integer('birth_year').notNull(),
		// Registration (patients and episodes): the full birth date when known, the national
		// identity number when given, and the language the tablet opens in for this patient.
		/** 'YYYY-MM-DD' when the full date is known; null when only the year was given. */
		birthDate: text('birth_date'),
		/** Fødselsnummer or D-number, 11 digits, checked (src/lib/domain/national-id); shown masked. */
		nationalId: text('national_id'),
		/** The tablet's language for this patient; null = the clinic's default. */
		preferredLocale: text('preferred_locale', { enum: locales }),
		/**
		 * When the patient's data was erased on request. The row stays as a tombstone, stripped of
		 * name, birth year and code, because the append-only audit trail refers to it.
		 */
		erasedAt: integer('erased_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('patients_org_code').on(t.organisationId, t.code),
		index('patients_team').on(t.teamId),
		// One registration per person: SQLite lets several rows keep null here.
		uniqueIndex('patients_org_national_id').on(t.organisationId, t.nationalId)
	]
);

export const settings = ['outpatient', 'inpatient', 'group'] as const;
export { END_REASONS as endReasons } from '../../domain/episode-course';
import { END_REASONS as endReasons } from '../../domain/episode-course';
import { ratingLinkKinds } from '../../domain/rating-links';
import { sessionModes } from '../../domain/booking';
import { unusualKinds } from '../../domain/log-control';

export const episodes = sqliteTable(
	'episodes',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		patientId: integer('patient_id')
			.notNull()
			.references(() => patients.id),
		startDate: text('start_date').notNull(),
		setting: text('setting', { enum: settings }).notNull(),
		plannedEnd: text('planned_end'),
		actualEnd: text('actual_end'),
		endReason: text('end_reason', { enum: endReasons }),
		/** The clinician who holds the episode ("my patients" on the caseload); null when not set. */
		responsibleId: integer('responsible_id').references(() => users.id),
		/** Planned days between sessions; null = the setting's default (src/lib/domain/clinical-constants). */
		sessionIntervalDays: integer('session_interval_days'),
		/** Days between milestone meetings; null = the setting's default. */
		milestoneIntervalDays: integer('milestone_interval_days'),
		// Episodes opened and ended through the pages (patients and episodes).
		/**
		 * The team treating the episode now; it moves with a transition to another team, and the
		 * whole episode is then the receiving team's. Null on episodes from before episodes had a
		 * team of their own: the patient's team is theirs.
		 */
		teamId: integer('team_id').references(() => teams.id),
		/** Why the patient was referred, in the clinic's words. */
		referralReason: text('referral_reason').notNull().default(''),
		/** A drop-out: the date of the last session the patient came to, 'YYYY-MM-DD'. */
		lastAttendedDate: text('last_attended_date'),
		/** What "other" means (moved, deceased, …), or any note on the ending. */
		endNote: text('end_note').notNull().default(''),
		endedById: integer('ended_by_id').references(() => users.id),
		// The patient-record system's identifier of an episode it sent (POST /fhir): a second
		// sending matches it here. Null for episodes opened in Stemme or by the CSV import.
		identifierSystem: text('identifier_system'),
		identifierValue: text('identifier_value'),
		createdAt: createdAt()
	},
	(t) => [
		index('episodes_patient').on(t.patientId),
		index('episodes_responsible').on(t.responsibleId),
		index('episodes_team').on(t.teamId, t.actualEnd),
		uniqueIndex('episodes_identifier').on(t.identifierSystem, t.identifierValue)
	]
);

/**
 * A move of an episode to another team or setting (inpatient to outpatient, a private
 * institution, prison, a temporary transfer). The episode stays one course across it. A date
 * after the day it was recorded is a planned transition; the risk rule reads the date either way.
 */
export const transitionKinds = ['setting', 'team', 'private-institution', 'prison', 'temporary-transfer'] as const;
export const episodeTransitions = sqliteTable(
	'episode_transitions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		date: text('date').notNull(),
		kind: text('kind', { enum: transitionKinds }).notNull(),
		fromTeamId: integer('from_team_id')
			.notNull()
			.references(() => teams.id),
		toTeamId: integer('to_team_id')
			.notNull()
			.references(() => teams.id),
		fromSetting: text('from_setting', { enum: settings }).notNull(),
		toSetting: text('to_setting', { enum: settings }).notNull(),
		/** Where to: the institution, the prison, the other service. */
		place: text('place').notNull().default(''),
		note: text('note').notNull().default(''),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull(),
		/** Set when a planned transition was carried out (the team and setting moved then). */
		appliedAt: integer('applied_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('episode_transitions_episode').on(t.episodeId, t.date)]
);

/** An ended episode opened again within the window (src/lib/domain/episode-course), with why. */
export const episodeReopenings = sqliteTable(
	'episode_reopenings',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		endedOn: text('ended_on').notNull(),
		endReason: text('end_reason', { enum: endReasons }).notNull(),
		reason: text('reason').notNull(),
		reopenedById: integer('reopened_by_id')
			.notNull()
			.references(() => users.id),
		reopenedAt: integer('reopened_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('episode_reopenings_episode').on(t.episodeId)]
);

export const outreachReasons = ['dropout', 'long-gap'] as const;
export const outreachOutcomes = ['re-engaged', 'declined', 'unreachable'] as const;
export const contactChannels = ['phone', 'text-message', 'letter', 'home-visit', 'peer-worker', 'gp', 'municipality'] as const;
export const contactResults = ['reached', 'no-answer', 'message-left', 'declined', 'appointment-agreed', 'wrong-contact'] as const;

/**
 * After a drop-out (or a long gap the absence agreement says to act on): the work of getting in
 * touch again, with its owner, until the patient is back, declines or cannot be reached
 * (docs/clinical/dropout-and-milestones.md: the outreach teams and "back on track").
 */
export const outreachTasks = sqliteTable(
	'outreach_tasks',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		reason: text('reason', { enum: outreachReasons }).notNull(),
		ownerId: integer('owner_id')
			.notNull()
			.references(() => users.id),
		/** Null when the data opened it (a long gap). */
		openedById: integer('opened_by_id').references(() => users.id),
		openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
		outcome: text('outcome', { enum: outreachOutcomes }),
		/** Re-engaged: the episode reopened, or the new one started. */
		resultEpisodeId: integer('result_episode_id').references(() => episodes.id),
		closedById: integer('closed_by_id').references(() => users.id),
		closedAt: integer('closed_at', { mode: 'timestamp_ms' })
	},
	(t) => [
		index('outreach_tasks_episode').on(t.episodeId),
		index('outreach_tasks_open').on(t.closedAt, t.ownerId),
		// One open task per episode.
		uniqueIndex('outreach_tasks_one_open')
			.on(t.episodeId)
			.where(sql`${t.closedAt} is null`)
	]
);

export const outreachAttempts = sqliteTable(
	'outreach_attempts',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		taskId: integer('task_id')
			.notNull()
			.references(() => outreachTasks.id),
		date: text('date').notNull(),
		channel: text('channel', { enum: contactChannels }).notNull(),
		result: text('result', { enum: contactResults }).notNull(),
		note: text('note').notNull().default(''),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('outreach_attempts_task').on(t.taskId, t.id)]
);

/** A group session: several patients' appointments at one time, each rating on their own turn. */
export const groupSessions = sqliteTable('group_sessions', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	teamId: integer('team_id')
		.notNull()
		.references(() => teams.id),
	clinicianId: integer('clinician_id')
		.notNull()
		.references(() => users.id),
	title: text('title').notNull(),
	scheduledAt: integer('scheduled_at', { mode: 'timestamp_ms' }).notNull(),
	/** The named group whose series this session belongs to; null for a one-off group session. */
	groupId: integer('group_id').references((): AnySQLiteColumn => patientGroups.id),
	createdAt: createdAt()
});

// Booking (appointments and the day's list): named groups with members who join and leave.
/** A named group of a team (a skills group, a relapse-prevention group) with its own series. */
export const patientGroups = sqliteTable(
	'patient_groups',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		teamId: integer('team_id')
			.notNull()
			.references(() => teams.id),
		name: text('name').notNull(),
		/** Who leads the group's sessions unless a booking names someone else. */
		clinicianId: integer('clinician_id')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('patient_groups_team_name').on(t.teamId, t.name)]
);

/**
 * A patient's episode in a group from one date, until another (exclusive; null while a member).
 * Joining again later is a new row, so who was in the group on which day stays readable.
 */
export const groupMembers = sqliteTable(
	'group_members',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		groupId: integer('group_id')
			.notNull()
			.references(() => patientGroups.id),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		fromDate: text('from_date').notNull(),
		untilDate: text('until_date')
	},
	(t) => [index('group_members_group').on(t.groupId, t.untilDate), index('group_members_episode').on(t.episodeId)]
);

/** Who cancelled: the clinic, or the patient (in time: 'cancelled'; late: 'late_cancellation'). */
export const cancellers = ['clinic', 'patient'] as const;

export const appointmentStatuses = ['scheduled', 'attended', 'no_show', 'late_cancellation', 'cancelled'] as const;

export const appointments = sqliteTable(
	'appointments',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		clinicianId: integer('clinician_id')
			.notNull()
			.references(() => users.id),
		scheduledAt: integer('scheduled_at', { mode: 'timestamp_ms' }).notNull(),
		status: text('status', { enum: appointmentStatuses }).notNull().default('scheduled'),
		isGroup: integer('is_group', { mode: 'boolean' }).notNull().default(false),
		groupSessionId: integer('group_session_id').references(() => groupSessions.id),
		// Booking (appointments and the day's list).
		/** Booked length in minutes; rows from before booking had a length get the usual 45. */
		durationMinutes: integer('duration_minutes').notNull().default(45),
		/** Who cancelled a 'cancelled' or 'late_cancellation' appointment; null otherwise. */
		cancelledBy: text('cancelled_by', { enum: cancellers }),
		/** In the room, by video or by phone; rows from before the session type was kept are in the room. */
		sessionMode: text('session_mode', { enum: sessionModes }).notNull().default('in_person'),
		// The patient-record system's identifier of an appointment it sent (POST /fhir), as for episodes.
		identifierSystem: text('identifier_system'),
		identifierValue: text('identifier_value'),
		createdAt: createdAt()
	},
	(t) => [
		index('appointments_episode_time').on(t.episodeId, t.scheduledAt),
		uniqueIndex('appointments_identifier').on(t.identifierSystem, t.identifierValue),
		index('appointments_group_session').on(t.groupSessionId),
		index('appointments_clinician_time').on(t.clinicianId, t.scheduledAt)
	]
);

// The same spellings as the instrument definitions' `raters` (src/lib/domain).
export const raters = ['patient', 'collateral', 'group-member'] as const;
// 'phone': the patient's own phone, through a rating link.
export const ratingSources = ['tablet', 'paper', 'phone'] as const;

export const ratings = sqliteTable(
	'ratings',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		/** Generated on the tablet; a repeated submission with the same id stores nothing new. */
		clientId: text('client_id').notNull().unique(),
		appointmentId: integer('appointment_id')
			.notNull()
			.references(() => appointments.id),
		instrumentId: text('instrument_id').notNull(),
		instrumentVersion: integer('instrument_version').notNull(),
		rater: text('rater', { enum: raters }).notNull().default('patient'),
		/** Item values keyed by item key, each 0.0–10.0, as JSON. */
		itemValues: text('item_values', { mode: 'json' }).$type<Record<string, number>>().notNull(),
		total: real('total').notNull(),
		source: text('source', { enum: ratingSources }).notNull().default('tablet'),
		submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
		/** Staff member who typed it in (paper forms, corrections); null for the patient's own tablet rating. */
		enteredById: integer('entered_by_id').references(() => users.id),
		/**
		 * A correction is a new row pointing at the rating it replaces; the original is never
		 * changed. The rating in force is the one no other rating corrects.
		 */
		correctsRatingId: integer('corrects_rating_id').references((): AnySQLiteColumn => ratings.id),
		correctionReason: text('correction_reason')
	},
	(t) => [
		index('ratings_appointment').on(t.appointmentId),
		// One original rating per appointment, instrument and rater; corrections chain from it.
		uniqueIndex('ratings_one_original')
			.on(t.appointmentId, t.instrumentId, t.rater)
			.where(sql`${t.correctsRatingId} is null`),
		uniqueIndex('ratings_one_correction').on(t.correctsRatingId)
	]
);

/**
 * Patient mode: the clinician handed the tablet to a patient for one appointment and instrument
 * (for a group, each member's appointment in turn). While one is open, the staff session that
 * opened it reaches nothing but the rating form; the PIN or a fresh sign-in ends it.
 */
export const tabletHandoffs = sqliteTable(
	'tablet_handoffs',
	{
		id: text('id').primaryKey(),
		/**
		 * The staff session that handed the tablet over; null once that session has ended (signed
		 * out, three wrong PINs, a fresh sign-in). The handoff itself is kept: answers still waiting
		 * on the tablet name it when a clinician of the team sends them later.
		 */
		sessionId: text('session_id').references(() => sessions.id, { onDelete: 'set null' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		/** The appointments to rate, in turn: one, or every member of a group session. */
		appointmentIds: text('appointment_ids', { mode: 'json' }).$type<number[]>().notNull(),
		position: integer('position').notNull().default(0),
		instrumentId: text('instrument_id').notNull(),
		instrumentVersion: integer('instrument_version').notNull(),
		rater: text('rater', { enum: raters }).notNull(),
		pinFailures: integer('pin_failures').notNull().default(0),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
		/** The language the patient chose on the tablet for this turn (null: the clinician's); cleared for the next member. */
		language: text('language')
	},
	(t) => [index('tablet_handoffs_session').on(t.sessionId)]
);

/**
 * A rating link: a grant for one form of one appointment, opened on the patient's own phone (a QR
 * code in the room, or a message before or after the session). Only the SHA-256 of its 128-bit
 * token is kept; it opens that one form and shows no name, no history and no other appointment.
 * Kinds and expiry: src/lib/domain/rating-links.ts.
 */
export const ratingLinks = sqliteTable(
	'rating_links',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		tokenHash: text('token_hash').notNull().unique(),
		kind: text('kind', { enum: ratingLinkKinds }).notNull(),
		/** The appointment whose form it opens; null for a follow-up after discharge (then `followUpPointId`). */
		appointmentId: integer('appointment_id').references(() => appointments.id),
		followUpPointId: integer('follow_up_point_id').references((): AnySQLiteColumn => followUpPoints.id),
		instrumentId: text('instrument_id').notNull(),
		instrumentVersion: integer('instrument_version').notNull(),
		rater: text('rater', { enum: raters }).notNull().default('patient'),
		/** The staff member who made it (or whose schedule sent it). */
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		/** Set when a newer link for the same form replaced it; it then opens nothing. */
		withdrawnAt: integer('withdrawn_at', { mode: 'timestamp_ms' }),
		answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
		ratingId: integer('rating_id').references(() => ratings.id),
		/** The language the patient chose on the form (null: the clinic's default). */
		language: text('language'),
		/** When the patient gave the right birth date, where the installation asks for it first (STEMME_LINK_BIRTH_DATE). */
		unlockedAt: integer('unlocked_at', { mode: 'timestamp_ms' }),
		/** Wrong birth dates given; at LINK_GATE_TRIES the link is withdrawn. */
		gateFailures: integer('gate_failures').notNull().default(0)
	},
	(t) => [index('rating_links_appointment').on(t.appointmentId), index('rating_links_follow_up').on(t.followUpPointId)]
);

/**
 * A follow-up rating after discharge: one point of an ended episode, due on a day a number of
 * months after its end (or on the discharge plan's date), sent as the outcome form alone by a
 * rating link (kind `follow_up`). The answer is kept here, scored as the tablet scores: it belongs
 * to the episode, not to an appointment. Months and days: src/lib/domain/follow-up.ts.
 */
export const followUpPoints = sqliteTable(
	'follow_up_points',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		/** Months after the episode's end; null for the date the discharge plan set. */
		months: integer('months'),
		/** The Oslo day it is sent on, 'YYYY-MM-DD'. */
		dueOn: text('due_on').notNull(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		/** The answer, once given: the same client id, scoring and once-only rule as a rating. */
		clientId: text('client_id').unique(),
		instrumentId: text('instrument_id'),
		instrumentVersion: integer('instrument_version'),
		itemValues: text('item_values', { mode: 'json' }).$type<Record<string, number>>(),
		total: real('total'),
		answeredAt: integer('answered_at', { mode: 'timestamp_ms' })
	},
	(t) => [uniqueIndex('follow_up_points_episode_day').on(t.episodeId, t.dueOn)]
);

/** How a patient is sent rating links (not the outreach contact channels above). */
export const messageChannels = ['sms', 'email'] as const;

/**
 * The patient's consent to be sent rating links, with the channel and address they chose and who
 * recorded it when. Stopped (by the patient, through the link in any message, or by staff on the
 * patient page) it is kept, with when and by whom; a new consent is a new row.
 */
export const contactConsents = sqliteTable(
	'contact_consents',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		patientId: integer('patient_id')
			.notNull()
			.references(() => patients.id),
		channel: text('channel', { enum: messageChannels }).notNull(),
		/** A mobile number in E.164 (+4791234567) or an e-mail address. */
		address: text('address').notNull(),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull(),
		stoppedAt: integer('stopped_at', { mode: 'timestamp_ms' }),
		/** Who stopped it: the patient through a message's link, or a staff member (their id). */
		stoppedByPatient: integer('stopped_by_patient', { mode: 'boolean' }),
		stoppedById: integer('stopped_by_id').references(() => users.id)
	},
	(t) => [index('contact_consents_patient').on(t.patientId, t.id)]
);

export const messageKinds = ['invitation', 'reminder'] as const;
export const messageStates = ['queued', 'sent', 'failed'] as const;

/**
 * The outbox: each message to a patient, sent in the background and tried again after a failure.
 * It carries no health information and no name. The link's token is in the body only until the
 * message has gone out; then the body is kept without it.
 */
export const outboxMessages = sqliteTable(
	'outbox_messages',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		linkId: integer('link_id')
			.notNull()
			.references(() => ratingLinks.id),
		patientId: integer('patient_id')
			.notNull()
			.references(() => patients.id),
		kind: text('kind', { enum: messageKinds }).notNull(),
		channel: text('channel', { enum: messageChannels }).notNull(),
		recipient: text('recipient').notNull(),
		subject: text('subject').notNull(),
		body: text('body').notNull(),
		state: text('state', { enum: messageStates }).notNull().default('queued'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
		lastError: text('last_error'),
		sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('outbox_messages_due').on(t.state, t.nextAttemptAt), index('outbox_messages_patient').on(t.patientId, t.createdAt), index('outbox_messages_link').on(t.linkId)]
);

export const factorAnswers = ['yes', 'no', 'unknown'] as const;

/**
 * The drop-out checklist on an episode: one row per assessment of one factor. Nothing is
 * overwritten — the answer in force is the newest row for the factor; earlier rows are the history.
 */
export const checklistAnswers = sqliteTable(
	'checklist_answers',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		checklistId: text('checklist_id').notNull(),
		checklistVersion: integer('checklist_version').notNull(),
		factorKey: text('factor_key').notNull(),
		answer: text('answer', { enum: factorAnswers }).notNull(),
		note: text('note').notNull().default(''),
		/** For a factor that asks for a date (a transition): 'YYYY-MM-DD'. */
		factorDate: text('factor_date'),
		assessedById: integer('assessed_by_id')
			.notNull()
			.references(() => users.id),
		assessedAt: integer('assessed_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('checklist_answers_episode').on(t.episodeId, t.factorKey, t.id)]
);

/** What the service will do if the patient stops coming, agreed with the patient; newest in force. */
export const absencePlans = sqliteTable(
	'absence_plans',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		agreement: text('agreement').notNull(),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('absence_plans_episode').on(t.episodeId, t.id)]
);

export const flagSources = ['factor', 'signal'] as const;
/** 'closed-by-hand': a clinician closed it with a reason (`closeReason`, `closedById`). */
export const flagResolutions = ['condition-cleared', 'episode-ended', 'closed-by-hand'] as const;

/**
 * A drop-out flag: raised once when a checklist factor is yes or a data signal fires, with the
 * rule and version that raised it and the data behind it; resolved (never deleted) when the
 * condition clears. At most one open flag per episode and key, so it is not raised again on
 * every evaluation; a condition that returns raises a new flag.
 */
export const flags = sqliteTable(
	'flags',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		key: text('key').notNull(),
		source: text('source', { enum: flagSources }).notNull(),
		rule: text('rule').notNull(),
		rulesVersion: integer('rules_version').notNull(),
		/** The data behind it, as the rule saw it most recently (JSON of numbers). */
		params: text('params', { mode: 'json' }).$type<Record<string, number>>().notNull(),
		text: text('text').notNull(),
		raisedAt: integer('raised_at', { mode: 'timestamp_ms' }).notNull(),
		acknowledgedById: integer('acknowledged_by_id').references(() => users.id),
		acknowledgedAt: integer('acknowledged_at', { mode: 'timestamp_ms' }),
		resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
		resolution: text('resolution', { enum: flagResolutions }),
		// Added for one set of numbers per page and closing by hand (additive; older rows have nulls).
		/** The data as the rule saw it when it raised the flag; `params` follows the data since. */
		raisedParams: text('raised_params', { mode: 'json' }).$type<Record<string, number>>(),
		/** Who closed it by hand, and why; null when the data resolved it or it is open. */
		closedById: integer('closed_by_id').references(() => users.id),
		closeReason: text('close_reason'),
		/** For a flag closed by hand: when the data first no longer held its condition. Until then
		 *  the same standing condition raises no new flag (the team has dealt with it). */
		conditionClearedAt: integer('condition_cleared_at', { mode: 'timestamp_ms' })
	},
	(t) => [
		uniqueIndex('flags_one_open')
			.on(t.episodeId, t.key)
			.where(sql`${t.resolvedAt} is null`),
		index('flags_episode').on(t.episodeId, t.resolvedAt)
	]
);

/**
 * An action agreed on an episode — from a flag, or (later) from a milestone meeting — with an
 * owner and a due date, and later what came of it.
 */
export const riskActions = sqliteTable(
	'risk_actions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		flagId: integer('flag_id').references(() => flags.id),
		/** The flag domain (attendance, alliance, progress, factor, transition) an action covers as a
		 *  whole, when agreed on a domain's card rather than on one flag; added, null on older rows. */
		flagKind: text('flag_kind'),
		/** Set when the action was agreed in a milestone meeting. */
		meetingId: integer('meeting_id').references((): AnySQLiteColumn => milestoneMeetings.id),
		actionKey: text('action_key').notNull(),
		note: text('note').notNull().default(''),
		ownerId: integer('owner_id')
			.notNull()
			.references(() => users.id),
		dueDate: text('due_date').notNull(),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		outcome: text('outcome'),
		outcomeById: integer('outcome_by_id').references(() => users.id),
		outcomeAt: integer('outcome_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('risk_actions_episode').on(t.episodeId, t.outcomeAt), index('risk_actions_flag').on(t.flagId), index('risk_actions_owner').on(t.ownerId, t.dueDate)]
);

/**
 * A milestone meeting on an episode: planned (a date, who presents), called early from a flag or
 * in the rhythm; held once a record is saved.
 */
export const milestoneMeetings = sqliteTable(
	'milestone_meetings',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		scheduledDate: text('scheduled_date').notNull(),
		/** Someone outside the patient's daily team; null until chosen. */
		presenterId: integer('presenter_id').references(() => users.id),
		calledEarly: integer('called_early', { mode: 'boolean' }).notNull().default(false),
		/** The flag it was called from, if any. */
		flagId: integer('flag_id').references(() => flags.id),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		/** When the first record was saved: the meeting took place. */
		heldAt: integer('held_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('milestone_meetings_episode').on(t.episodeId, t.scheduledDate)]
);

export interface MeetingParticipants {
	patientPresent: boolean;
	/** Who took part: team members (with their user id, ticked from the team) and others by role and name. */
	people: { role: string; name: string; userId?: number }[];
}

/**
 * What a meeting decided, as versions: an edit adds a version and keeps the earlier text; the
 * newest version is in force.
 */
export const meetingRecords = sqliteTable(
	'meeting_records',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		meetingId: integer('meeting_id')
			.notNull()
			.references(() => milestoneMeetings.id),
		version: integer('version').notNull(),
		participants: text('participants', { mode: 'json' }).$type<MeetingParticipants>().notNull(),
		/** Answers to the pathway's evaluation questions, by question key. */
		answers: text('answers', { mode: 'json' }).$type<Record<string, string>>().notNull(),
		decisions: text('decisions').notNull().default(''),
		patientWords: text('patient_words').notNull().default(''),
		nextDate: text('next_date'),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [uniqueIndex('meeting_records_version').on(t.meetingId, t.version)]
);

export const goalStatuses = ['not-started', 'in-progress', 'achieved', 'dropped'] as const;

/** A goal of the treatment plan, in the patient's own words; its text and status are versions. */
export const treatmentGoals = sqliteTable(
	'treatment_goals',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('treatment_goals_episode').on(t.episodeId)]
);

export const goalVersions = sqliteTable(
	'goal_versions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		goalId: integer('goal_id')
			.notNull()
			.references(() => treatmentGoals.id),
		text: text('text').notNull(),
		status: text('status', { enum: goalStatuses }).notNull(),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('goal_versions_goal').on(t.goalId, t.id)]
);

export interface DischargePlanFields {
	housing: string;
	activity: string;
	economy: string;
	followUpTeam: string;
	contactPerson: string;
	contactPhone: string;
	/** When the patient is asked for a follow-up rating after discharge, 'YYYY-MM-DD'. */
	followUpRatingDate: string | null;
}

/** The discharge plan of an episode heading for its end (seed 000); versions, newest in force. */
export const dischargePlans = sqliteTable(
	'discharge_plans',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		plan: text('plan', { mode: 'json' }).$type<DischargePlanFields>().notNull(),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('discharge_plans_episode').on(t.episodeId, t.id)]
);

export const auditActions = [
	'viewed_patient',
	'viewed_patient_list',
	'changed_record',
	'rated',
	'handed_to_patient',
	'took_tablet_back',
	'pin_failed',
	'signed_in',
	'signed_out',
	'failed_sign_in',
	'sso_waiting',
	'sso_approved',
	'denied_patient',
	'printed',
	'viewed_together',
	'flag_raised',
	'flag_resolved',
	'flag_acknowledged',
	'action_agreed',
	'action_outcome',
	'checklist_assessed',
	'absence_plan_recorded',
	'meeting_planned',
	'meeting_recorded',
	'goal_recorded',
	'discharge_plan_recorded',
	'viewed_meeting_list',
	'user_created',
	'user_disabled',
	'user_enabled',
	'password_changed',
	'signed_out_everywhere',
	'viewed_audit_log',
	'exported_patient',
	'erased_patient',
	// Patients and episodes
	'patient_registered',
	'patient_edited',
	'searched_patients',
	'episode_opened',
	'episode_transition',
	'episode_ended',
	'episode_reopened',
	'outreach_opened',
	'outreach_attempt',
	'outreach_closed',
	// Administration and first start.
	'setup_completed',
	'team_created',
	'team_changed',
	'team_archived',
	'team_restored',
	'team_member_added',
	'team_member_removed',
	'user_changed',
	'password_reset',
	'pin_reset',
	'responsible_assigned',
	'presenter_assigned',
	// A clinician closed a drop-out flag by hand, with a reason.
	'flag_closed',
	// Statistics: a clinician, team lead or service leader read the figures of a scope (no patient in them).
	'viewed_statistics',
	// A clinician or team lead took the rows of their own caseload or team out as CSV (linked to each patient in it).
	'exported_csv',
	// The second factor (TOTP and recovery codes).
	'second_factor_enrolled',
	'second_factor_passed',
	'second_factor_failed',
	'second_factor_removed',
	'recovery_codes_renewed',
	// Rating links (the patient's own phone).
	'rating_link_made',
	'rating_link_opened',
	'rating_link_unknown',
	// A wrong birth date given before a link's form opens (STEMME_LINK_BIRTH_DATE).
	'rating_link_gate_failed',
	'contact_consent_recorded',
	'contact_consent_stopped',
	'message_sent',
	// A follow-up after discharge answered on the patient's phone.
	'follow_up_answered',
	// API clients (the patient-record system reading through /fhir): made and revoked by an
	// admin; every request a client makes is one line, the client as actor.
	'api_client_created',
	'api_client_revoked',
	'api_request',
	// The patient's access log given out (to the treating team, or by the admin by code).
	'gave_access_log',
	// Log control (admin/log-control.ts): the admin read the report of a period, and marked a finding reviewed.
	'viewed_log_control',
	'log_control_reviewed',
	// Single sign-on: an admin turned a waiting person away (with the reason).
	'sso_turned_away'
] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditEvents = sqliteTable(
	'audit_events',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: integer('at', { mode: 'timestamp_ms' }).notNull(),
		/** Null when nobody is signed in (a failed sign-in for an unknown name). */
		userId: integer('user_id').references(() => users.id),
		action: text('action', { enum: auditActions }).notNull(),
		patientId: integer('patient_id').references(() => patients.id),
		detail: text('detail'),
		address: text('address'),
		// The chain that makes the trail tamper-evident (src/lib/server/audit-chain.ts): the
		// SHA-256 of the detail (kept when an erasure removes the detail itself), and the SHA-256
		// of the previous row's hash with this row's content. Null only in rows written before
		// the chain, until the start fills them in (backfillAuditChain).
		detailHash: text('detail_hash'),
		hash: text('hash'),
		/** The API client that asked (userId is then null); its id is in the chained detail too. */
		apiClientId: integer('api_client_id').references((): AnySQLiteColumn => apiClients.id)
	},
	(t) => [index('audit_patient').on(t.patientId, t.at), index('audit_user').on(t.userId, t.at)]
);

/**
 * The patients a list page showed, for one audit event (the caseload, the meeting list, a group
 * appointment): one event per page view, one row here per patient on it, so that a patient's own
 * access log finds every page that showed them.
 */
export const auditEventPatients = sqliteTable(
	'audit_event_patients',
	{
		eventId: integer('event_id')
			.notNull()
			.references(() => auditEvents.id),
		patientId: integer('patient_id')
			.notNull()
			.references(() => patients.id)
	},
	(t) => [primaryKey({ columns: [t.eventId, t.patientId] }), index('audit_event_patients_patient').on(t.patientId)]
);

/**
 * A system that reads the clinic's records through /fhir (the patient-record system). An admin
 * makes it with the teams it may reach and an expiry; its secret is shown once and kept only as
 * a SHA-256 hash (a random 32-byte token needs no slow hash). Revoked, it is kept for the trail.
 */
export const apiClients = sqliteTable('api_clients', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	organisationId: integer('organisation_id')
		.notNull()
		.references(() => organisations.id),
	name: text('name').notNull(),
	tokenHash: text('token_hash').notNull().unique(),
	expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
	revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
	createdById: integer('created_by_id')
		.notNull()
		.references(() => users.id),
	createdAt: createdAt()
});

/** The teams whose patients an API client may read. */
export const apiClientTeams = sqliteTable(
	'api_client_teams',
	{
		clientId: integer('client_id')
			.notNull()
			.references(() => apiClients.id),
		teamId: integer('team_id')
			.notNull()
			.references(() => teams.id)
	},
	(t) => [primaryKey({ columns: [t.clientId, t.teamId] })]
);

export type ApiClient = typeof apiClients.$inferSelect;
export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type FollowUpPoint = typeof followUpPoints.$inferSelect;
export type RatingLink = typeof ratingLinks.$inferSelect;
export type ContactConsent = typeof contactConsents.$inferSelect;
export type OutboxMessage = typeof outboxMessages.$inferSelect;
export type Patient = typeof patients.$inferSelect;
export type Episode = typeof episodes.$inferSelect;
export type Appointment = typeof appointments.$inferSelect;
export type Rating = typeof ratings.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type SetupToken = typeof setupTokens.$inferSelect;
export type GroupSession = typeof groupSessions.$inferSelect;
export type PatientGroup = typeof patientGroups.$inferSelect;
export type GroupMember = typeof groupMembers.$inferSelect;
export type TabletHandoff = typeof tabletHandoffs.$inferSelect;
export type ChecklistAnswer = typeof checklistAnswers.$inferSelect;
export type Flag = typeof flags.$inferSelect;
export type RiskAction = typeof riskActions.$inferSelect;
export type MilestoneMeeting = typeof milestoneMeetings.$inferSelect;
export type MeetingRecord = typeof meetingRecords.$inferSelect;
export type EpisodeTransition = typeof episodeTransitions.$inferSelect;
export type OutreachTask = typeof outreachTasks.$inferSelect;
export type OutreachAttempt = typeof outreachAttempts.$inferSelect;

/**
 * What the statistics read of one episode's sessions, worked out once from its appointments and
 * ratings (src/lib/server/statistics/summaries.ts): the history and the outcome thresholds. A
 * change to the episode's appointments or ratings deletes its row in the same transaction; the
 * background sweep writes it again, and the page works out a missing row itself meanwhile.
 */
export const episodeStatistics = sqliteTable('episode_statistics', {
	episodeId: integer('episode_id')
		.primaryKey()
		.references(() => episodes.id, { onDelete: 'cascade' }),
	/** JSON of EpisodeFacts (summaries.ts); its `ageYears` marks it stale once the patient's age moves on. */
	facts: text('facts', { mode: 'json' }).notNull(),
	computedAt: integer('computed_at', { mode: 'timestamp_ms' }).notNull()
});

/**
 * An administrator's review of one log-control finding (admin/log-control.ts): which kind, whose
 * reads, the audit rows it covered, and the note. A finding counts as reviewed while every one of
 * its rows is covered by a review of its kind and reader; a later read makes it open again.
 */
export const logControlReviews = sqliteTable(
	'log_control_reviews',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		organisationId: integer('organisation_id')
			.notNull()
			.references(() => organisations.id),
		kind: text('kind', { enum: unusualKinds }).notNull(),
		/** The reader whose access was found unusual. */
		readerId: integer('reader_id')
			.notNull()
			.references(() => users.id),
		/** The audit rows the finding was made of (JSON array of audit_events ids). */
		eventIds: text('event_ids', { mode: 'json' }).$type<number[]>().notNull(),
		note: text('note').notNull(),
		reviewedById: integer('reviewed_by_id')
			.notNull()
			.references(() => users.id),
		reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('log_control_reviews_reader').on(t.organisationId, t.readerId)]
);
