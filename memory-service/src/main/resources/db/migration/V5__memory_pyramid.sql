-- The temporal pyramid: messages stay forever; summaries of days, ISO weeks and months (in the
-- owner's time zone) stand in for them in older context; memories and core blocks are always there.

-- Messages by time (the pyramid's periods and the history API).
CREATE INDEX message_thread_created ON message (thread_id, created_at);

-- One summary per (thread, granularity, period). A row is claimed (PENDING) before the request is
-- sent, so two replicas never ask for the same period; DONE once the agent's answer arrived.
CREATE TABLE summary (
    id            uuid PRIMARY KEY,
    thread_id     text        NOT NULL,
    granularity   text        NOT NULL CHECK (granularity IN ('DAILY', 'WEEKLY', 'MONTHLY')),
    period_start  date        NOT NULL,
    period_end    date        NOT NULL, -- exclusive
    status        text        NOT NULL CHECK (status IN ('PENDING', 'DONE')),
    text          text,
    tokens        integer,
    -- what it covers: the time range, how many sources, and (for weeks and months) which summaries
    covers_from   timestamptz NOT NULL,
    covers_to     timestamptz NOT NULL,
    source_count  integer     NOT NULL,
    source_ids    jsonb,
    model         text,
    cost_usd      numeric(12, 6),
    input_tokens  bigint,
    output_tokens bigint,
    attempts      integer     NOT NULL DEFAULT 1,
    requested_at  timestamptz NOT NULL,
    retry_at      timestamptz NOT NULL, -- ask again from then on if still PENDING
    last_error    text,
    completed_at  timestamptz,
    UNIQUE (thread_id, granularity, period_start)
);
CREATE INDEX summary_pending ON summary (retry_at) WHERE status = 'PENDING';

-- Categorized memories. A superseded memory stays (superseded_by set); forgetting deletes it.
CREATE TABLE memory (
    id                uuid PRIMARY KEY,
    thread_id         text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('DECISION', 'INSIGHT', 'HANDOFF', 'FACT', 'PREFERENCE')),
    text              text        NOT NULL,
    origin            text        NOT NULL CHECK (origin IN ('TOOL', 'SUMMARY', 'OWNER', 'MESSAGE')),
    source_message_id uuid,
    source_summary_id uuid,
    created_at        timestamptz NOT NULL,
    supersedes        uuid,
    superseded_by     uuid,
    expires_at        timestamptz,
    pinned            boolean     NOT NULL DEFAULT false
);
CREATE INDEX memory_thread_created ON memory (thread_id, created_at DESC);
-- the same statement is one memory (a weekly summary repeats its days' tagged lines)
CREATE UNIQUE INDEX memory_same_text ON memory (thread_id, kind, md5(lower(text)));

-- Core blocks: always in context, edited by the owner or the assistant.
CREATE TABLE core_block (
    thread_id  text        NOT NULL,
    name       text        NOT NULL CHECK (name IN ('persona', 'owner')),
    text       text        NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (thread_id, name)
);

-- What each turn's assistant saw, layer by layer, and what was left out.
CREATE TABLE turn_context (
    turn_id          uuid PRIMARY KEY,
    thread_id        text        NOT NULL,
    assembled_at     timestamptz NOT NULL,
    budget_tokens    integer     NOT NULL,
    estimated_tokens integer     NOT NULL,
    assembly_ms      numeric(10, 3) NOT NULL, -- how long assembling took, ms
    layers           jsonb       NOT NULL,
    dropped          jsonb       NOT NULL
);
