CREATE TABLE `absence_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`agreement` text NOT NULL,
	`recorded_by_id` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `absence_plans_episode` ON `absence_plans` (`episode_id`,`id`);--> statement-breakpoint
CREATE TABLE `checklist_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`checklist_id` text NOT NULL,
	`checklist_version` integer NOT NULL,
	`factor_key` text NOT NULL,
	`answer` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`factor_date` text,
	`assessed_by_id` integer NOT NULL,
	`assessed_at` integer NOT NULL,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `checklist_answers_episode` ON `checklist_answers` (`episode_id`,`factor_key`,`id`);--> statement-breakpoint
CREATE TABLE `flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`key` text NOT NULL,
	`source` text NOT NULL,
	`rule` text NOT NULL,
	`rules_version` integer NOT NULL,
	`params` text NOT NULL,
	`text` text NOT NULL,
	`raised_at` integer NOT NULL,
	`acknowledged_by_id` integer,
	`acknowledged_at` integer,
	`resolved_at` integer,
	`resolution` text,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`acknowledged_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flags_one_open` ON `flags` (`episode_id`,`key`) WHERE "flags"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX `flags_episode` ON `flags` (`episode_id`,`resolved_at`);--> statement-breakpoint
CREATE TABLE `risk_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`flag_id` integer,
	`action_key` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`owner_id` integer NOT NULL,
	`due_date` text NOT NULL,
	`created_by_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`outcome` text,
	`outcome_by_id` integer,
	`outcome_at` integer,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`flag_id`) REFERENCES `flags`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`outcome_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `risk_actions_episode` ON `risk_actions` (`episode_id`,`outcome_at`);--> statement-breakpoint
CREATE INDEX `risk_actions_flag` ON `risk_actions` (`flag_id`);--> statement-breakpoint
CREATE INDEX `risk_actions_owner` ON `risk_actions` (`owner_id`,`due_date`);--> statement-breakpoint
ALTER TABLE `episodes` ADD `responsible_id` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `episodes` ADD `session_interval_days` integer;--> statement-breakpoint
ALTER TABLE `episodes` ADD `milestone_interval_days` integer;--> statement-breakpoint
CREATE INDEX `episodes_responsible` ON `episodes` (`responsible_id`);