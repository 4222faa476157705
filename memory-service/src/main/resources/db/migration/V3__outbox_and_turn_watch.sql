-- Transactional outbox: every event memory-service publishes is written here in the same
-- transaction as the change it announces, then published (in seq order per thread) and deleted
-- once Kafka has acknowledged it. A publish that fails or a crash leaves the rows for the next try.
CREATE TABLE outbox (
    seq        bigserial PRIMARY KEY,
    thread_id  text        NOT NULL,
    topic      text        NOT NULL,
    event_id   uuid        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_thread_seq ON outbox (thread_id, seq);

-- When the active turn was requested, so a turn whose end never arrives is detected and resolved.
ALTER TABLE thread_state ADD COLUMN active_since timestamptz;
UPDATE thread_state SET active_since = now() WHERE active_turn_id IS NOT NULL;

-- The ledger is pruned by age.
CREATE INDEX processed_event_processed_at ON processed_event (processed_at);
