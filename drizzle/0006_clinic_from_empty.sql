CREATE TABLE `audit_event_patients` (
	`event_id` integer NOT NULL,
	`patient_id` integer NOT NULL,
	PRIMARY KEY(`event_id`, `patient_id`),
	FOREIGN KEY (`event_id`) REFERENCES `audit_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_event_patients_patient` ON `audit_event_patients` (`patient_id`);--> statement-breakpoint
CREATE TABLE `demo_credentials` (
	`id` integer PRIMARY KEY NOT NULL,
	`password` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `episode_reopenings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`ended_on` text NOT NULL,
	`end_reason` text NOT NULL,
	`reason` text NOT NULL,
	`reopened_by_id` integer NOT NULL,
	`reopened_at` integer NOT NULL,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reopened_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `episode_reopenings_episode` ON `episode_reopenings` (`episode_id`);--> statement-breakpoint
CREATE TABLE `episode_transitions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`from_team_id` integer NOT NULL,
	`to_team_id` integer NOT NULL,
	`from_setting` text NOT NULL,
	`to_setting` text NOT NULL,
	`place` text DEFAULT '' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`recorded_by_id` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`applied_at` integer,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `episode_transitions_episode` ON `episode_transitions` (`episode_id`,`date`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` integer NOT NULL,
	`episode_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`until_date` text,
	FOREIGN KEY (`group_id`) REFERENCES `patient_groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_members_group` ON `group_members` (`group_id`,`until_date`);--> statement-breakpoint
CREATE INDEX `group_members_episode` ON `group_members` (`episode_id`);--> statement-breakpoint
CREATE TABLE `outreach_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` integer NOT NULL,
	`date` text NOT NULL,
	`channel` text NOT NULL,
	`result` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`recorded_by_id` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `outreach_tasks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outreach_attempts_task` ON `outreach_attempts` (`task_id`,`id`);--> statement-breakpoint
CREATE TABLE `outreach_tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`reason` text NOT NULL,
	`owner_id` integer NOT NULL,
	`opened_by_id` integer,
	`opened_at` integer NOT NULL,
	`outcome` text,
	`result_episode_id` integer,
	`closed_by_id` integer,
	`closed_at` integer,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`opened_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`result_episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outreach_tasks_episode` ON `outreach_tasks` (`episode_id`);--> statement-breakpoint
CREATE INDEX `outreach_tasks_open` ON `outreach_tasks` (`closed_at`,`owner_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `outreach_tasks_one_open` ON `outreach_tasks` (`episode_id`) WHERE "outreach_tasks"."closed_at" is null;--> statement-breakpoint
CREATE TABLE `patient_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`name` text NOT NULL,
	`clinician_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`clinician_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patient_groups_team_name` ON `patient_groups` (`team_id`,`name`);--> statement-breakpoint
CREATE TABLE `setup_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `setup_tokens_token_hash_unique` ON `setup_tokens` (`token_hash`);--> statement-breakpoint
ALTER TABLE `appointments` ADD `duration_minutes` integer DEFAULT 45 NOT NULL;--> statement-breakpoint
ALTER TABLE `appointments` ADD `cancelled_by` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `detail_hash` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `hash` text;--> statement-breakpoint
ALTER TABLE `episodes` ADD `team_id` integer REFERENCES teams(id);--> statement-breakpoint
ALTER TABLE `episodes` ADD `referral_reason` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `episodes` ADD `last_attended_date` text;--> statement-breakpoint
ALTER TABLE `episodes` ADD `end_note` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `episodes` ADD `ended_by_id` integer REFERENCES users(id);--> statement-breakpoint
CREATE INDEX `episodes_team` ON `episodes` (`team_id`,`actual_end`);--> statement-breakpoint
ALTER TABLE `flags` ADD `raised_params` text;--> statement-breakpoint
ALTER TABLE `flags` ADD `closed_by_id` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `flags` ADD `close_reason` text;--> statement-breakpoint
ALTER TABLE `flags` ADD `condition_cleared_at` integer;--> statement-breakpoint
ALTER TABLE `group_sessions` ADD `group_id` integer REFERENCES patient_groups(id);--> statement-breakpoint
ALTER TABLE `patients` ADD `birth_date` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `national_id` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `preferred_locale` text;--> statement-breakpoint
CREATE UNIQUE INDEX `patients_org_national_id` ON `patients` (`organisation_id`,`national_id`);--> statement-breakpoint
ALTER TABLE `risk_actions` ADD `flag_kind` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `last_seen_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `handoff_id` text;--> statement-breakpoint
ALTER TABLE `tablet_handoffs` ADD `language` text;--> statement-breakpoint
ALTER TABLE `teams` ADD `default_setting` text DEFAULT 'outpatient' NOT NULL;--> statement-breakpoint
ALTER TABLE `teams` ADD `archived_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `must_change_password` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `is_demo` integer DEFAULT false NOT NULL;