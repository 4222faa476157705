package io.mainloop.contracts;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids (name-based UUIDs, RFC 9562 version 3) for events that may be published
 * again after a crash: the same input always yields the same id, so consumers that dedupe by id
 * see a republished event as the duplicate it is.
 */
public final class EventIds {

    private EventIds() {
    }

    /** The id named by {@code parts}, joined with {@code '/'}. */
    public static UUID named(Object... parts) {
        StringBuilder name = new StringBuilder("mainloop");
        for (Object part : parts) {
            name.append('/').append(part);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
    }
}
