package io.mainloop.memory.repository;

import java.time.Instant;

/** Reads a {@code timestamptz} column of a native query (the driver gives one of several types). */
final class Timestamps {

    private Timestamps() {
    }

    /** {@code value} as an instant, or null. */
    static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case java.time.OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            case null, default -> null;
        };
    }
}
