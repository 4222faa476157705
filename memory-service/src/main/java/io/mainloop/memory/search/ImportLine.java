package io.mainloop.memory.search;

import java.time.Instant;

/**
 * One valid line of an NDJSON import.
 *
 * @param line its line number in the body, from 1
 * @param role USER, ASSISTANT or SYSTEM
 * @param text the message
 * @param timestamp when it was written
 * @param externalId the outside id (imports are idempotent by it), or null
 * @param sessionId the outside conversation it belongs to, or null (then its day is its session)
 */
public record ImportLine(int line, String role, String text, Instant timestamp, String externalId, String sessionId) {
}
