CREATE TABLE `rating_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`kind` text NOT NULL,
	`appointment_id` integer NOT NULL,
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
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rating_id`) REFERENCES `ratings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rating_links_token_hash_unique` ON `rating_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `rating_links_appointment` ON `rating_links` (`appointment_id`);