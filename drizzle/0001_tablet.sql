CREATE TABLE `group_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer NOT NULL,
	`clinician_id` integer NOT NULL,
	`title` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`clinician_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `tablet_handoffs` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`user_id` integer NOT NULL,
	`appointment_ids` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`instrument_id` text NOT NULL,
	`instrument_version` integer NOT NULL,
	`rater` text NOT NULL,
	`pin_failures` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tablet_handoffs_session` ON `tablet_handoffs` (`session_id`);--> statement-breakpoint
ALTER TABLE `appointments` ADD `group_session_id` integer REFERENCES group_sessions(id);--> statement-breakpoint
CREATE INDEX `appointments_group_session` ON `appointments` (`group_session_id`);--> statement-breakpoint
CREATE INDEX `appointments_clinician_time` ON `appointments` (`clinician_id`,`scheduled_at`);--> statement-breakpoint
ALTER TABLE `ratings` ADD `entered_by_id` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `ratings` ADD `corrects_rating_id` integer REFERENCES ratings(id);--> statement-breakpoint
ALTER TABLE `ratings` ADD `correction_reason` text;--> statement-breakpoint
CREATE UNIQUE INDEX `ratings_one_original` ON `ratings` (`appointment_id`,`instrument_id`,`rater`) WHERE "ratings"."corrects_rating_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX `ratings_one_correction` ON `ratings` (`corrects_rating_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `pin_hash` text;