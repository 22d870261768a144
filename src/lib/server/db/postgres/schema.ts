import { sql } from 'drizzle-orm';
import { boolean, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import {
	appointmentStatuses,
	auditActions,
	cancellers,
	contactChannels,
	contactResults,
	endReasons,
	factorAnswers,
	flagResolutions,
	flagSources,
	goalStatuses,
	locales,
	messageChannels,
	messageKinds,
	messageStates,
	outreachOutcomes,
	outreachReasons,
	raters,
	ratingSources,
	roles,
	secondFactorStates,
	settings,
	transitionKinds,
	type DischargePlanFields,
	type MeetingParticipants
} from '../schema';
import { ratingLinkKinds } from '../../../domain/rating-links';
import { sessionModes } from '../../../domain/booking';
import { unusualKinds } from '../../../domain/log-control';

/**
 * The PostgreSQL schema: every table of ../schema.ts (the SQLite schema, where each table and
 * column is described) with the same names, keys, indexes and the same values at the drizzle
 * level, in this engine's types:
 * - a timestamp (SQLite: integer epoch milliseconds, `mode: 'timestamp_ms'`) is `timestamp with
 *   time zone` to the millisecond, a `Date` either way; a default of "now" is `now()`;
 * - a boolean (SQLite: integer 0/1) is `boolean`;
 * - JSON (SQLite: text) is `jsonb`: the same value back, its keys in jsonb's own order;
 * - a real is `double precision`, a blob `bytea` (a Buffer either way);
 * - an integer key SQLite numbers itself (AUTOINCREMENT) is an identity column (by default, so
 *   that an id may still be given).
 * Calendar dates stay 'YYYY-MM-DD' text, and enums text (SQLite keeps no check on them either).
 * src/lib/server/db/schema-parity.spec.ts proves the two files agree.
 */
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

const createdAt = () => timestamptz('created_at').notNull().defaultNow();

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
export const organisations = pgTable('organisations', {
	id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
	name: text('name').notNull(),
	createdAt: createdAt()
});

export const teams = pgTable(
	'teams',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		organisationId: integer('organisation_id')
			.notNull()
			.references(() => organisations.id),
		name: text('name').notNull(),
		createdAt: createdAt(),
		defaultSetting: text('default_setting', { enum: ['outpatient', 'inpatient', 'group'] })
			.notNull()
			.default('outpatient'),
		archivedAt: timestamptz('archived_at')
	},
	(t) => [uniqueIndex('teams_org_name').on(t.organisationId, t.name)]
);

export const users = pgTable('users', {
	id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
	organisationId: integer('organisation_id')
		.notNull()
		.references(() => organisations.id),
	username: text('username').notNull().unique(),
	displayName: text('display_name').notNull(),
	passwordHash: text('password_hash').notNull(),
	role: text('role', { enum: roles }).notNull(),
	preferredLocale: text('preferred_locale', { enum: locales }).notNull().default('nb'),
	pinHash: text('pin_hash'),
	disabledAt: timestamptz('disabled_at'),
	createdAt: createdAt(),
	mustChangePassword: boolean('must_change_password').notNull().default(false),
	isDemo: boolean('is_demo').notNull().default(false),
	ssoSubject: text('sso_subject').unique(),
	hprNumber: text('hpr_number').unique(),
	email: text('email').unique(),
	passwordSignIn: boolean('password_sign_in').notNull().default(true)
});

export const demoCredentials = pgTable('demo_credentials', {
	id: integer('id').primaryKey(),
	password: text('password').notNull(),
	createdAt: createdAt()
});

export const setupTokens = pgTable('setup_tokens', {
	id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
	tokenHash: text('token_hash').notNull().unique(),
	createdAt: timestamptz('created_at').notNull(),
	expiresAt: timestamptz('expires_at').notNull(),
	usedAt: timestamptz('used_at')
});

export const teamMemberships = pgTable(
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

export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		secretHash: text('secret_hash').notNull(),
		createdAt: timestamptz('created_at').notNull(),
		expiresAt: timestamptz('expires_at').notNull(),
		lastSeenAt: timestamptz('last_seen_at'),
		handoffId: text('handoff_id'),
		togetherPatientId: integer('together_patient_id'),
		togetherPinFailures: integer('together_pin_failures').notNull().default(0),
		secondFactor: text('second_factor', { enum: secondFactorStates }),
		authMethod: text('auth_method', { enum: ['password', 'sso'] })
			.notNull()
			.default('password'),
		ssoIdToken: text('sso_id_token')
	},
	(t) => [index('sessions_user').on(t.userId)]
);

export const userTotp = pgTable('user_totp', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	key: bytea('key').notNull(),
	createdAt: timestamptz('created_at').notNull(),
	confirmedAt: timestamptz('confirmed_at'),
	lastStep: integer('last_step')
});

export const recoveryCodes = pgTable(
	'recovery_codes',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		codeHash: text('code_hash').notNull(),
		usedAt: timestamptz('used_at')
	},
	(t) => [index('recovery_codes_user').on(t.userId)]
);

export const ssoAttempts = pgTable('sso_attempts', {
	idHash: text('id_hash').primaryKey(),
	state: text('state').notNull(),
	nonce: text('nonce').notNull(),
	codeVerifier: text('code_verifier').notNull(),
	dpopKey: text('dpop_key'),
	next: text('next').notNull(),
	expiresAt: timestamptz('expires_at').notNull()
});

export const ssoRequests = pgTable('sso_requests', {
	id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
	subject: text('subject').notNull().unique(),
	name: text('name').notNull(),
	email: text('email'),
	hprNumber: text('hpr_number'),
	securityLevel: text('security_level'),
	firstAt: timestamptz('first_at').notNull(),
	lastAt: timestamptz('last_at').notNull(),
	decidedAt: timestamptz('decided_at'),
	userId: integer('user_id').references(() => users.id),
	turnedAwayReason: text('turned_away_reason')
});

export const signInThrottle = pgTable('sign_in_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull(),
	lockedUntil: timestamptz('locked_until'),
	updatedAt: timestamptz('updated_at').notNull()
});

export const patients = pgTable(
	'patients',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		organisationId: integer('organisation_id')
			.notNull()
			.references(() => organisations.id),
		teamId: integer('team_id')
			.notNull()
			.references(() => teams.id),
		code: text('code').notNull(),
		displayName: text('display_name').notNull(),
		birthYear: integer('birth_year').notNull(),
		birthDate: text('birth_date'),
		nationalId: text('national_id'),
		preferredLocale: text('preferred_locale', { enum: locales }),
		erasedAt: timestamptz('erased_at'),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('patients_org_code').on(t.organisationId, t.code), index('patients_team').on(t.teamId), uniqueIndex('patients_org_national_id').on(t.organisationId, t.nationalId)]
);

export const episodes = pgTable(
	'episodes',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		patientId: integer('patient_id')
			.notNull()
			.references(() => patients.id),
		startDate: text('start_date').notNull(),
		setting: text('setting', { enum: settings }).notNull(),
		plannedEnd: text('planned_end'),
		actualEnd: text('actual_end'),
		endReason: text('end_reason', { enum: endReasons }),
		responsibleId: integer('responsible_id').references(() => users.id),
		sessionIntervalDays: integer('session_interval_days'),
		milestoneIntervalDays: integer('milestone_interval_days'),
		teamId: integer('team_id').references(() => teams.id),
		referralReason: text('referral_reason').notNull().default(''),
		lastAttendedDate: text('last_attended_date'),
		endNote: text('end_note').notNull().default(''),
		endedById: integer('ended_by_id').references(() => users.id),
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

export const episodeTransitions = pgTable(
	'episode_transitions',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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
		place: text('place').notNull().default(''),
		note: text('note').notNull().default(''),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: timestamptz('recorded_at').notNull(),
		appliedAt: timestamptz('applied_at')
	},
	(t) => [index('episode_transitions_episode').on(t.episodeId, t.date)]
);

export const episodeReopenings = pgTable(
	'episode_reopenings',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		endedOn: text('ended_on').notNull(),
		endReason: text('end_reason', { enum: endReasons }).notNull(),
		reason: text('reason').notNull(),
		reopenedById: integer('reopened_by_id')
			.notNull()
			.references(() => users.id),
		reopenedAt: timestamptz('reopened_at').notNull()
	},
	(t) => [index('episode_reopenings_episode').on(t.episodeId)]
);

export const outreachTasks = pgTable(
	'outreach_tasks',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		reason: text('reason', { enum: outreachReasons }).notNull(),
		ownerId: integer('owner_id')
			.notNull()
			.references(() => users.id),
		openedById: integer('opened_by_id').references(() => users.id),
		openedAt: timestamptz('opened_at').notNull(),
		outcome: text('outcome', { enum: outreachOutcomes }),
		resultEpisodeId: integer('result_episode_id').references(() => episodes.id),
		closedById: integer('closed_by_id').references(() => users.id),
		closedAt: timestamptz('closed_at')
	},
	(t) => [
		index('outreach_tasks_episode').on(t.episodeId),
		index('outreach_tasks_open').on(t.closedAt, t.ownerId),
		uniqueIndex('outreach_tasks_one_open')
			.on(t.episodeId)
			.where(sql`${t.closedAt} is null`)
	]
);

export const outreachAttempts = pgTable(
	'outreach_attempts',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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
		recordedAt: timestamptz('recorded_at').notNull()
	},
	(t) => [index('outreach_attempts_task').on(t.taskId, t.id)]
);

export const groupSessions = pgTable('group_sessions', {
	id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
	teamId: integer('team_id')
		.notNull()
		.references(() => teams.id),
	clinicianId: integer('clinician_id')
		.notNull()
		.references(() => users.id),
	title: text('title').notNull(),
	scheduledAt: timestamptz('scheduled_at').notNull(),
	groupId: integer('group_id').references((): AnyPgColumn => patientGroups.id),
	createdAt: createdAt()
});
export const patientGroups = pgTable(
	'patient_groups',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		teamId: integer('team_id')
			.notNull()
			.references(() => teams.id),
		name: text('name').notNull(),
		clinicianId: integer('clinician_id')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('patient_groups_team_name').on(t.teamId, t.name)]
);

export const groupMembers = pgTable(
	'group_members',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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

export const appointments = pgTable(
	'appointments',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		clinicianId: integer('clinician_id')
			.notNull()
			.references(() => users.id),
		scheduledAt: timestamptz('scheduled_at').notNull(),
		status: text('status', { enum: appointmentStatuses }).notNull().default('scheduled'),
		isGroup: boolean('is_group').notNull().default(false),
		groupSessionId: integer('group_session_id').references(() => groupSessions.id),
		durationMinutes: integer('duration_minutes').notNull().default(45),
		cancelledBy: text('cancelled_by', { enum: cancellers }),
		sessionMode: text('session_mode', { enum: sessionModes }).notNull().default('in_person'),
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

export const ratings = pgTable(
	'ratings',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		clientId: text('client_id').notNull().unique(),
		appointmentId: integer('appointment_id')
			.notNull()
			.references(() => appointments.id),
		instrumentId: text('instrument_id').notNull(),
		instrumentVersion: integer('instrument_version').notNull(),
		rater: text('rater', { enum: raters }).notNull().default('patient'),
		itemValues: jsonb('item_values').$type<Record<string, number>>().notNull(),
		total: doublePrecision('total').notNull(),
		source: text('source', { enum: ratingSources }).notNull().default('tablet'),
		submittedAt: timestamptz('submitted_at').notNull(),
		enteredById: integer('entered_by_id').references(() => users.id),
		correctsRatingId: integer('corrects_rating_id').references((): AnyPgColumn => ratings.id),
		correctionReason: text('correction_reason')
	},
	(t) => [
		index('ratings_appointment').on(t.appointmentId),
		uniqueIndex('ratings_one_original')
			.on(t.appointmentId, t.instrumentId, t.rater)
			.where(sql`${t.correctsRatingId} is null`),
		uniqueIndex('ratings_one_correction').on(t.correctsRatingId)
	]
);

export const tabletHandoffs = pgTable(
	'tablet_handoffs',
	{
		id: text('id').primaryKey(),
		sessionId: text('session_id').references(() => sessions.id, { onDelete: 'set null' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		appointmentIds: jsonb('appointment_ids').$type<number[]>().notNull(),
		position: integer('position').notNull().default(0),
		instrumentId: text('instrument_id').notNull(),
		instrumentVersion: integer('instrument_version').notNull(),
		rater: text('rater', { enum: raters }).notNull(),
		pinFailures: integer('pin_failures').notNull().default(0),
		createdAt: timestamptz('created_at').notNull(),
		endedAt: timestamptz('ended_at'),
		language: text('language')
	},
	(t) => [index('tablet_handoffs_session').on(t.sessionId)]
);

export const ratingLinks = pgTable(
	'rating_links',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		tokenHash: text('token_hash').notNull().unique(),
		kind: text('kind', { enum: ratingLinkKinds }).notNull(),
		appointmentId: integer('appointment_id').references(() => appointments.id),
		followUpPointId: integer('follow_up_point_id').references((): AnyPgColumn => followUpPoints.id),
		instrumentId: text('instrument_id').notNull(),
		instrumentVersion: integer('instrument_version').notNull(),
		rater: text('rater', { enum: raters }).notNull().default('patient'),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: timestamptz('created_at').notNull(),
		expiresAt: timestamptz('expires_at').notNull(),
		withdrawnAt: timestamptz('withdrawn_at'),
		answeredAt: timestamptz('answered_at'),
		ratingId: integer('rating_id').references(() => ratings.id),
		language: text('language'),
		unlockedAt: timestamptz('unlocked_at'),
		gateFailures: integer('gate_failures').notNull().default(0)
	},
	(t) => [index('rating_links_appointment').on(t.appointmentId), index('rating_links_follow_up').on(t.followUpPointId)]
);

export const followUpPoints = pgTable(
	'follow_up_points',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		months: integer('months'),
		dueOn: text('due_on').notNull(),
		createdAt: timestamptz('created_at').notNull(),
		clientId: text('client_id').unique(),
		instrumentId: text('instrument_id'),
		instrumentVersion: integer('instrument_version'),
		itemValues: jsonb('item_values').$type<Record<string, number>>(),
		total: doublePrecision('total'),
		answeredAt: timestamptz('answered_at')
	},
	(t) => [uniqueIndex('follow_up_points_episode_day').on(t.episodeId, t.dueOn)]
);

export const contactConsents = pgTable(
	'contact_consents',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		patientId: integer('patient_id')
			.notNull()
			.references(() => patients.id),
		channel: text('channel', { enum: messageChannels }).notNull(),
		address: text('address').notNull(),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: timestamptz('recorded_at').notNull(),
		stoppedAt: timestamptz('stopped_at'),
		stoppedByPatient: boolean('stopped_by_patient'),
		stoppedById: integer('stopped_by_id').references(() => users.id)
	},
	(t) => [index('contact_consents_patient').on(t.patientId, t.id)]
);

export const outboxMessages = pgTable(
	'outbox_messages',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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
		nextAttemptAt: timestamptz('next_attempt_at').notNull(),
		lastError: text('last_error'),
		sentAt: timestamptz('sent_at'),
		createdAt: timestamptz('created_at').notNull()
	},
	(t) => [index('outbox_messages_due').on(t.state, t.nextAttemptAt), index('outbox_messages_patient').on(t.patientId, t.createdAt), index('outbox_messages_link').on(t.linkId)]
);

export const checklistAnswers = pgTable(
	'checklist_answers',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		checklistId: text('checklist_id').notNull(),
		checklistVersion: integer('checklist_version').notNull(),
		factorKey: text('factor_key').notNull(),
		answer: text('answer', { enum: factorAnswers }).notNull(),
		note: text('note').notNull().default(''),
		factorDate: text('factor_date'),
		assessedById: integer('assessed_by_id')
			.notNull()
			.references(() => users.id),
		assessedAt: timestamptz('assessed_at').notNull()
	},
	(t) => [index('checklist_answers_episode').on(t.episodeId, t.factorKey, t.id)]
);

export const absencePlans = pgTable(
	'absence_plans',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		agreement: text('agreement').notNull(),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: timestamptz('recorded_at').notNull()
	},
	(t) => [index('absence_plans_episode').on(t.episodeId, t.id)]
);

export const flags = pgTable(
	'flags',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		key: text('key').notNull(),
		source: text('source', { enum: flagSources }).notNull(),
		rule: text('rule').notNull(),
		rulesVersion: integer('rules_version').notNull(),
		params: jsonb('params').$type<Record<string, number>>().notNull(),
		text: text('text').notNull(),
		raisedAt: timestamptz('raised_at').notNull(),
		acknowledgedById: integer('acknowledged_by_id').references(() => users.id),
		acknowledgedAt: timestamptz('acknowledged_at'),
		resolvedAt: timestamptz('resolved_at'),
		resolution: text('resolution', { enum: flagResolutions }),
		raisedParams: jsonb('raised_params').$type<Record<string, number>>(),
		closedById: integer('closed_by_id').references(() => users.id),
		closeReason: text('close_reason'),
		conditionClearedAt: timestamptz('condition_cleared_at')
	},
	(t) => [
		uniqueIndex('flags_one_open')
			.on(t.episodeId, t.key)
			.where(sql`${t.resolvedAt} is null`),
		index('flags_episode').on(t.episodeId, t.resolvedAt)
	]
);

export const riskActions = pgTable(
	'risk_actions',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		flagId: integer('flag_id').references(() => flags.id),
		flagKind: text('flag_kind'),
		meetingId: integer('meeting_id').references((): AnyPgColumn => milestoneMeetings.id),
		actionKey: text('action_key').notNull(),
		note: text('note').notNull().default(''),
		ownerId: integer('owner_id')
			.notNull()
			.references(() => users.id),
		dueDate: text('due_date').notNull(),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: timestamptz('created_at').notNull(),
		outcome: text('outcome'),
		outcomeById: integer('outcome_by_id').references(() => users.id),
		outcomeAt: timestamptz('outcome_at')
	},
	(t) => [index('risk_actions_episode').on(t.episodeId, t.outcomeAt), index('risk_actions_flag').on(t.flagId), index('risk_actions_owner').on(t.ownerId, t.dueDate)]
);

export const milestoneMeetings = pgTable(
	'milestone_meetings',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		scheduledDate: text('scheduled_date').notNull(),
		presenterId: integer('presenter_id').references(() => users.id),
		calledEarly: boolean('called_early').notNull().default(false),
		flagId: integer('flag_id').references(() => flags.id),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: timestamptz('created_at').notNull(),
		heldAt: timestamptz('held_at')
	},
	(t) => [index('milestone_meetings_episode').on(t.episodeId, t.scheduledDate)]
);

export const meetingRecords = pgTable(
	'meeting_records',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		meetingId: integer('meeting_id')
			.notNull()
			.references(() => milestoneMeetings.id),
		version: integer('version').notNull(),
		participants: jsonb('participants').$type<MeetingParticipants>().notNull(),
		answers: jsonb('answers').$type<Record<string, string>>().notNull(),
		decisions: text('decisions').notNull().default(''),
		patientWords: text('patient_words').notNull().default(''),
		nextDate: text('next_date'),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: timestamptz('recorded_at').notNull()
	},
	(t) => [uniqueIndex('meeting_records_version').on(t.meetingId, t.version)]
);

export const treatmentGoals = pgTable(
	'treatment_goals',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: timestamptz('created_at').notNull()
	},
	(t) => [index('treatment_goals_episode').on(t.episodeId)]
);

export const goalVersions = pgTable(
	'goal_versions',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		goalId: integer('goal_id')
			.notNull()
			.references(() => treatmentGoals.id),
		text: text('text').notNull(),
		status: text('status', { enum: goalStatuses }).notNull(),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: timestamptz('recorded_at').notNull()
	},
	(t) => [index('goal_versions_goal').on(t.goalId, t.id)]
);

export const dischargePlans = pgTable(
	'discharge_plans',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		episodeId: integer('episode_id')
			.notNull()
			.references(() => episodes.id),
		plan: jsonb('plan').$type<DischargePlanFields>().notNull(),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id),
		recordedAt: timestamptz('recorded_at').notNull()
	},
	(t) => [index('discharge_plans_episode').on(t.episodeId, t.id)]
);

export const auditEvents = pgTable(
	'audit_events',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		at: timestamptz('at').notNull(),
		userId: integer('user_id').references(() => users.id),
		action: text('action', { enum: auditActions }).notNull(),
		patientId: integer('patient_id').references(() => patients.id),
		detail: text('detail'),
		address: text('address'),
		detailHash: text('detail_hash'),
		hash: text('hash'),
		apiClientId: integer('api_client_id').references((): AnyPgColumn => apiClients.id)
	},
	(t) => [index('audit_patient').on(t.patientId, t.at), index('audit_user').on(t.userId, t.at)]
);

export const auditEventPatients = pgTable(
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

export const apiClients = pgTable('api_clients', {
	id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
	organisationId: integer('organisation_id')
		.notNull()
		.references(() => organisations.id),
	name: text('name').notNull(),
	tokenHash: text('token_hash').notNull().unique(),
	expiresAt: timestamptz('expires_at').notNull(),
	revokedAt: timestamptz('revoked_at'),
	createdById: integer('created_by_id')
		.notNull()
		.references(() => users.id),
	createdAt: createdAt()
});

export const apiClientTeams = pgTable(
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

export const episodeStatistics = pgTable('episode_statistics', {
	episodeId: integer('episode_id')
		.primaryKey()
		.references(() => episodes.id, { onDelete: 'cascade' }),
	facts: jsonb('facts').notNull(),
	computedAt: timestamptz('computed_at').notNull()
});

export const logControlReviews = pgTable(
	'log_control_reviews',
	{
		id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
		organisationId: integer('organisation_id')
			.notNull()
			.references(() => organisations.id),
		kind: text('kind', { enum: unusualKinds }).notNull(),
		readerId: integer('reader_id')
			.notNull()
			.references(() => users.id),
		eventIds: jsonb('event_ids').$type<number[]>().notNull(),
		note: text('note').notNull(),
		reviewedById: integer('reviewed_by_id')
			.notNull()
			.references(() => users.id),
		reviewedAt: timestamptz('reviewed_at').notNull()
	},
	(t) => [index('log_control_reviews_reader').on(t.organisationId, t.readerId)]
);
