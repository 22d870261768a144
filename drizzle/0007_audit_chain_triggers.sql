-- Hand-written (drizzle-kit does not generate triggers). The audit trail stays append-only, with
-- two narrow exceptions the code relies on (src/lib/server/audit-chain.ts):
-- 1. the start fills in the chain of rows written before it (hash null until then), once;
-- 2. erasing a patient removes the detail of their events (GDPR art. 17) and keeps its hash,
--    so the chain still verifies and shows the row as redacted.
-- Nothing else of a row can change.
DROP TRIGGER `audit_events_no_update`;--> statement-breakpoint
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
WHEN NOT (
	NEW.`id` IS OLD.`id` AND NEW.`at` IS OLD.`at` AND NEW.`user_id` IS OLD.`user_id` AND NEW.`action` IS OLD.`action`
	AND NEW.`patient_id` IS OLD.`patient_id` AND NEW.`address` IS OLD.`address`
	AND (
		(OLD.`hash` IS NULL AND NEW.`detail` IS OLD.`detail`)
		OR (NEW.`detail` IS NULL AND NEW.`hash` IS OLD.`hash` AND NEW.`detail_hash` IS OLD.`detail_hash`)
	)
)
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;--> statement-breakpoint
-- INSERT OR REPLACE deletes the row it replaces without firing the delete trigger (SQLite fires
-- delete triggers for REPLACE only with recursive_triggers on): refuse an insert of an id in use.
CREATE TRIGGER `audit_events_no_replace` BEFORE INSERT ON `audit_events`
WHEN NEW.`id` IS NOT NULL AND EXISTS (SELECT 1 FROM `audit_events` WHERE `id` = NEW.`id`)
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;
