-- Turns this service ran or runs. A turn whose status is final is never run again, whatever
-- the redeliveries; a RUNNING turn found after a crash is run again from the start.
CREATE TABLE turn (
    turn_id     uuid PRIMARY KEY,
    thread_id   text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
    started_at  timestamptz NOT NULL,
    finished_at timestamptz
);
