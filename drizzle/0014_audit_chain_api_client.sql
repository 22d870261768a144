-- Hand-written (drizzle-kit does not generate triggers): the append-only trigger of 0007 with the
-- API client (api_client_id, added in 0010) among what no UPDATE may change. The chain hashes it
-- too (src/lib/server/audit-chain.ts), for a row that has one.
DROP TRIGGER `audit_events_no_update`;--> statement-breakpoint
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
WHEN NOT (
	NEW.`id` IS OLD.`id` AND NEW.`at` IS OLD.`at` AND NEW.`user_id` IS OLD.`user_id` AND NEW.`action` IS OLD.`action`
	AND NEW.`patient_id` IS OLD.`patient_id` AND NEW.`address` IS OLD.`address` AND NEW.`api_client_id` IS OLD.`api_client_id`
	AND (
		(OLD.`hash` IS NULL AND NEW.`detail` IS OLD.`detail`)
		OR (NEW.`detail` IS NULL AND NEW.`hash` IS OLD.`hash` AND NEW.`detail_hash` IS OLD.`detail_hash`)
	)
)
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;
