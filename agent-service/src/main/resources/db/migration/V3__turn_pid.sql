-- The pid (= process group id) of the CLI running a turn, so that after a crash (kill -9 of this
-- service) the restarted service can stop a CLI left over from the turn before running it again.
ALTER TABLE turn ADD COLUMN cli_pid bigint;
