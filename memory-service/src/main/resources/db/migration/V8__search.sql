-- Recall (docs/memory.md, "Search"): imported messages keep their outside id and session; each
-- message's embedding vectors (bge-small-en-v1.5, 384 floats per chunk, little-endian float32,
-- chunks back to back) are stored once so an index rebuild never runs the model again.
ALTER TABLE message ADD COLUMN external_id text;
ALTER TABLE message ADD COLUMN session_id text;
ALTER TABLE message ADD COLUMN embedding bytea;
CREATE UNIQUE INDEX message_external_id ON message (thread_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX message_thread_session ON message (thread_id, session_id) WHERE session_id IS NOT NULL;

-- The search feed: one row per stored message and per written summary or memory (insert, update,
-- delete), in the writing transaction. Every replica keeps its own Lucene index and reads the feed
-- in (xid, seq) order, only below the oldest running transaction (pg_snapshot_xmin), so a row
-- committed late by a slow transaction is never skipped: the cursor is gap-free and monotonic.
CREATE TABLE search_feed (
    seq       bigserial PRIMARY KEY,
    xid       xid8      NOT NULL DEFAULT pg_current_xact_id(),
    kind      text      NOT NULL CHECK (kind IN ('MESSAGE', 'SUMMARY', 'MEMORY')),
    ref_id    uuid      NOT NULL,
    thread_id text      NOT NULL
);
CREATE INDEX search_feed_cursor ON search_feed (xid, seq);

-- search_path FROM CURRENT: the feed is found whatever search_path the writing session has (a script, psql)
CREATE FUNCTION search_feed_note() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_feed (kind, ref_id, thread_id) VALUES (TG_ARGV[0], OLD.id, OLD.thread_id);
        RETURN OLD;
    END IF;
    INSERT INTO search_feed (kind, ref_id, thread_id) VALUES (TG_ARGV[0], NEW.id, NEW.thread_id);
    RETURN NEW;
END $$;

CREATE TRIGGER message_search_feed AFTER INSERT ON message
    FOR EACH ROW EXECUTE FUNCTION search_feed_note('MESSAGE');
CREATE TRIGGER summary_search_feed AFTER INSERT OR UPDATE OF status, text ON summary
    FOR EACH ROW EXECUTE FUNCTION search_feed_note('SUMMARY');
CREATE TRIGGER memory_search_feed AFTER INSERT OR UPDATE OR DELETE ON memory
    FOR EACH ROW EXECUTE FUNCTION search_feed_note('MEMORY');

-- What was stored before this migration.
INSERT INTO search_feed (kind, ref_id, thread_id) SELECT 'MESSAGE', id, thread_id FROM message ORDER BY seq;
INSERT INTO search_feed (kind, ref_id, thread_id) SELECT 'SUMMARY', id, thread_id FROM summary WHERE status = 'DONE';
INSERT INTO search_feed (kind, ref_id, thread_id) SELECT 'MEMORY', id, thread_id FROM memory;

-- This database's identity: an index built from another database (a restored or recreated one)
-- is thrown away and rebuilt.
CREATE TABLE search_epoch (
    id    integer PRIMARY KEY CHECK (id = 1),
    epoch uuid    NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO search_epoch (id) VALUES (1);
