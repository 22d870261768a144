CREATE TABLE `log_control_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`kind` text NOT NULL,
	`reader_id` integer NOT NULL,
	`event_ids` text NOT NULL,
	`note` text NOT NULL,
	`reviewed_by_id` integer NOT NULL,
	`reviewed_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reader_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `log_control_reviews_reader` ON `log_control_reviews` (`organisation_id`,`reader_id`);--> statement-breakpoint
ALTER TABLE `sso_requests` ADD `turned_away_reason` text;