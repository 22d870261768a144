CREATE TABLE `follow_up_points` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`months` integer,
	`due_on` text NOT NULL,
	`created_at` integer NOT NULL,
	`client_id` text,
	`instrument_id` text,
	`instrument_version` integer,
	`item_values` text,
	`total` real,
	`answered_at` integer,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follow_up_points_client_id_unique` ON `follow_up_points` (`client_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `follow_up_points_episode_day` ON `follow_up_points` (`episode_id`,`due_on`);--> statement-breakpoint
-- Hand-written (drizzle-kit copied columns the old table does not have): NULL and 0 for the new ones.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_rating_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`kind` text NOT NULL,
	`appointment_id` integer,
	`follow_up_point_id` integer,
	`instrument_id` text NOT NULL,
	`instrument_version` integer NOT NULL,
	`rater` text DEFAULT 'patient' NOT NULL,
	`created_by_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`withdrawn_at` integer,
	`answered_at` integer,
	`rating_id` integer,
	`language` text,
	`unlocked_at` integer,
	`gate_failures` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`follow_up_point_id`) REFERENCES `follow_up_points`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rating_id`) REFERENCES `ratings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_rating_links`("id", "token_hash", "kind", "appointment_id", "follow_up_point_id", "instrument_id", "instrument_version", "rater", "created_by_id", "created_at", "expires_at", "withdrawn_at", "answered_at", "rating_id", "language", "unlocked_at", "gate_failures") SELECT "id", "token_hash", "kind", "appointment_id", NULL, "instrument_id", "instrument_version", "rater", "created_by_id", "created_at", "expires_at", "withdrawn_at", "answered_at", "rating_id", "language", NULL, 0 FROM `rating_links`;--> statement-breakpoint
DROP TABLE `rating_links`;--> statement-breakpoint
ALTER TABLE `__new_rating_links` RENAME TO `rating_links`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `rating_links_token_hash_unique` ON `rating_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `rating_links_appointment` ON `rating_links` (`appointment_id`);--> statement-breakpoint
CREATE INDEX `rating_links_follow_up` ON `rating_links` (`follow_up_point_id`);