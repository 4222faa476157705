package io.mainloop.gateway.service;

/**
 * One event of a thread as that thread's SSE streams send it.
 *
 * @param eventId the event's {@code eventId} (republished events repeat it)
 * @param topic the Kafka topic it came from
 * @param offset its offset there
 * @param type the event's {@code type} (e.g. {@code text.delta}, {@code message.stored}); the SSE event name
 * @param json the event as published (the SSE data)
 * @param cursor the stream position just after it (the SSE id)
 */
public record StreamEvent(String eventId, String topic, long offset, String type, String json, StreamCursor cursor) {
}
