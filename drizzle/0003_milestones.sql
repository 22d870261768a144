CREATE TABLE `discharge_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`plan` text NOT NULL,
	`recorded_by_id` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `discharge_plans_episode` ON `discharge_plans` (`episode_id`,`id`);--> statement-breakpoint
CREATE TABLE `goal_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`goal_id` integer NOT NULL,
	`text` text NOT NULL,
	`status` text NOT NULL,
	`recorded_by_id` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`goal_id`) REFERENCES `treatment_goals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `goal_versions_goal` ON `goal_versions` (`goal_id`,`id`);--> statement-breakpoint
CREATE TABLE `meeting_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meeting_id` integer NOT NULL,
	`version` integer NOT NULL,
	`participants` text NOT NULL,
	`answers` text NOT NULL,
	`decisions` text DEFAULT '' NOT NULL,
	`patient_words` text DEFAULT '' NOT NULL,
	`next_date` text,
	`recorded_by_id` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `milestone_meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meeting_records_version` ON `meeting_records` (`meeting_id`,`version`);--> statement-breakpoint
CREATE TABLE `milestone_meetings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`scheduled_date` text NOT NULL,
	`presenter_id` integer,
	`called_early` integer DEFAULT false NOT NULL,
	`flag_id` integer,
	`created_by_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`held_at` integer,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`presenter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`flag_id`) REFERENCES `flags`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `milestone_meetings_episode` ON `milestone_meetings` (`episode_id`,`scheduled_date`);--> statement-breakpoint
CREATE TABLE `treatment_goals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`created_by_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `treatment_goals_episode` ON `treatment_goals` (`episode_id`);--> statement-breakpoint
ALTER TABLE `risk_actions` ADD `meeting_id` integer REFERENCES milestone_meetings(id);