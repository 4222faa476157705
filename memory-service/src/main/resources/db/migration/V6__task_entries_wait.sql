-- A finished sub-agent task's entry (a SYSTEM message) waits for a turn like the owner's messages.
DROP INDEX message_waiting;
CREATE INDEX message_waiting ON message (thread_id, seq) WHERE role <> 'ASSISTANT' AND turn_id IS NULL;
