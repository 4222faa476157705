package io.mainloop.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * What every event on a mainloop topic carries. Consumers dedupe by {@link #eventId()} in the
 * same transaction as their write (delivery is at-least-once).
 */
public interface ThreadEvent {

    /** Unique id of this event; the idempotency key for every consumer. */
    UUID eventId();

    /** When the producer created the event, UTC. */
    Instant occurredAt();

    /** Version of the record's shape; readers accept any version and ignore unknown fields. */
    int schemaVersion();

    /** The thread the event belongs to; also the Kafka record key. */
    String threadId();
}
