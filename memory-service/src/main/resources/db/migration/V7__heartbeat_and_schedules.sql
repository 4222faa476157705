-- Why a message's turn ran (CHAT, HEARTBEAT, SCHEDULED): set on the entry that starts a scheduled
-- turn and on assistant replies; proactive replies (the owner did not just ask) are pushed.
ALTER TABLE message ADD COLUMN turn_kind text CHECK (turn_kind IN ('CHAT', 'HEARTBEAT', 'SCHEDULED'));
ALTER TABLE message ADD COLUMN proactive boolean NOT NULL DEFAULT false;
-- A scheduled entry's model for the turn that answers it (null: the default).
ALTER TABLE message ADD COLUMN model text;

-- The owner's heartbeat checklist (HEARTBEAT.md), one per thread.
CREATE TABLE heartbeat_checklist (
    thread_id  text PRIMARY KEY,
    checklist  text        NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Every heartbeat firing and what came of it; the silent HEARTBEAT_OK replies live here only.
CREATE TABLE heartbeat_run (
    id             uuid PRIMARY KEY,          -- the firing id (mainloop.schedule.fired)
    thread_id      text        NOT NULL,
    fired_at       timestamptz NOT NULL,
    outcome        text        NOT NULL CHECK (outcome IN ('RUNNING', 'SKIPPED', 'BUSY', 'SILENT', 'POSTED', 'FAILED', 'BUDGET_SPENT')),
    reason         text,
    turn_id        uuid UNIQUE,
    context_tokens integer,
    input_tokens   bigint,
    output_tokens  bigint,
    cost_usd       numeric(12, 6),
    reply          text,
    ended_at       timestamptz
);
CREATE INDEX heartbeat_run_thread_fired ON heartbeat_run (thread_id, fired_at DESC);

-- The latest state of each sub-agent task as the task events told it (a heartbeat looks at what changed).
CREATE TABLE task_change (
    task_id    uuid PRIMARY KEY,
    thread_id  text        NOT NULL,
    title      text,
    phase      text        NOT NULL,
    detail     text,
    changed_at timestamptz NOT NULL
);
CREATE INDEX task_change_thread_changed ON task_change (thread_id, changed_at DESC);
