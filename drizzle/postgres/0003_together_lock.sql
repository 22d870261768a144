ALTER TABLE "sessions" ADD COLUMN "together_patient_id" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "together_pin_failures" integer DEFAULT 0 NOT NULL;