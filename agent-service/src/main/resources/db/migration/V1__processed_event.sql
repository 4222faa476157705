-- The idempotency ledger of agent-service: every consumed event id is recorded in the same
-- transaction as the write it caused, so a redelivered event (at-least-once) changes nothing.
CREATE TABLE processed_event (
    event_id     uuid PRIMARY KEY,
    topic        text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
