-- Hand-written (drizzle-kit does not generate triggers): the audit trail is append-only, the same
-- rule as the SQLite triggers (drizzle/0004_admin.sql, 0007_audit_chain_triggers.sql and
-- 0014_audit_chain_api_client.sql). No row is deleted. An UPDATE is refused unless it is one of
-- the two the code relies on (src/lib/server/audit-chain.ts):
-- 1. the start fills in the chain of rows written before it (hash null until then), detail kept;
-- 2. erasing a patient removes the detail of their events (GDPR art. 17) and keeps both hashes.
-- Nothing else of a row can change. SQLite's third trigger (audit_events_no_replace) answers
-- INSERT OR REPLACE, which PostgreSQL does not have: an insert of an id in use fails on the key,
-- and INSERT ... ON CONFLICT DO UPDATE is an UPDATE, refused here. TRUNCATE, which skips delete
-- triggers, is refused as well.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_events is append-only';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE ON "audit_events" FOR EACH ROW
WHEN (NOT (
	NEW."id" IS NOT DISTINCT FROM OLD."id" AND NEW."at" IS NOT DISTINCT FROM OLD."at"
	AND NEW."user_id" IS NOT DISTINCT FROM OLD."user_id" AND NEW."action" IS NOT DISTINCT FROM OLD."action"
	AND NEW."patient_id" IS NOT DISTINCT FROM OLD."patient_id" AND NEW."address" IS NOT DISTINCT FROM OLD."address"
	AND NEW."api_client_id" IS NOT DISTINCT FROM OLD."api_client_id"
	AND (
		(OLD."hash" IS NULL AND NEW."detail" IS NOT DISTINCT FROM OLD."detail")
		OR (NEW."detail" IS NULL AND NEW."hash" IS NOT DISTINCT FROM OLD."hash" AND NEW."detail_hash" IS NOT DISTINCT FROM OLD."detail_hash")
	)
))
EXECUTE FUNCTION "audit_events_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_events_no_delete" BEFORE DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
