ALTER TABLE `appointments` ADD `identifier_system` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `identifier_value` text;--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_identifier` ON `appointments` (`identifier_system`,`identifier_value`);--> statement-breakpoint
ALTER TABLE `episodes` ADD `identifier_system` text;--> statement-breakpoint
ALTER TABLE `episodes` ADD `identifier_value` text;--> statement-breakpoint
CREATE UNIQUE INDEX `episodes_identifier` ON `episodes` (`identifier_system`,`identifier_value`);