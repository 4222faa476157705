-- Re-attach after a restart: the Claude Code session of the turn's CLI (its command line names it,
-- so a live CLI is found again by pid + session id, and a dead one can be resumed), and a cancel
-- the owner asked for, kept here so that it reaches the turn even while agent-service restarts
-- or another replica runs it.
ALTER TABLE turn ADD COLUMN session_id uuid;
ALTER TABLE turn ADD COLUMN attempts int NOT NULL DEFAULT 0;
ALTER TABLE turn ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
CREATE INDEX processed_event_processed_at ON processed_event (processed_at);
