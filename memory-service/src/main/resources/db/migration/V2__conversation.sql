-- Messages of every thread, in the order they were stored (seq is the history cursor).
CREATE TABLE message (
    id             uuid PRIMARY KEY,
    seq            bigserial   NOT NULL UNIQUE,
    thread_id      text        NOT NULL,
    role           text        NOT NULL CHECK (role IN ('USER', 'ASSISTANT', 'SYSTEM')),
    text           text        NOT NULL,
    created_at     timestamptz NOT NULL,
    -- USER: the turn that answers it (NULL while it waits); ASSISTANT/SYSTEM: the turn that produced it
    turn_id        uuid,
    input_tokens   bigint,
    output_tokens  bigint,
    cache_read_input_tokens     bigint,
    cache_creation_input_tokens bigint,
    cost_usd       numeric(12, 6),
    duration_ms    bigint,
    tool_calls     jsonb
);
CREATE INDEX message_thread_seq ON message (thread_id, seq);
CREATE INDEX message_waiting ON message (thread_id, seq) WHERE role = 'USER' AND turn_id IS NULL;

-- One row per thread: the turn the agent is running for it, if any (one turn at a time).
CREATE TABLE thread_state (
    thread_id      text PRIMARY KEY,
    active_turn_id uuid
);

-- Tool calls of running turns, gathered until the turn completes.
CREATE TABLE turn_tool_call (
    turn_id     uuid        NOT NULL,
    tool_use_id text        NOT NULL,
    seq         bigserial   NOT NULL,
    name        text        NOT NULL,
    input       text        NOT NULL,
    output      text,
    is_error    boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (turn_id, tool_use_id)
);
