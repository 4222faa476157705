package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * Ask memory-service to compact a thread now (topic {@link Topics#MEMORY_COMPACTION}): write every
 * summary whose period has ended and that is missing. Sent by scheduler-service after each day,
 * week and month ends; memory-service also catches up on its own at start-up and every few
 * minutes, so a lost request delays nothing for long. Idempotent: a period that has its summary
 * (or one being written) is left alone.
 *
 * @param granularity the period kind that just ended, or null for all
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompactionRequested(UUID eventId, Instant occurredAt, int schemaVersion, String threadId,
                                  Granularity granularity) implements ThreadEvent {

    /** Current shape version. */
    public static final int SCHEMA_VERSION = 1;

    /** A new request with a fresh id, stamped now. */
    public static CompactionRequested of(String threadId, Granularity granularity) {
        return new CompactionRequested(UUID.randomUUID(), Instant.now(), SCHEMA_VERSION, threadId, granularity);
    }
}
