-- A handoff outlives the staff session that made it (session_id becomes NULL when the session
-- ends): answers kept on the tablet name their handoff when a clinician sends them later.
-- SQLite cannot change a foreign key in place, so the table is rebuilt with every row copied.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_tablet_handoffs` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text,
	`user_id` integer NOT NULL,
	`appointment_ids` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`instrument_id` text NOT NULL,
	`instrument_version` integer NOT NULL,
	`rater` text NOT NULL,
	`pin_failures` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_tablet_handoffs`("id", "session_id", "user_id", "appointment_ids", "position", "instrument_id", "instrument_version", "rater", "pin_failures", "created_at", "ended_at") SELECT "id", "session_id", "user_id", "appointment_ids", "position", "instrument_id", "instrument_version", "rater", "pin_failures", "created_at", "ended_at" FROM `tablet_handoffs`;--> statement-breakpoint
DROP TABLE `tablet_handoffs`;--> statement-breakpoint
ALTER TABLE `__new_tablet_handoffs` RENAME TO `tablet_handoffs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `tablet_handoffs_session` ON `tablet_handoffs` (`session_id`);