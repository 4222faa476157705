-- Sub-agent tasks (docs/tasks.md): one row per task, whatever runs it (a local CLI process or a
-- Kubernetes Job owned by an AgentTask). The row is the task's durable record.
CREATE TABLE task (
    id                  uuid PRIMARY KEY,
    thread_id           text        NOT NULL, -- the parent thread its result goes back to
    title               text        NOT NULL,
    prompt              text        NOT NULL,
    model               text,
    repository_url      text,
    repository_branch   text,
    workdir             text,
    profile             text        NOT NULL,
    max_turns           integer     NOT NULL,
    deadline_seconds    bigint      NOT NULL,
    max_budget_usd      numeric(10, 4) NOT NULL,
    source              text        NOT NULL CHECK (source IN ('assistant', 'api', 'kubernetes')),
    phase               text        NOT NULL CHECK (phase IN ('Pending', 'Running', 'NeedsInput', 'Succeeded', 'Failed', 'Cancelled')),
    attempt             integer     NOT NULL DEFAULT 0,
    session_id          uuid,
    pid                 bigint,
    resource_name       text, -- the AgentTask in a cluster
    result              text,
    error               text,
    question            text,
    answer              text,
    input_tokens        bigint,
    output_tokens       bigint,
    cost_usd            numeric(12, 6),
    duration_ms         bigint,
    created_at          timestamptz NOT NULL,
    started_at          timestamptz,
    completed_at        timestamptz,
    seen                boolean     NOT NULL DEFAULT false,
    cancel_requested    boolean     NOT NULL DEFAULT false,
    end_published       boolean     NOT NULL DEFAULT false -- its task.finished is acknowledged by Kafka
);
CREATE INDEX task_thread_created ON task (thread_id, created_at DESC);
CREATE INDEX task_open ON task (created_at) WHERE phase IN ('Pending', 'Running', 'NeedsInput');
CREATE UNIQUE INDEX task_resource_name ON task (resource_name) WHERE resource_name IS NOT NULL;
