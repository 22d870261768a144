CREATE TABLE `episode_statistics` (
	`episode_id` integer PRIMARY KEY NOT NULL,
	`facts` text NOT NULL,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE cascade
);
