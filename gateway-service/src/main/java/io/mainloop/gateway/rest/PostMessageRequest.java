package io.mainloop.gateway.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/thread/messages}, validated by Bean Validation (a violation is a 400
 * problem body; the 32 KiB limit counts UTF-8 bytes and is checked by the resource: 413).
 *
 * @param text the message, 1 byte to 32 KiB of UTF-8, not blank
 * @param clientMessageId an id the client chooses, at most 200 characters; a retry with the same
 *     id never posts twice
 */
public record PostMessageRequest(
        @NotBlank(message = "text must not be empty") String text,
        @Size(max = 200, message = "clientMessageId is longer than 200 characters") String clientMessageId) {
}
