ALTER TABLE `sessions` ADD `together_patient_id` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `together_pin_failures` integer DEFAULT 0 NOT NULL;