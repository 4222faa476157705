package io.mainloop.gateway.rest;

/**
 * Body of {@code POST /api/thread/messages}.
 *
 * @param text the message, 1 byte to 32 KiB of UTF-8
 * @param clientMessageId an id the client chooses; a retry with the same id never posts twice
 */
public record PostMessageRequest(String text, String clientMessageId) {
}
