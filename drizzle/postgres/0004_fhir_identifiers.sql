ALTER TABLE "appointments" ADD COLUMN "identifier_system" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "identifier_value" text;--> statement-breakpoint
ALTER TABLE "episodes" ADD COLUMN "identifier_system" text;--> statement-breakpoint
ALTER TABLE "episodes" ADD COLUMN "identifier_value" text;--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_identifier" ON "appointments" USING btree ("identifier_system","identifier_value");--> statement-breakpoint
CREATE UNIQUE INDEX "episodes_identifier" ON "episodes" USING btree ("identifier_system","identifier_value");