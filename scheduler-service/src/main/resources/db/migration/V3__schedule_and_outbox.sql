-- Schedules: a cron (recurring) or a one-shot instant, in a time zone, with the prompt it runs.
-- Quartz holds the matching trigger (job and trigger name = the schedule's id, group 'schedule').
CREATE TABLE schedule (
    id                 uuid PRIMARY KEY,
    thread_id          text        NOT NULL DEFAULT 'main',
    kind               text        NOT NULL,             -- HEARTBEAT, PROMPT, REMINDER
    title              text        NOT NULL,
    prompt             text        NOT NULL,
    model              text,                             -- null: the default model
    cron               text,                             -- Quartz cron (seconds first), or null
    run_at             timestamptz,                      -- one-shot instant, or null
    time_zone          text        NOT NULL,
    enabled            boolean     NOT NULL,
    active_hours_start time,                             -- a firing outside [start, end) is skipped
    active_hours_end   time,
    target             text        NOT NULL,             -- THREAD, TASK
    created_by         text        NOT NULL,             -- OWNER, ASSISTANT, SYSTEM (built in)
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    last_fired_at      timestamptz,
    next_fire_at       timestamptz,                      -- as Quartz last computed it
    CONSTRAINT schedule_cron_or_run_at CHECK ((cron IS NULL) <> (run_at IS NULL)),
    CONSTRAINT schedule_active_hours_both CHECK ((active_hours_start IS NULL) = (active_hours_end IS NULL)),
    CONSTRAINT schedule_prompt_length CHECK (char_length(prompt) BETWEEN 1 AND 8000)
);
CREATE INDEX schedule_thread ON schedule (thread_id, created_at);

-- Transactional outbox: every event scheduler-service publishes is written here in the same
-- transaction as the firing it announces, then published (in seq order per thread) and marked
-- sent once Kafka acknowledged it. The event id is unique, so a firing recorded twice (the same
-- schedule and slot) is inserted once. Sent rows are pruned after mainloop.scheduler.outbox-retention.
CREATE TABLE outbox (
    seq        bigserial PRIMARY KEY,
    thread_id  text        NOT NULL,
    topic      text        NOT NULL,
    event_id   uuid        NOT NULL UNIQUE,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX outbox_unsent ON outbox (thread_id, seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;
