package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * One stored message as it appears in a turn's assembled context.
 *
 * @param messageId the stored message's id
 * @param role who wrote it
 * @param text its text
 * @param createdAt when it was stored, UTC
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContextMessage(UUID messageId, Role role, String text, Instant createdAt) {
}
