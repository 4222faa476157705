package io.mainloop.support.jdbc;

import java.time.Instant;

/** Reads a {@code timestamptz} column of a native query (the driver gives one of several types). */
public final class Timestamps {

    private Timestamps() {
    }

    /** {@code value} as an instant, or null. */
    public static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case java.time.OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            case null, default -> null;
        };
    }
}
