-- Each push subscription belongs to a thread: an event is pushed only to the devices of its own
-- thread (an identity's devices never get another identity's notifications; docs/access.md).
-- The subscriptions made before belonged to the owner's thread (mainloop.gateway.thread-id).
ALTER TABLE push_subscription ADD COLUMN thread_id TEXT;
UPDATE push_subscription SET thread_id = '${owner_thread}';
ALTER TABLE push_subscription ALTER COLUMN thread_id SET NOT NULL;
CREATE INDEX push_subscription_thread ON push_subscription (thread_id);
