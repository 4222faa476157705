package io.mainloop.gateway.rest;

import java.util.UUID;

/**
 * Answer of {@code POST /api/thread/messages} (202): the message is durably accepted.
 *
 * @param messageId the id it is stored under (the same for every retry)
 * @param clientMessageId the client's id
 */
public record PostMessageResponse(UUID messageId, String clientMessageId) {
}
